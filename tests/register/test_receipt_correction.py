"""`disclosure amend --received/--arrived/--channel`: a wrongly registered arrival corrected by
a new event (rulebook §3.3); every deadline then runs as if it had been registered right."""

from __future__ import annotations

from typing import Any

import pytest

from tests.register.conftest import REGISTER, Cli

pytestmark = pytest.mark.usefixtures("engine")

# What the engine gives a case: every clock and fact except the day it is looked at.
CLOCK_KEYS = ("reply_due", "next_action_due", "internal_target", "correction_notice_due")


def _clocks(shown: dict[str, Any]) -> dict[str, Any]:
    facts = {k: v for k, v in shown["facts"].items() if k != "as_of"}
    return {**{k: shown[k] for k in CLOCK_KEYS}, "facts": facts, "clocks": shown["clocks"]}


def _signed_post(c: Cli, received: str, arrived: str) -> str:
    args = [a if a != "in_person" else "post_signed" for a in REGISTER]
    return c.ok(*args, "--received", received, "--arrived", arrived)["number"]


@pytest.mark.parametrize(
    "later",
    [
        (),
        (("extend", "--days", "10", "--approver", "主任", "--date", "2026-11-20"),),
        (("correction", "request", "--date", "2026-11-10", "--served", "2026-11-11"),
         ("correction", "receive", "--date", "2026-11-16")),
    ],
    ids=["receipt-only", "extension-after", "correction-after"],
)  # fmt: skip
def test_a_corrected_receipt_counts_as_if_registered_so(
    c: Cli, later: tuple[tuple[str, ...], ...]
) -> None:
    wrong = _signed_post(c, "2026-11-02", "2026-11-02")
    right = _signed_post(c, "2026-11-04", "2026-11-02")
    before = c.show(wrong)
    out = c.ok("amend", wrong, "--received", "2026-11-04", "--reason", "签收日期录入有误")
    assert out["received_on"] == "2026-11-04" and out["reply_due"] != before["reply_due"]
    for step in later:
        cut = 2 if step[0] == "correction" else 1  # the command, then the number
        for n in (wrong, right):
            c.ok(*step[:cut], n, *step[cut:])
    assert _clocks(c.show(wrong)) == _clocks(c.show(right))
    timeline = c.show(wrong)["timeline"]
    # The registration's receipt stays as written; the correction holds old and new.
    assert [e["on"] for e in timeline if e["kind"] == "received"] == ["2026-11-02"]
    [fix] = [e for e in timeline if e["kind"] == "receipt_corrected"]
    assert fix["changes"] == {"received": {"old": "2026-11-02", "new": "2026-11-04"}}
    assert fix["note"] == "签收日期录入有误"
    assert "法定收到日期：2026-11-02 → 2026-11-04" in fix["facts"]


def test_channel_and_arrival_are_corrected_together_and_shown_in_words(c: Cli) -> None:
    n = _signed_post(c, "2026-11-04", "2026-11-03")
    out = c.ok("amend", n, "--channel", "in_person", "--arrived", "2026-11-04",
               "--reason", "实为当面提交")  # fmt: skip
    assert (out["channel"], out["arrived_on"], out["received_on"]) == (
        "in_person", "2026-11-04", "2026-11-04",
    )  # fmt: skip
    [fix] = [e for e in c.show(n)["timeline"] if e["kind"] == "receipt_corrected"]
    assert "提交方式：邮寄（挂号信、快递） → 当面提交" in fix["facts"]
    assert "送达日期：2026-11-03 → 2026-11-04" in fix["facts"]


def test_registration_data_and_receipt_in_one_command_are_one_transaction(
    c: Cli, unchanged
) -> None:  # type: ignore[no-untyped-def]
    n = c.register("2026-11-02", "--phone", "13800000000")["number"]
    with unchanged():  # the receipt part fails: the phone is not changed either
        c.fails("amend", n, "--phone", "13900000000", "--received", "2026-11-30",
                "--reason", "x")  # fmt: skip
    c.ok("amend", n, "--phone", "13900000000", "--received", "2026-11-03",
         "--arrived", "2026-11-03", "--reason", "当面提交日期有误")  # fmt: skip
    kinds = [e["kind"] for e in c.show(n)["timeline"]]
    assert kinds.count("amended") == 1 and kinds.count("receipt_corrected") == 1


