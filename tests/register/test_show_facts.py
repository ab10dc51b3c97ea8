"""`show --json` "facts" and the human `show` (docs/show-json.md): every date recountable.

Every expected date below is counted by hand from the rulebook (§2 counting, §4 extension,
§7 fees); November and December 2026 hold no public holiday and no make-up working day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.register.conftest import Cli

pytestmark = pytest.mark.usefixtures("engine")


@pytest.fixture
def extended(c: Cli) -> str:
    """Received Mon 11-02 at the counter; extended by 5 working days on Fri 11-20."""
    n = c.register("2026-11-02")["number"]
    c.ok("extend", n, "--days", "5", "--approver", "陈主任", "--date", "2026-11-20")
    return n


def test_facts_of_an_extended_overdue_case(c: Cli, extended: str) -> None:
    facts = c.show(extended, today="2026-12-09")["facts"]
    assert facts["as_of"] == "2026-12-09"
    assert facts["reply_period_runs_from"] == "2026-11-02"
    assert facts["reply_period_runs_from_label"] == "收到申请之日"
    # Day 1 is Tue 11-03; days 4+5+5+5 to Fri 11-27 make 19, Mon 11-30 is day 20.
    assert facts["extension"] == {
        "days": 5,
        "approver": "陈主任",
        "decided_on": "2026-11-20",
        "original_due": "2026-11-30",
        "due_at_decision": "2026-11-30",
        "due": "2026-12-07",  # 12-01 … 12-04 and Mon 12-07: five more working days
    }
    assert facts["reply_due"] == "2026-12-07"
    # Tue 12-08 and Wed 12-09 are the two working days past the due date.
    assert facts["overdue"] is True and facts["working_days_late"] == 2
    assert facts["projection"] is False and facts["pauses"] == []
    reply = next(k for k in facts["clocks"] if k["clock"] == "reply_due")
    assert reply["working_days"] == 25 and "含延期5个工作日" in reply["basis"]


def test_facts_on_the_due_date_are_not_overdue(c: Cli, extended: str) -> None:
    facts = c.show(extended, today="2026-12-07")["facts"]
    assert facts["overdue"] is False and facts["working_days_late"] == 0


def test_fee_pause_runs_from_service_and_says_so(c: Cli) -> None:
    n = c.register("2026-11-02")["number"]
    c.ok("fee-notice", n, "--date", "2026-11-04", "--amount", "100")
    posted = c.show(n, today="2026-11-06")["facts"]
    fee = next(k for k in posted["clocks"] if k["clock"] == "fee_payment_due")
    assert fee["status"] == "not_started" and fee["due"] is None  # never a guessed date
    assert fee["sent"] == "2026-11-04"
    # The reply clock is paused from the notice, projected while the payment is open.
    assert posted["projection"] is True
    [pause] = posted["pauses"]
    assert pause["start"] == "2026-11-04" and pause["causes"][0]["open"] is True


def test_human_show_says_how_late_and_how_it_arrived(c: Cli, extended: str) -> None:
    r = c.run("show", extended, "--today", "2026-12-09")
    assert r.exit_code == 0, r.stderr
    assert "提交方式：当面提交" in r.stdout and "法定收到日期：2026-11-02" in r.stdout
    assert "已超期 2 个工作日" in r.stdout
    assert "剩余 0 个工作日" not in r.stdout
    assert "已届满" in r.stdout  # the correction-notice window ran out on 11-11


def test_human_show_names_the_outcome(c: Cli, extended: str) -> None:
    c.ok("reply", extended, "--outcome", "1", "--date", "2026-11-27")
    r = c.run("show", extended, "--today", "2026-11-27")
    assert r.exit_code == 0, r.stderr
    assert "答复结果：1 予以公开" in r.stdout
    assert "结果：1 予以公开" in r.stdout  # the timeline too, not a bare code
    assert "已于 2026-11-27 办结" in r.stdout


def test_a_late_correction_notice_is_flagged_and_counted(c: Cli, engine, office) -> None:  # type: ignore[no-untyped-def]
    """Rulebook §5/§11: the notice is due by the 7th working day (Wed 11-11); sent Fri 11-20."""
    from sqlmodel import Session

    from disclosure.services.dashboard import counts

    late, on_time = (c.register("2026-11-02")["number"] for _ in range(2))
    told = c.ok("correction", "request", late, "--date", "2026-11-20")["warnings"]
    assert c.ok("correction", "request", on_time, "--date", "2026-11-11")["warnings"] == []
    facts = c.show(late)["facts"]
    assert facts["correction_notice_late"] is True
    [flag] = facts["flags"]
    assert flag["kind"] == "correction_notice_late" and flag["on"] == "2026-11-20"
    assert flag["limit"] == "2026-11-11"
    assert c.show(on_time)["facts"]["flags"] == []
    assert told == [flag["text"]]  # the clerk is told when recording it, not only in `show`
    r = c.run("show", late)
    assert "提示" in r.stdout and flag["text"] in r.stdout
    assert f"⚠ {flag['label']}" in r.stdout  # on the timeline, at the late step
    with Session(engine) as s:
        got = counts(s, office=office, today=date(2026, 11, 27))
    assert got.flagged == 1 and got.open == 2


def test_recording_a_late_step_says_so(c: Cli) -> None:
    """The plain-text answer to a late correction notice warns on stderr, in words."""
    n = c.register("2026-11-02")["number"]
    r = c.run("correction", "request", n, "--date", "2026-11-20", "--today", "2026-11-27")
    assert r.exit_code == 0 and "已记录补正告知" in r.stdout
    assert "⚠ 补正告知逾期发出：2026年11月20日" in r.stderr
    assert "至2026年11月11日" in r.stderr


def test_a_clock_inside_its_pause_reads_as_paused(c: Cli) -> None:
    """The case reads 暂停计时 while a consultation waits: so does its reply clock's row, and
    the correction-notice clock, which no consultation pauses, still runs."""
    n = c.register("2026-11-02")["number"]
    c.ok("consult", "send", n, "--date", "2026-11-20", "--party", "某公司", "--served",
         "2026-11-20")  # fmt: skip
    shown = c.show(n, today="2026-11-24")
    assert shown["state"] == "paused"
    clocks = {k["clock"]: k for k in shown["facts"]["clocks"]}
    reply = clocks["reply_due"]
    assert (reply["status_label"], reply["paused"]) == ("暂停计时", True)
    assert clocks["correction_notice_due"]["paused"] is False
    after = {k["clock"]: k for k in c.show(n, today="2026-11-19")["facts"]["clocks"]}
    assert after["reply_due"]["status_label"] == "计时中"  # before the letter went out
    text = c.run("show", n, "--today", "2026-11-24").stdout
    assert "暂停计时" in text.split("各项期限", 1)[1].split("办理经过", 1)[0]


def test_an_unconfirmed_arrival_shows_no_empty_explanation(c: Cli) -> None:
    from tests.register.conftest import REGISTER

    n = c.ok(*REGISTER[:2], "online", *REGISTER[3:], "--arrived", "2026-11-26")["number"]
    text = c.run("show", n, "--today", "2026-11-27").stdout
    assert "待确认收到" in text and "期限计算说明" not in text
    c.ok("confirm", n, "--date", "2026-11-26")
    assert "期限计算说明" in c.run("show", n, "--today", "2026-11-27").stdout


def test_a_reply_while_the_fee_is_unpaid_says_so(c: Cli) -> None:
    """Rulebook §11.4a: allowed, flagged, and the clerk told at once in words."""
    unpaid, paid = (c.register("2026-11-02")["number"] for _ in range(2))
    for n in (unpaid, paid):
        c.ok("fee-notice", n, "--amount", "150", "--date", "2026-11-10", "--served", "2026-11-10")
    c.ok("fee-paid", paid, "--date", "2026-11-16")
    r = c.run("reply", unpaid, "--outcome", "1", "--date", "2026-11-17", "--today", "2026-11-27")
    assert r.exit_code == 0 and "已答复（结果 1）" in r.stdout
    assert r.stderr.strip() == (
        "⚠ 答复时收费通知所列费用尚未缴纳：2026年11月17日（收费通知发出于2026年11月10日）"
    )
    assert c.ok("reply", paid, "--outcome", "1", "--date", "2026-11-17")["warnings"] == []
    [flag] = c.show(unpaid)["facts"]["flags"]
    assert flag["kind"] == "replied_with_fee_unpaid"
    assert c.show(paid)["facts"]["flags"] == []


def test_a_correction_notice_after_the_due_date_leaves_the_case_overdue(
    c: Cli, engine: Any, office: Any
) -> None:
    """Rulebook §11.3a: received Mon 11-02, due Mon 11-30; a correction notice on Tue 12-01
    does not make the case 等待补正 and drop it from the overdue list, count and reminders."""
    from sqlmodel import Session

    from disclosure.services.dashboard import counts

    n = c.register("2026-11-02", today="2026-12-01")["number"]
    told = c.ok("correction", "request", n, "--date", "2026-12-01", "--served", "2026-12-01",
                "--today", "2026-12-01")["warnings"]  # fmt: skip
    assert any("答复期限届满后告知补正" in t and "2026年11月30日" in t for t in told)
    shown = c.show(n, today="2026-12-03")
    assert (shown["state"], shown["reply_due"]) == ("overdue", "2026-11-30")
    assert [a["number"] for a in c.list("--overdue", today="2026-12-03")] == [n]
    c.ok("correction", "receive", n, "--date", "2026-12-02", "--today", "2026-12-03")
    assert c.show(n, today="2026-12-03")["reply_due"] == "2026-11-30"
    with Session(engine) as s:
        got = counts(s, office=office, today=date(2026, 12, 3))
    assert got.overdue == 1
