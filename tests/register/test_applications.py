"""One command per event (`services.applications`): effects on the stored deadlines, and every
bad-input path — non-zero exit, one stderr line naming the option, nothing written."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from disclosure.db import transaction
from disclosure.errors import Conflict, InvalidInput
from disclosure.letters.service import LetterOptions, issue_letter
from disclosure.outcomes import OUTCOMES
from disclosure.schemas import ApplicationCreate
from disclosure.services import registration as svc
from disclosure.services import steps
from disclosure.services.context import Context
from disclosure.services.office import Office
from tests.conftest import NOW
from tests.register.conftest import REGISTER, TODAY, Cli

pytestmark = pytest.mark.usefixtures("engine")


@pytest.fixture
def n(c: Cli) -> str:
    """Received in person Mon 2026-11-02: reply due Mon 11-30 (20 working days)."""
    return c.register("2026-11-02")["number"]


def test_extension_moves_due_date_by_counted_days(c: Cli, n: str) -> None:
    out = c.ok("extend", n, "--days", "10", "--approver", "陈主任", "--date", "2026-11-20")
    assert out["reply_due"] == "2026-12-14"  # 11-30 + 10 working days (12-01…04, 07…11, 14)
    assert out["stage"] == "handling"  # an extension implies the case is being handled
    timeline = c.show(n)["timeline"]
    assert timeline[-1]["approver"] == "陈主任" and timeline[-1]["days"] == 10


def test_extension_on_the_due_date_is_allowed(c: Cli, n: str) -> None:
    out = c.ok(
        "extend", n, "--days", "20", "--approver", "陈主任", "--date", "2026-11-30",
        "--today", "2026-11-30",
    )  # fmt: skip
    assert out["reply_due"] == "2026-12-28"  # 11-30 + 20 working days


def test_consultation_pauses_the_clock(c: Cli, n: str) -> None:
    sent = c.ok("consult", "send", n, "--date", "2026-11-20", "--party", "某企业")
    # Paused to the 15-working-day limit (11-20…12-11); 13 days were used before 11-20.
    assert sent["reply_due"] == "2026-12-22"
    assert sent["state"] == "paused"
    answered = c.ok("consult", "answer", n, "--date", "2026-11-25", "--party", "某企业")
    # 11-20…11-25 paused (sending day included, practice): 4 working days later than 11-30.
    assert answered["reply_due"] == "2026-12-04"
    assert answered["state"] == "running"


def test_correction_restarts_the_period(c: Cli, n: str) -> None:
    asked = c.ok("correction", "request", n, "--date", "2026-11-04")
    assert asked["reply_due"] is None
    assert asked["state"] == "awaiting_correction"
    got = c.ok("correction", "receive", n, "--date", "2026-11-18")
    assert got["reply_due"] == "2026-12-16"  # 20 working days from the corrected application


def test_fee_notice_pauses_until_paid(c: Cli, n: str) -> None:
    sent = c.ok("fee-notice", n, "--date", "2026-11-19", "--amount", "100")
    assert sent["state"] == "paused"
    paid = c.ok("fee-paid", n, "--date", "2026-11-20")
    assert paid["reply_due"] == "2026-12-02"  # 11-19 and 11-20 not counted: 11-30 + 2


def test_art35_deadline_replaces_the_statutory_one(c: Cli, n: str) -> None:
    out = c.ok("defer", n, "--date", "2026-11-20", "--due", "2026-12-31")
    assert out["reply_due"] == "2026-12-31"


def test_withdraw_and_abandon_close_with_their_outcome(c: Cli, n: str) -> None:
    other = c.register("2026-11-02")["number"]
    out = c.ok("withdraw", n, "--date", "2026-11-10")
    assert (out["outcome"], out["stage"], out["state"]) == ("6.3", "replied", "closed_on_time")
    c.ok("correction", "request", other, "--date", "2026-11-03", "--served", "2026-11-03")
    # The 15-working-day correction period from 11-03 runs to 11-24.
    said = c.run("abandon", other, "--date", "2026-11-25", "--reason", "correction", "--today",
                 "2026-11-27")  # fmt: skip
    assert said.exit_code == 0, said.stderr
    # closed: no "等待补正" for a case that waits for nothing any more
    assert said.stdout.strip() == f"{other}：已记录视为放弃申请。已于 2026-11-25 办结（按期办结）"
    assert c.show(other)["outcome"] == "6.1"


def test_abandon_for_fee_after_the_payment_period(c: Cli) -> None:
    n = c.register("2026-10-09")["number"]
    c.ok("fee-notice", n, "--date", "2026-10-12", "--served", "2026-10-12", "--amount", "100")
    # 20 working days counted from the day after the notice (Fees art. 7) run to Mon 11-09.
    line = c.fails("abandon", n, "--date", "2026-11-09", "--reason", "fee", "--today", TODAY)
    assert "--date:" in line
    out = c.ok("abandon", n, "--date", "2026-11-10", "--reason", "fee")
    assert out["outcome"] == "6.2"


def test_confirm_receipt_of_an_online_arrival(engine: Engine, office: Office, c: Cli) -> None:
    with transaction(engine) as s:
        app = svc.register_application(
            s,
            data=ApplicationCreate(
                channel="online",
                arrived_on=date(2026, 11, 13),
                applicant_name="丙",
                applicant_type="other",
                content="z",
            ),
            ctx=Context(office, date(2026, 11, 27), "t", NOW),
        )
        assert app.reply_due is None and app.received_on is None
    assert c.list()[0]["state"] == "unconfirmed"
    line = c.fails("confirm", app.number, "--date", "2026-11-12")
    assert "--date:" in line  # confirmation cannot precede the arrival
    out = c.ok("confirm", app.number, "--date", "2026-11-16")
    assert out["reply_due"] == "2026-12-14"
    assert "登记编号:" in c.fails("confirm", app.number, "--date", "2026-11-16", "--today", TODAY)


def test_assign_sets_lead_and_cooperating(c: Cli, n: str) -> None:
    out = c.ok("assign", n, "--department", "hbc", "--cooperating", "zcfg")
    assert out["department"] == "hbc"
    shown = c.show(n)
    assert shown["cooperating"] == ["zcfg"]
    assert shown["timeline"][-1]["kind"] == "assigned"


def test_every_outcome_code_closes_the_application(engine: Engine, office: Office) -> None:
    day = date(2026, 11, 27)
    data = ApplicationCreate(
        channel="in_person",
        received_on=date(2026, 11, 2),
        applicant_name="丁",
        applicant_type="research",
        content="w",
    )
    with transaction(engine) as s:
        numbers = {
            code: svc.register_application(s, data=data, ctx=Context(office, day, "t", NOW)).number
            for code in OUTCOMES
        }
    late = date(2026, 12, 1)
    served = date(2026, 11, 3)  # every notice below handed over the day it is sent
    for code, number in numbers.items():
        on = late if code in ("2", "6.2") else day
        ctx = Context(office, late, "t", NOW)
        with transaction(engine) as s:  # what the outcome presupposes (rulebook §11.8)
            if code in ("4.3", "6.1"):
                steps.CorrectionRequested(on=served, served=served).record(s, ctx, number)
            if code == "4.3":
                steps.CorrectionReceived(on=date(2026, 11, 5)).record(s, ctx, number)
            if code == "6.2":  # served Mon 11-02: day 1 Tue 11-03, day 20 Mon 11-30; unpaid
                received = date(2026, 11, 2)
                fee = steps.FeeNotice(on=received, served=received, amount=100)
                fee.record(s, ctx, number)
            if code == "5.4":
                issue_letter(s, ctx=ctx, number=number, kind="art35",
                             options=LetterOptions(on=served, due=date(2026, 11, 10)))  # fmt: skip
        repeats = numbers["1"] if code == "5.2" else ""  # "1" is replied first
        with transaction(engine) as s:
            reply = steps.Reply(on=on, code=code, repeats=repeats)
            app = reply.record(s, Context(office, late, "t", NOW), number)
            app = app.application
            assert (app.outcome, app.stage, app.is_open) == (code, "replied", False)
            assert app.closed_on_time is (code != "2")  # 12-01 is after the 11-30 due date
    assert len(numbers) == 21  # 1, 2, 3.1–3.8, 4.1–4.3, 5.1–5.5, 6.1–6.3


@pytest.mark.parametrize("code", ["1", "3.8", "5.5", "6.3"])
def test_reply_command(c: Cli, n: str, code: str) -> None:
    out = c.ok("reply", n, "--outcome", code, "--date", "2026-11-26")
    assert (out["outcome"], out["state"]) == (code, "closed_on_time")
    assert c.show(n)["outcome_label"] == OUTCOMES[code].label


BAD_EVENTS = [
    # (setup commands, failing command, option named, exit code)
    ([], ["reply", "{n}", "--outcome", "7", "--date", "2026-11-20"], "--outcome", 2),
    ([], ["reply", "{n}", "--outcome", "3.9", "--date", "2026-11-20"], "--outcome", 2),
    (
        [["reply", "{n}", "--outcome", "1", "--date", "2026-11-20"]],
        ["reply", "{n}", "--outcome", "2", "--date", "2026-11-21"],
        "--outcome",
        5,
    ),
    ([], ["reply", "{n}", "--outcome", "1", "--date", "2026-10-30"], "--date", 2),  # before receipt
    ([], ["reply", "{n}", "--outcome", "1", "--date", "2026-11-31"], "--date", 2),  # impossible
    ([], ["reply", "{n}", "--outcome", "1", "--date", "2026-11-28"], "--date", 2),  # future
    (
        [],
        ["extend", "{n}", "--days", "21", "--approver", "陈", "--date", "2026-11-20"],
        "--days",
        2,
    ),
    ([], ["extend", "{n}", "--days", "0", "--approver", "陈", "--date", "2026-11-20"], "--days", 2),
    (
        [],
        ["extend", "{n}", "--days", "5", "--approver", " ", "--date", "2026-11-20"],
        "--approver",
        2,
    ),
    (
        [],
        [
            "extend",
            "{n}",
            "--days",
            "5",
            "--approver",
            "陈",
            "--date",
            "2026-12-01",
            "--today",
            "2026-12-01",
        ],
        "--date",  # after the due date 11-30
        2,
    ),
    (
        [["extend", "{n}", "--days", "5", "--approver", "陈", "--date", "2026-11-20"]],
        ["extend", "{n}", "--days", "5", "--approver", "陈", "--date", "2026-11-23"],
        "",  # only one extension: the step itself, not a value of it
        2,
    ),
    ([], ["correction", "receive", "{n}", "--date", "2026-11-05"], "--date", 2),
    (
        [["correction", "request", "{n}", "--date", "2026-11-05"]],
        ["correction", "receive", "{n}", "--date", "2026-11-04"],  # before it was requested
        "--date",
        2,
    ),
    (
        [["correction", "request", "{n}", "--date", "2026-11-05"]],
        ["correction", "request", "{n}", "--date", "2026-11-06"],  # asked once, listing all
        "--date",
        2,
    ),
    ([], ["consult", "answer", "{n}", "--date", "2026-11-05"], "--date", 2),
    ([], ["fee-paid", "{n}", "--date", "2026-11-05"], "--date", 2),
    ([], ["fee-notice", "{n}", "--date", "2026-11-05", "--amount", "0"], "--amount", 2),
    ([], ["defer", "{n}", "--date", "2026-11-05", "--due", "2026-11-05"], "--due", 2),
    ([], ["abandon", "{n}", "--date", "2026-11-20", "--reason", "correction"], "--reason", 5),
    ([], ["abandon", "{n}", "--date", "2026-11-20", "--reason", "fee"], "--reason", 5),
    ([], ["abandon", "{n}", "--date", "2026-11-20", "--reason", "bored"], "--reason", 2),
    (
        [["reply", "{n}", "--outcome", "1", "--date", "2026-11-20"]],
        ["extend", "{n}", "--days", "5", "--approver", "陈", "--date", "2026-11-21"],
        "NUMBER",  # closed: nothing more can be recorded
        5,
    ),
    (
        [["extend", "{n}", "--days", "5", "--approver", "陈", "--date", "2026-11-20"]],
        ["reply", "{n}", "--outcome", "1", "--date", "2026-11-19"],  # reply before a later event
        "--date",
        5,
    ),
    ([], ["reply", "2026-99999", "--outcome", "1", "--date", "2026-11-20"], "NUMBER", 4),
    ([], ["assign", "{n}", "--department", "nope"], "--department", 2),
    ([], ["assign", "{n}", "--department", "hbc", "--cooperating", "nope"], "--cooperating", 2),
    ([], ["confirm", "{n}", "--date", "2026-11-02"], "NUMBER", 5),
]


@pytest.mark.parametrize(
    ("setup", "bad", "field", "code"),
    BAD_EVENTS,
    ids=[
        "outcome-7", "outcome-3.9", "second-reply", "reply-before-receipt", "impossible-date",
        "future-date", "extension-21", "extension-0", "no-approver", "extension-after-due",
        "second-extension", "correction-received-unasked", "correction-received-before-request",
        "correction-asked-twice", "answer-without-consultation", "paid-without-notice",
        "zero-fee", "art35-not-later", "abandon-not-awaiting-correction",
        "abandon-no-fee-notice", "abandon-bad-reason", "event-after-reply",
        "reply-before-earlier-event", "unknown-number", "assign-unknown", "cooperating-unknown",
        "confirm-twice",
    ],
)  # fmt: skip
def test_bad_event_writes_nothing(
    c: Cli, n: str, unchanged, setup: list[list[str]], bad: list[str], field: str, code: int
) -> None:  # type: ignore[no-untyped-def]
    for cmd in setup:
        c.ok(*[a.format(n=n) for a in cmd], "--today", TODAY)
    args = [a.format(n=n) for a in bad]
    if "--today" not in args:
        args += ["--today", TODAY]
    with unchanged():
        line = c.fails(*args, code=code)
    assert line.startswith("错误：")
    if not field:  # a refusal of the step as a whole names no field
        assert ":" not in line.split("（")[0], line
        return
    shown = {"NUMBER": "登记编号", "STAGE": "阶段", "FILE": "文件"}.get(field, field)  # arguments
    assert line.startswith(f"错误：{shown}:"), line


def test_missing_approver_is_a_usage_error(cli, n: str, unchanged) -> None:  # type: ignore[no-untyped-def]
    with unchanged():
        r = cli("extend", n, "--days", "5", "--date", "2026-11-20", "--today", TODAY)
    assert r.exit_code == 2
    assert "--approver" in r.stderr


def test_service_errors_are_named(engine: Engine, office: Office, c: Cli, n: str) -> None:
    day = date(2026, 11, 27)
    with pytest.raises(InvalidInput) as bad, transaction(engine) as s:
        steps.Extension(on=day, days=5, approver="").record(s, Context(office, day, "t", NOW), n)
    assert bad.value.field == "approver"
    with transaction(engine) as s:
        steps.Reply(on=day, code="1").record(s, Context(office, day, "t", NOW), n)
    with pytest.raises(Conflict), transaction(engine) as s:
        steps.Reply(on=day, code="1").record(s, Context(office, day, "t", NOW), n)


def test_cooperating_departments_are_each_named_once_and_never_the_lead(
    c: Cli, n: str, unchanged
) -> None:  # type: ignore[no-untyped-def]
    with unchanged():
        line = c.fails("assign", n, "--department", "hbc", "--cooperating", "环境保护处")
    assert "--cooperating" in line and "主办部门 环境保护处 不能同时是协办部门" in line
    with unchanged():
        line = c.fails("assign", n, "--department", "hbc", "--cooperating", "zcfg",
                       "--cooperating", "政策法规处")  # fmt: skip
    assert "--cooperating" in line and "协办部门 政策法规处 重复" in line
    with unchanged():
        line = c.fails("register", *REGISTER[1:], "--received", "2026-11-02", "--today", TODAY,
                       "--department", "zcfg", "--cooperating", "zcfg")  # fmt: skip
    assert "主办部门 政策法规处 不能同时是协办部门" in line
    # given by name, kept by code: the cooperation answer finds it
    c.ok("assign", n, "--department", "hbc", "--cooperating", "政策法规处")
    assert c.show(n)["cooperating"] == ["zcfg"]


def test_an_answer_says_whose_it_is_when_several_consultations_wait(
    c: Cli, n: str, unchanged
) -> None:  # type: ignore[no-untyped-def]
    c.ok("consult", "send", n, "--date", "2026-11-20", "--party", "某企业")
    c.ok("consult", "send", n, "--date", "2026-11-20", "--party", "某公民")
    with unchanged():
        line = c.fails("consult", "answer", n, "--date", "2026-11-24")
    assert "--party" in line and "有 2 件征求意见待答复（某企业、某公民）" in line
    c.ok("consult", "answer", n, "--date", "2026-11-24", "--party", "某公民")
    # one left waiting: an answer naming no party is that one's
    c.ok("consult", "answer", n, "--date", "2026-11-25")
    timeline = [e for e in c.show(n)["timeline"] if e["kind"] == "consultation_answered"]
    assert len(timeline) == 2


def test_one_letter_waits_per_consulted_party(c: Cli, n: str, unchanged) -> None:  # type: ignore[no-untyped-def]
    """A second letter to a party whose first one waits would pause the clock twice for one
    opinion; once answered, the party may be consulted again."""
    c.ok("consult", "send", n, "--date", "2026-11-20", "--party", "某企业", "--served",
         "2026-11-20")  # fmt: skip
    with unchanged():
        line = c.fails("consult", "send", n, "--date", "2026-11-23", "--party", " 某企业 ")
    assert "--party: 已于 2026-11-20 向某企业征求意见，尚未收到答复" in line
    c.ok("consult", "send", n, "--date", "2026-11-23", "--party", "某公民")  # another party
    c.ok("consult", "answer", n, "--date", "2026-11-24", "--party", "某企业")
    c.ok("consult", "send", n, "--date", "2026-11-25", "--party", "某企业")
    sent = [e for e in c.show(n)["timeline"] if e["kind"] == "consultation_sent"]
    assert len(sent) == 3


def test_a_step_dated_before_its_notice_says_so(c: Cli, n: str) -> None:
    """The corrected application or the payment dated before the notice it answers: the
    refusal names both dates, not "尚未告知补正" / "没有待缴费的收费通知"."""
    c.ok("correction", "request", n, "--date", "2026-11-05")
    err = c.fails("correction", "receive", n, "--date", "2026-11-04")
    assert "收到补正申请的日期 2026-11-04 早于补正告知日期 2026-11-05" in err
    c.ok("correction", "receive", n, "--date", "2026-11-06")
    c.ok("fee-notice", n, "--date", "2026-11-19", "--amount", "100")
    err = c.fails("fee-paid", n, "--date", "2026-11-18")
    assert "缴费日期 2026-11-18 早于收费通知的发出日期 2026-11-19" in err
    assert c.ok("fee-paid", n, "--date", "2026-11-20")["state"] != "paused"


def test_registering_an_in_person_receipt_on_a_sunday_asks_to_check_the_date(c: Cli) -> None:
    r = c.run(*REGISTER, "--received", "2026-11-22", "--today", "2026-11-27")
    assert r.exit_code == 0, r.stderr
    assert "收到日期 2026-11-22（周日）不是工作日" in r.stderr
    r = c.run(*REGISTER, "--received", "2026-11-23", "--today", "2026-11-27")
    assert "不是工作日" not in r.stderr


def test_registering_the_same_application_twice_on_the_cli_says_so(c: Cli) -> None:
    first = c.register("2026-11-23")["number"]
    r = c.run(*REGISTER, "--received", "2026-11-23", "--today", "2026-11-27")
    assert r.exit_code == 0  # a command is run on purpose: registered, and told
    assert f"注意：与已登记的申请 {first} 的申请人、提交方式、日期和申请内容完全相同" in r.stderr
    r = c.run(*REGISTER, "--received", "2026-11-24", "--today", "2026-11-27")
    assert "完全相同" not in r.stderr