@pytest.mark.parametrize(
    ("args", "option", "words"),
    [
        (("--received", "2026-11-30"), "--received", "晚于今天"),
        (("--received", "2026-11-02"), "--received", "没有需要更正的内容"),
        (("--received", "2026-10-31"), "--received", "早于送达日期"),  # signed post
        (("--received", "2026-11-09", "--reason", " "), "--reason", "须说明更正的理由"),
        (("--channel", "pigeon"), "--channel", "提交方式应为"),
        (("--channel", "in_person"), "--channel", "送达当日"),  # 11-02 ≠ arrival 11-01
        (("--received", "2026-11-13"), "--received", "已记录的“发出补正告知”不能成立"),
        (("--received", "2026-13-01"), "--received", ""),
    ],
    ids=["future", "unchanged", "before-arrival", "no-reason", "bad-channel",
         "same-day-channel", "after-a-step", "not-a-date"],
)  # fmt: skip
def test_bad_receipt_corrections_write_nothing(
    c: Cli, unchanged, args: tuple[str, ...], option: str, words: str
) -> None:  # type: ignore[no-untyped-def]
    n = _signed_post(c, "2026-11-02", "2026-11-01")
    c.ok("correction", "request", n, "--date", "2026-11-10", "--served", "2026-11-10")
    reason = () if "--reason" in args else ("--reason", "录入有误")
    with unchanged():
        err = c.fails("amend", n, *args, *reason)
    assert option in err and words in err


def test_a_closed_case_keeps_its_receipt(c: Cli, unchanged) -> None:  # type: ignore[no-untyped-def]
    n = c.register("2026-11-02")["number"]
    c.ok("reply", n, "--outcome", "1", "--date", "2026-11-20")
    with unchanged():
        err = c.fails("amend", n, "--received", "2026-11-03", "--reason", "x")
    assert "已办结" in err


def test_an_unconfirmed_arrival_is_confirmed_not_corrected(c: Cli, unchanged) -> None:  # type: ignore[no-untyped-def]
    args = [a if a != "in_person" else "online" for a in REGISTER]
    n = c.ok(*args, "--arrived", "2026-11-02")["number"]
    with unchanged():
        err = c.fails("amend", n, "--received", "2026-11-03", "--reason", "x")
    assert "--received" in err and "请先确认收到" in err
    out = c.ok("amend", n, "--arrived", "2026-11-03", "--reason", "送达日期有误")
    assert out["arrived_on"] == "2026-11-03" and out["received_on"] is None


