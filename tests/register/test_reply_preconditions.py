"""Outcomes that presuppose facts refuse without them (rulebook §11.8), writing nothing."""

from __future__ import annotations

import pytest

from tests.register.conftest import Cli

pytestmark = pytest.mark.usefixtures("engine")


def test_still_unclear_needs_a_correction_asked_and_received(c: Cli, unchanged) -> None:  # type: ignore[no-untyped-def]
    n = c.register("2026-11-02")["number"]
    with unchanged():
        err = c.fails("reply", n, "--outcome", "4.3", "--date", "2026-11-20")
    assert "--outcome" in err and "补正" in err
    c.ok("correction", "request", n, "--date", "2026-11-04", "--served", "2026-11-04")
    with unchanged():
        c.fails("reply", n, "--outcome", "4.3", "--date", "2026-11-20")  # not received yet
    c.ok("correction", "receive", n, "--date", "2026-11-06")
    assert c.ok("reply", n, "--outcome", "4.3", "--date", "2026-11-20")["outcome"] == "4.3"


def test_no_reasons_needs_the_art35_letter_and_no_deferral(c: Cli, unchanged) -> None:  # type: ignore[no-untyped-def]
    n = c.register("2026-11-02")["number"]
    with unchanged():
        err = c.fails("reply", n, "--outcome", "5.4", "--date", "2026-11-20")
    assert "说明理由告知书" in err
    c.ok("letter", n, "--kind", "art35", "--due", "2026-11-13", "--date", "2026-11-05")
    assert c.ok("reply", n, "--outcome", "5.4", "--date", "2026-11-20")["outcome"] == "5.4"
    other = c.register("2026-11-02")["number"]
    c.ok("letter", other, "--kind", "art35", "--due", "2026-11-13", "--date", "2026-11-05")
    c.ok("defer", other, "--due", "2027-01-29", "--date", "2026-11-16")  # reasons accepted
    with unchanged():
        err = c.fails("reply", other, "--outcome", "5.4", "--date", "2026-11-20")
    assert "延迟答复期限" in err


def test_abandonment_codes_as_a_reply_need_the_expired_period(c: Cli, unchanged) -> None:  # type: ignore[no-untyped-def]
    n = c.register("2026-11-02")["number"]
    c.ok("correction", "request", n, "--date", "2026-11-03", "--served", "2026-11-03")
    # Served Tue 11-03: 15 working days run to Tue 11-24; replying 6.1 before that refuses.
    with unchanged():
        c.fails("reply", n, "--outcome", "6.1", "--date", "2026-11-24")
    assert c.ok("reply", n, "--outcome", "6.1", "--date", "2026-11-25")["outcome"] == "6.1"


def test_a_repeated_application_names_the_replied_one(c: Cli, unchanged) -> None:  # type: ignore[no-untyped-def]
    first = c.register("2026-11-02")["number"]
    n = c.register("2026-11-16")["number"]
    with unchanged():
        err = c.fails("reply", n, "--outcome", "5.2", "--date", "2026-11-20")
    assert "--repeats" in err
    with unchanged():
        err = c.fails("reply", n, "--outcome", "5.2", "--repeats", first, "--date", "2026-11-20")
    assert "尚未答复" in err
    with unchanged():
        c.fails("reply", n, "--outcome", "5.2", "--repeats", "2026-09999", "--date", "2026-11-20")
    c.ok("reply", first, "--outcome", "1", "--date", "2026-11-10")
    out = c.ok("reply", n, "--outcome", "5.2", "--repeats", first, "--date", "2026-11-20")
    assert out["outcome"] == "5.2"
    letter = c.ok("letter", n, "--kind", "reply")
    from pathlib import Path

    from tests.letters.conftest import docx_text

    text = docx_text(Path(letter["docx"]).read_bytes())
    assert (
        f"本机关已于2026年11月10日就您申请公开的相同政府信息（登记编号：{first}）作出答复" in text
    )
