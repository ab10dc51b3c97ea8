"""A per-item fee that cannot be counted (the applicant is not known) asks for what the
command itself takes: fee-notice has only --amount; the letter, which must state the fee's
basis and rate (rulebook §7.6), --pages or --nth (an amount alone names no basis)."""

from __future__ import annotations

import re

from disclosure.cli.main import app
from tests.people.conftest import People

WHY = "无法识别申请人（无身份证件号码、统一社会信用代码或联系电话），不能自动计数本月申请件数"
UNCOUNTED = f"错误：--amount: {WHY}，请给出收费金额"


def _options(command: str) -> set[str]:
    import typer

    cmd = typer.main.get_command(app).commands[command]  # type: ignore[attr-defined]
    return {o for p in cmd.params for o in p.opts}


def _unknown(people: People) -> str:
    out = people.ok(
        "register", "--channel", "in_person", "--applicant", "王五", "--applicant-type",
        "natural", "--content", "某项目环评文件", "--received", "2026-11-02",
    )  # fmt: skip
    return str(out["number"])


def test_fee_notice_asks_only_for_the_amount(people: People) -> None:
    n = _unknown(people)
    said = people.fails("fee-notice", n, "--date", "2026-11-27", code=2)
    assert said == UNCOUNTED
    assert "页数" not in said and "第几件" not in said
    named = set(re.findall(r"--[a-z-]+", said))
    assert named and named <= _options("fee-notice")
    assert [e["kind"] for e in people.ok("show", n)["timeline"]] == ["registered", "received"]
    people.ok("fee-notice", n, "--date", "2026-11-27", "--amount", "100")


def test_the_letter_names_its_own_other_ways(people: People, tmp_path) -> None:  # type: ignore[no-untyped-def]
    n = _unknown(people)
    said = people.fails("letter", n, "--kind", "fee", code=2)
    assert said == (
        f"错误：--nth: {WHY}：请给出页数（--pages，按量计收）或本月第几件申请（--nth，按件计收）"
    )
    assert set(re.findall(r"--[a-z-]+", said)) <= _options("letter")
    assert people.ok("letter", "list", n) == []  # nothing issued, no 文号 drawn
    out = tmp_path / "fee.docx"
    r = people.run("letter", n, "--kind", "fee", "--nth", "11", "--out", str(out))
    assert r.exit_code == 0, r.stderr