def test_letters_already_issued_are_named_when_the_receipt_moves(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    c = Cli(cli)
    n = c.register("2026-11-02")["number"]
    out = str(tmp_path / "回执.docx")
    r = cli("letter", n, "--kind", "receipt", "--out", out, "--today", "2026-11-02")
    assert r.exit_code == 0, r.stderr
    moved = cli("amend", n, "--received", "2026-11-03", "--arrived", "2026-11-03",
                "--reason", "录入有误", "--today", "2026-11-27")  # fmt: skip
    assert moved.exit_code == 0 and "请出具更正文书" in moved.stderr
    # The letter is named by its name and 文号, as the timeline records its issue.
    [issued] = [e["note"] for e in c.show(n)["timeline"] if e["kind"] == "letter_issued"]
    assert issued.startswith("登记回执") and issued in moved.stderr
    # The receipt prints the channel too: correcting only that names the letter as well.
    channel = cli("amend", n, "--channel", "fax", "--reason", "实为传真", "--today", "2026-11-27")
    assert channel.exit_code == 0 and issued in channel.stderr
    assert "已更正提交方式" in channel.stdout


def test_a_correction_that_makes_an_extension_too_late_is_refused(c: Cli, unchanged) -> None:  # type: ignore[no-untyped-def]
    """Received, as corrected, on 10-28: the 20 working days end 11-25, so an extension
    decided on 11-26 could not have been granted (Reg. Art. 33): refused, naming it."""
    n = c.register("2026-11-02")["number"]
    c.ok("extend", n, "--days", "15", "--approver", "李主任", "--date", "2026-11-26")
    with unchanged():
        err = c.fails("amend", n, "--received", "2026-10-28", "--reason", "录入有误")
    assert "--received" in err and "延期答复" in err and "2026-11-25" in err
    out = c.ok("amend", n, "--received", "2026-10-30", "--reason", "录入有误")  # 11-27: in time
    assert out["received_on"] == "2026-10-30"


def test_what_the_correction_makes_late_is_said_at_once(c: Cli) -> None:
    """A correction notice on 11-12, in time for a receipt of 11-04 (7 working days end
    11-13), is late for one of 11-02 (they end 11-11): said when correcting (§11.3)."""
    n = c.register("2026-11-04")["number"]
    c.ok("correction", "request", n, "--date", "2026-11-12", "--served", "2026-11-12")
    out = c.ok("amend", n, "--received", "2026-11-02", "--reason", "录入有误")
    assert any("补正" in w for w in out["warnings"]), out["warnings"]
    again = c.ok("amend", n, "--reason", "再次核对", "--phone", "13900000000")
    assert not any("补正" in w for w in again["warnings"])  # said once, not at every step


def test_in_person_arrival_and_receipt_are_one_day(c: Cli) -> None:
    n = c.register("2026-11-02")["number"]
    out = c.ok("amend", n, "--received", "2026-11-03", "--reason", "录入有误")
    assert (out["arrived_on"], out["received_on"]) == ("2026-11-03", "2026-11-03")
    assert out["recorded"] == ["更正送达日期、法定收到日期"]  # what moved, not what was typed
    out = c.ok("amend", n, "--arrived", "2026-11-04", "--reason", "录入有误")
    assert (out["arrived_on"], out["received_on"]) == ("2026-11-04", "2026-11-04")


def test_an_unconfirmed_ordinary_letter_gets_its_arrival_right_then_is_confirmed(c: Cli) -> None:
    args = [a if a != "in_person" else "post_unsigned" for a in REGISTER]
    n = c.ok(*args, "--arrived", "2026-11-02")["number"]
    out = c.ok("amend", n, "--arrived", "2026-11-03", "--reason", "实为11月3日到达")
    assert (out["arrived_on"], out["received_on"]) == ("2026-11-03", None)
    assert c.ok("confirm", n, "--date", "2026-11-03")["received_on"] == "2026-11-03"


def test_an_online_arrival_handed_in_at_the_counter_is_received_that_day(c: Cli) -> None:
    args = [a if a != "in_person" else "online" for a in REGISTER]
    n = c.ok(*args, "--arrived", "2026-11-02")["number"]
    out = c.ok("amend", n, "--channel", "in_person", "--reason", "实为当面提交")
    right = c.register("2026-11-02")["number"]
    assert out["received_on"] == "2026-11-02"
    assert _clocks(c.show(n)) == _clocks(c.show(right))


def test_an_arrival_after_the_receipt_names_the_arrival(c: Cli, unchanged) -> None:  # type: ignore[no-untyped-def]
    args = [a if a != "in_person" else "online" for a in REGISTER]
    n = c.ok(*args, "--arrived", "2026-11-02")["number"]
    c.ok("confirm", n, "--date", "2026-11-03")
    with unchanged():
        err = c.fails("amend", n, "--arrived", "2026-11-04", "--reason", "x")
    assert "--arrived" in err


def test_an_in_person_receipt_corrected_to_a_closed_day_is_questioned(c: Cli) -> None:
    n = c.register("2026-11-02")["number"]
    out = c.ok("amend", n, "--received", "2026-11-01", "--reason", "录入有误")  # a Sunday
    assert any("2026-11-01（周日）不是工作日" in w for w in out["warnings"]), out["warnings"]
    out = c.ok("amend", n, "--received", "2026-10-30", "--reason", "录入有误")  # a Friday
    assert not any("不是工作日" in w for w in out["warnings"])


NOTICE_2027 = """
[[notice]]
year = 2027
title = "测试数据（虚构）：2027年节假日安排"
number = "测试〔2026〕7号"
published = 2026-11-05
days_off = [
  { name = "元旦", start = 2027-01-01, end = 2027-01-03 },
  { name = "春节", start = 2027-02-05, end = 2027-02-08 },
  { name = "清明节", start = 2027-04-03, end = 2027-04-05 },
  { name = "劳动节", start = 2027-05-01, end = 2027-05-05 },
  { name = "端午节", start = 2027-06-09, end = 2027-06-09 },
  { name = "中秋节", start = 2027-09-15, end = 2027-09-15 },
  { name = "国庆节", start = 2027-10-01, end = 2027-10-07 },
]
working_weekend_days = [
  { date = 2027-01-23, name = "春节" },
  { date = 2027-01-30, name = "春节" },
]
"""


def test_a_calendar_flag_does_not_let_a_correction_make_a_step_later_still(
    c: Cli, unchanged, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """An extension decided in time on 2/16 becomes late when a notice adds two make-up
    Saturdays (kept and flagged, rulebook §11). Correcting the receipt earlier would make it
    later still: refused. Correcting it later loosens every limit: allowed."""
    n = c.register("2027-01-18", today="2027-01-18")["number"]
    c.ok("extend", n, "--days", "10", "--approver", "陈主任", "--date", "2027-02-16",
         "--today", "2027-02-16")  # fmt: skip
    notice = tmp_path / "n2027.toml"
    notice.write_text(NOTICE_2027, encoding="utf-8")
    c.ok("calendar", "load", str(notice), "--today", "2027-02-16")
    flags = c.show(n, today="2027-02-17")["facts"]["flags"]
    assert [f["step"] for f in flags] == ["extension_granted"], flags  # the calendar's flag
    with unchanged():
        err = c.fails("amend", n, "--received", "2027-01-11", "--reason", "x",
                      "--today", "2027-02-17")  # fmt: skip
    assert "--received" in err and "延期答复" in err
    out = c.ok("amend", n, "--received", "2027-01-19", "--reason", "录入有误",
               "--today", "2027-02-17")  # fmt: skip
    assert out["received_on"] == "2027-01-19"


def test_a_receipt_a_year_off_its_number_is_refused(c: Cli, unchanged) -> None:  # type: ignore[no-untyped-def]
    """2026-00001 was registered in 2026: a receipt of 2025-11-30 fits (registered late, in
    the next year); one of 2024-12-31 does not (number_year_fits)."""
    n = c.register("2026-01-05", today="2026-01-05")["number"]
    assert n.startswith("2026")
    with unchanged():
        err = c.fails("amend", n, "--received", "2024-12-31", "--reason", "x")
    assert "--received" in err and "登记编号" in err
    assert c.ok("amend", n, "--received", "2025-11-28", "--reason", "遗漏登记")["number"] == n


def test_a_back_dated_step_that_undoes_a_recorded_one_names_it(c: Cli, unchanged) -> None:  # type: ignore[no-untyped-def]
    """A correction notice dated 3/05, recorded after an extension of 3/25: the extension
    would then have been decided while the correction was awaited (Reg. Art. 30)."""
    n = c.register("2026-03-02", today="2026-03-02")["number"]
    c.ok("extend", n, "--days", "5", "--approver", "李主任", "--date", "2026-03-25")
    with unchanged():
        err = c.fails("correction", "request", n, "--date", "2026-03-05")
    assert "--date" in err and "已记录的“延期答复”不能成立" in err


def test_a_step_recorded_for_a_day_before_the_arrival_names_the_option_that_gave_it(
    c: Cli, unchanged
) -> None:  # type: ignore[no-untyped-def]
    """amend, note, assign and stage take no date of their own: their day is --today."""
    n = c.register("2026-11-02")["number"]
    with unchanged():
        for args in (("amend", n, "--phone", "13900000000", "--reason", "x"),
                     ("note", n, "--note", "x"), ("stage", n, "review")):  # fmt: skip
            err = c.fails(*args, "--today", "2026-10-30")
            assert err.startswith("错误：--today:") and "早于申请送达日期" in err, err
        err = c.fails("extend", n, "--days", "5", "--approver", "李", "--date", "2026-10-30")
        assert err.startswith("错误：--date:"), err  # a step with a date of its own
