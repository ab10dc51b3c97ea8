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


def test_a_day_that_does_not_exist_is_said_so(c: Cli) -> None:
    n = c.register("2026-11-02")["number"]
    assert c.fails("note", n, "--note", "备注", "--today", "2026-02-30").endswith(
        "--today: 没有这一天：2026-02-30"
    )
    assert "YYYY-MM-DD" in c.fails("note", n, "--note", "备注", "--today", "2026/02/03")


def test_a_path_that_is_no_file_to_read_says_what_it_is(c: Cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    n = c.register("2026-11-02")["number"]
    folder = tmp_path / "材料"
    folder.mkdir()
    assert c.fails("attach", n, str(folder), "--kind", "other").endswith(
        f"这是一个文件夹，不是文件：{folder}"
    )
    assert c.fails("import", "/dev/null").endswith("不是普通文件：/dev/null")
    assert c.fails("import", str(tmp_path / "无此文件.csv")).endswith(
        "文件不存在：" + str(tmp_path / "无此文件.csv")
    )


def test_an_export_onto_a_folder_names_the_folder_not_a_temporary(c: Cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    c.register("2026-11-02")
    out = tmp_path / "out"
    target = out / "台账.csv"
    target.mkdir(parents=True)
    line = c.fails("export", "--out", str(target))
    assert line == f"错误：{target}：这是一个文件夹，不是文件", line
    assert [p.name for p in out.iterdir()] == ["台账.csv"]  # no temporary left behind


def test_a_page_of_the_list_says_which_rows_it_shows(c: Cli) -> None:
    for day in ("2026-11-02", "2026-11-03", "2026-11-04"):
        c.register(day)
    r = c.run("list", "--today", TODAY, "--limit", "2", "--offset", "1")
    assert r.exit_code == 0 and "自第 2 件起 2 件" in r.stdout, r.stdout
    assert "共 3 件" in c.run("list", "--today", TODAY).stdout
