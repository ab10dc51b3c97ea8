"""The one input rule (disclosure/textinput.py, issue 17): control characters refused with the
field and position, bounded lengths, strict YYYY-MM-DD dates, nothing written; what is
already stored is printed with its control characters made visible."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.register.conftest import REGISTER, TODAY, Cli

pytestmark = pytest.mark.usefixtures("engine")


@pytest.mark.parametrize(
    ("args", "option", "words"),
    [
        (("--applicant", "王\x0b八"), "--applicant", "U+000B"),
        (("--content", "\x1b[31m请公开"), "--content", "U+001B"),
        (("--phone", "138\x7f0000"), "--phone", "U+007F"),
        (("--applicant", "王\n八"), "--applicant", "不能换行"),
        (("--received", "20261102"), "--received", "YYYY-MM-DD"),
        (("--received", "2026-W45-1"), "--received", "YYYY-MM-DD"),
        (("--applicant", "\u200b"), "--applicant", "不可见字符"),
        (("--content", " \u200b\u2060 "), "--content", "不可见字符"),
    ],
    ids=[
        "vt",
        "escape",
        "del",
        "newline-in-name",
        "compact-date",
        "week-date",
        "zero-width-name",
        "zero-width-content",
    ],
)
def test_registration_refuses_what_could_break_the_register(
    c: Cli,
    unchanged,
    args: tuple[str, str],
    option: str,
    words: str,  # type: ignore[no-untyped-def]
) -> None:
    base = dict(zip(REGISTER[1::2], REGISTER[2::2], strict=True))
    base.update({"--received": "2026-11-02", args[0]: args[1]})
    flat = [x for kv in base.items() for x in kv]
    with unchanged():
        err = c.fails("register", *flat, "--today", TODAY)
    assert option in err and words in err


def test_a_multi_line_request_keeps_its_lines(c: Cli) -> None:
    n = c.register("2026-11-02", "--content", "第一项\r\n第二项")["number"]
    assert c.show(n)["content"] == "第一项\n第二项"  # CRLF stored as LF, nothing else changed


def test_step_texts_follow_the_same_rule(c: Cli, unchanged) -> None:  # type: ignore[no-untyped-def]
    n = c.register("2026-11-02")["number"]
    with unchanged():
        assert "U+001B" in c.fails("note", n, "--note", "\x1b]0;标题\x07")
    with unchanged():
        assert "2000" in c.fails("note", n, "--note", "长" * 2001)
    with unchanged():
        assert "YYYY-MM-DD" in c.fails("extend", n, "--days", "5", "--approver", "李",
                                       "--date", "20261120")  # fmt: skip
    assert c.ok("note", n, "--note", "长" * 2000)["number"] == n  # the bound itself is fine
    with unchanged():
        assert "不可见字符" in c.fails("amend", n, "--reason", "更正", "--applicant", "\u200b")
    # a zero-width space among visible text is kept as typed
    assert c.ok("note", n, "--note", "见\u200b附件")["number"] == n


def test_stored_control_characters_are_shown_not_obeyed(c: Cli, engine) -> None:  # type: ignore[no-untyped-def]
    n = c.register("2026-11-02")["number"]
    with engine.begin() as conn:  # as an old import might have left it
        conn.execute(text("UPDATE application SET applicant_name = :v"), {"v": "\x1b[31m红"})
    r = c.run("show", n, "--today", TODAY)
    assert r.exit_code == 0 and "\x1b" not in r.stdout and "␛[31m红" in r.stdout
