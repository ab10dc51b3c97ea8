"""rules.engine refuses what the law forbids, with a named error naming the field.

Received Mon 2026-03-02, reply due Mon 2026-03-30 (20 working days) unless said otherwise;
the reason for every limit is in the comment beside the case.
"""

from __future__ import annotations

import pytest

from rules.calendar import WorkingCalendar
from rules.engine import compute
from rules.errors import (
    AbandonmentError,
    CalendarRangeError,
    CorrectionOrderError,
    DeferralError,
    EventAfterClosingError,
    EventBeforeReceiptError,
    ExtensionError,
    LatePaymentError,
    MissingReceiptError,
    PauseOrderError,
    RulesError,
    SequenceError,
    ServedDateError,
)
from rules.events import AbandonReason, Event, EventKind
from tests.rules.helpers import BASE, K, ev, rec, run

CORR, FEE = AbandonReason.CORRECTION, AbandonReason.FEE
# Correction notice served Mon 3/9: the applicant's 15 working days end Mon 3/30
# (3/10–13 = 4, 3/16–20 = 9, 3/23–27 = 14, 3/30 = 15).
ASKED = ev(K.CORRECTION_REQUESTED, "2026-03-04", served="2026-03-09")
# Fee notice sent Tue 3/10, served Fri 3/13: 20 working days end Mon 4/13
# (3/16–20 = 5, 3/23–27 = 10, 3/30–4/3 = 15, 4/7–10 = 19, 4/13 = 20).
BILLED = ev(K.FEE_NOTICE_SENT, "2026-03-10", served="2026-03-13")

ERROR_CASES = [
    # -- extensions (Reg. Art. 33 ¶2) ------------------------------------------------------
    pytest.param([ev(K.EXTENSION_GRANTED, "2026-03-20", days=21)], ExtensionError, "days",
                 id="extension-over-20"),
    pytest.param([ev(K.EXTENSION_GRANTED, "2026-03-20", days=0)], ExtensionError, "days",
                 id="extension-of-0"),
    pytest.param([ev(K.EXTENSION_GRANTED, "2026-03-20")], ExtensionError, "days",
                 id="extension-without-days"),
    # Due Mon 3/30; Tue 3/31 is too late.
    pytest.param([ev(K.EXTENSION_GRANTED, "2026-03-31", days=5)], ExtensionError, "on",
                 id="extension-after-due"),
    pytest.param([ev(K.EXTENSION_GRANTED, "2026-03-10", days=5),
                  ev(K.EXTENSION_GRANTED, "2026-03-20", days=5)], ExtensionError, "step",
                 id="second-extension"),
    pytest.param([ASKED, ev(K.EXTENSION_GRANTED, "2026-03-06", days=5)], ExtensionError, "on",
                 id="extension-while-awaiting-correction"),
    # Art. 35 replaced the statutory deadline: no Art. 33 extension of it afterwards.
    pytest.param([ev(K.DEFERRED, "2026-03-10", due="2026-05-29"),
                  ev(K.EXTENSION_GRANTED, "2026-03-20", days=5)], ExtensionError, "on",
                 id="extension-after-art35"),
    # -- corrections (Reg. Art. 30) --------------------------------------------------------
    pytest.param([ev(K.CORRECTION_RECEIVED, "2026-03-05")], CorrectionOrderError, "on",
                 id="correction-never-requested"),
    pytest.param([ev(K.CORRECTION_REQUESTED, "2026-03-10"),
                  ev(K.CORRECTION_RECEIVED, "2026-03-05")], CorrectionOrderError, "on",
                 id="correction-received-before-requested"),
    pytest.param([ev(K.CORRECTION_REQUESTED, "2026-03-04"),
                  ev(K.CORRECTION_REQUESTED, "2026-03-05")], CorrectionOrderError, "on",
                 id="correction-requested-twice"),
    # -- pauses, consultations, fees -------------------------------------------------------
    pytest.param([ev(K.PAUSE, "2026-03-10", end="2026-03-09")], PauseOrderError, "end",
                 id="pause-ends-before-start"),
    pytest.param([ev(K.PAUSE, "2026-03-10")], PauseOrderError, "end", id="pause-without-end"),
    pytest.param([ev(K.CONSULTATION_ANSWERED, "2026-03-10")], PauseOrderError, "on",
                 id="answer-without-letter"),
    pytest.param([ev(K.CONSULTATION_ANSWERED, "2026-03-08"),
                  ev(K.CONSULTATION_SENT, "2026-03-10")], PauseOrderError, "on",
                 id="answer-before-letter"),
    # A letter to 甲公司 is open; an answer from 乙局 has no letter.
    pytest.param([ev(K.CONSULTATION_SENT, "2026-03-09", party="甲公司"),
                  ev(K.CONSULTATION_ANSWERED, "2026-03-10", party="乙局")], PauseOrderError,
                 "party", id="answer-from-a-party-never-asked"),
    pytest.param([ev(K.FEE_PAID, "2026-03-10")], PauseOrderError, "on",
                 id="paid-without-notice"),
    pytest.param([ev(K.FEE_NOTICE_SENT, "2026-03-10"), ev(K.FEE_NOTICE_SENT, "2026-03-11")],
                 PauseOrderError, "on", id="second-fee-notice"),
    pytest.param([BILLED, ev(K.FEE_PAID, "2026-03-16"), ev(K.FEE_PAID, "2026-03-17")],
                 PauseOrderError, "on", id="paid-twice"),
    # -- served dates (rulebook §11) -------------------------------------------------------
    pytest.param([ev(K.CORRECTION_REQUESTED, "2026-03-04", served="2026-03-03")],
                 ServedDateError, "served", id="correction-served-before-sent"),
    pytest.param([ev(K.CONSULTATION_SENT, "2026-03-09", served="2026-03-08")],
                 ServedDateError, "served", id="consultation-served-before-sent"),
    pytest.param([ev(K.FEE_NOTICE_SENT, "2026-03-10", served="2026-03-09")],
                 ServedDateError, "served", id="fee-notice-served-before-sent"),
    # The applicant cannot send the corrected application before the notice reached them.
    pytest.param([ASKED, ev(K.CORRECTION_RECEIVED, "2026-03-06")], ServedDateError, "served",
                 id="corrected-before-notice-served"),
    pytest.param([ev(K.CONSULTATION_SENT, "2026-03-09", served="2026-03-12"),
                  ev(K.CONSULTATION_ANSWERED, "2026-03-11")], ServedDateError, "served",
                 id="answer-before-letter-served"),
    pytest.param([BILLED, ev(K.FEE_PAID, "2026-03-12")], ServedDateError, "served",
                 id="paid-before-notice-served"),
    # -- late payment (Fees art. 7, rulebook §11) ------------------------------------------
    # Period ends Mon 4/13; paid Tue 4/14 without the office accepting it.
    pytest.param([BILLED, ev(K.FEE_PAID, "2026-04-14")], LatePaymentError, "on",
                 id="paid-after-period"),
    # Unserved notice sent 3/10: 20 working days from sending end Wed 4/8 (3/11–13 = 3,
    # 3/16–20 = 8, 3/23–27 = 13, 3/30–4/3 = 18, 4/7–8 = 20); paid 4/9, maybe late: the
    # served date must be recorded first.
    pytest.param([ev(K.FEE_NOTICE_SENT, "2026-03-10"), ev(K.FEE_PAID, "2026-04-09")],
                 LatePaymentError, "served", id="paid-late-unless-served-later"),
    # Accepting a late payment before the period ended (4/13) is meaningless.
    pytest.param([BILLED, ev(K.LATE_PAYMENT_ACCEPTED, "2026-04-13", note="邮局延误")],
                 LatePaymentError, "on", id="accepted-before-period-ended"),
    pytest.param([BILLED, ev(K.LATE_PAYMENT_ACCEPTED, "2026-04-14")], LatePaymentError,
                 "note", id="accepted-without-reason"),
    pytest.param([ev(K.FEE_NOTICE_SENT, "2026-03-10"),
                  ev(K.LATE_PAYMENT_ACCEPTED, "2026-04-14", note="邮局延误")],
                 LatePaymentError, "served", id="accepted-without-served-date"),
    pytest.param([ev(K.LATE_PAYMENT_ACCEPTED, "2026-04-14", note="邮局延误")],
                 LatePaymentError, "on", id="accepted-without-notice"),
    pytest.param([BILLED, ev(K.LATE_PAYMENT_ACCEPTED, "2026-04-14", note="甲"),
                  ev(K.LATE_PAYMENT_ACCEPTED, "2026-04-15", note="乙")], LatePaymentError,
                 "on", id="accepted-twice"),
    pytest.param([BILLED, ev(K.FEE_PAID, "2026-03-20"),
                  ev(K.LATE_PAYMENT_ACCEPTED, "2026-04-14", note="甲")], LatePaymentError,
                 "on", id="accepted-after-payment"),
    # -- Art. 35 (rulebook §11) ------------------------------------------------------------
    pytest.param([ev(K.DEFERRED, "2026-03-10", due="2026-03-10")], DeferralError, "due",
                 id="art35-deadline-not-after-notice"),
    # Statutory due 3/30: an Art. 35 date must be later.
    pytest.param([ev(K.DEFERRED, "2026-03-10", due="2026-03-27")], DeferralError, "due",
                 id="art35-earlier-than-statutory"),
    pytest.param([ev(K.DEFERRED, "2026-03-10", due="2026-03-30")], DeferralError, "due",
                 id="art35-equal-to-statutory"),
    # Decided Tue 3/31, the statutory date 3/30 already passed.
    pytest.param([ev(K.DEFERRED, "2026-03-31", due="2026-05-29")], DeferralError, "on",
                 id="art35-after-statutory-expired"),
    # 20 + 5 days: due Tue 4/7 (3/31–4/3 = 24, 4/7 = 25); 4/7 is not later.
    pytest.param([ev(K.EXTENSION_GRANTED, "2026-03-20", days=5),
                  ev(K.DEFERRED, "2026-04-01", due="2026-04-07")], DeferralError, "due",
                 id="art35-not-later-than-extended"),
    pytest.param([ev(K.DEFERRED, "2026-03-10")], DeferralError, "due", id="art35-without-date"),
    pytest.param([ev(K.DEFERRED, "2026-03-10", due="2026-05-29"),
                  ev(K.DEFERRED, "2026-03-20", due="2026-06-30")], DeferralError, "on",
                 id="second-art35"),
    pytest.param([ASKED, ev(K.DEFERRED, "2026-03-10", due="2026-05-29")], DeferralError, "on",
                 id="art35-while-awaiting-correction"),
    # -- deemed abandonment (Reg. Art. 30, Fees art. 7, rulebook §11) ---------------------
    pytest.param([ASKED, ev(K.ABANDONED, "2026-03-31")], AbandonmentError, "reason",
                 id="abandoned-without-reason"),
    pytest.param([ASKED, ev(K.ABANDONED, "2026-03-31", reason="tired")], AbandonmentError,
                 "reason", id="abandoned-unknown-reason"),
    pytest.param([ev(K.ABANDONED, "2026-03-31", reason=CORR)], AbandonmentError, "reason",
                 id="abandon-correction-not-awaiting"),
    pytest.param([ev(K.ABANDONED, "2026-05-31", reason=FEE)], AbandonmentError, "reason",
                 id="abandon-fee-without-notice"),
    pytest.param([BILLED, ev(K.FEE_PAID, "2026-03-20"), ev(K.ABANDONED, "2026-05-31",
                  reason=FEE)], AbandonmentError, "reason", id="abandon-fee-after-payment"),
    # Served 3/9, the period runs until 3/30 inclusive (from sending it would end 3/25).
    pytest.param([ASKED, ev(K.ABANDONED, "2026-03-26", reason=CORR)], AbandonmentError, "on",
                 id="abandon-correction-before-served-period-ran-out"),
    pytest.param([ASKED, ev(K.ABANDONED, "2026-03-30", reason=CORR)], AbandonmentError, "on",
                 id="abandon-correction-on-last-day"),
    pytest.param([ev(K.CORRECTION_REQUESTED, "2026-03-04"),
                  ev(K.ABANDONED, "2026-05-29", reason=CORR)], AbandonmentError, "served",
                 id="abandon-correction-never-served"),
    # Period ends 4/13 (from service 3/13); from sending it would have ended 4/8.
    pytest.param([BILLED, ev(K.ABANDONED, "2026-04-09", reason=FEE)], AbandonmentError, "on",
                 id="abandon-fee-before-served-period-ran-out"),
    pytest.param([ev(K.FEE_NOTICE_SENT, "2026-03-10"),
                  ev(K.ABANDONED, "2026-05-29", reason=FEE)], AbandonmentError, "served",
                 id="abandon-fee-never-served"),
    # -- order and closing -----------------------------------------------------------------
    pytest.param([ev(K.CORRECTION_REQUESTED, "2026-03-01")], EventBeforeReceiptError, "on",
                 id="event-before-receipt"),
    pytest.param([ev(K.REPLIED, "2026-03-20"), ev(K.EXTENSION_GRANTED, "2026-03-25", days=5)],
                 EventAfterClosingError, "on", id="event-after-reply"),
    pytest.param([ev(K.WITHDRAWN, "2026-03-20"), ev(K.REPLIED, "2026-03-21")],
                 EventAfterClosingError, "on", id="reply-after-withdrawal"),
    pytest.param([ASKED, ev(K.ABANDONED, "2026-03-31", reason=CORR),
                  ev(K.CORRECTION_RECEIVED, "2026-04-01")], EventAfterClosingError, "on",
                 id="correction-after-abandonment"),
    # Same day, recorded after the reply.
    pytest.param([ev(K.REPLIED, "2026-03-20"), ev(K.CONSULTATION_SENT, "2026-03-20")],
                 EventAfterClosingError, "on", id="same-day-step-after-reply"),
    pytest.param([rec("2026-03-03")], MissingReceiptError, "received", id="two-receipts"),
]  # fmt: skip


@pytest.mark.parametrize(("events", "error", "field"), ERROR_CASES)
def test_forbidden_sequences_raise_named_errors(
    calendar: WorkingCalendar, events: list[Event], error: type[RulesError], field: str
) -> None:
    with pytest.raises(error) as info:
        run(calendar, BASE, *events)
    assert isinstance(info.value, SequenceError)
    assert info.value.field == field
    assert info.value.message and "/" not in info.value.message  # Chinese only


def test_no_receipt(calendar: WorkingCalendar) -> None:
    with pytest.raises(MissingReceiptError) as info:
        run(calendar, ev(K.REPLIED, "2026-03-20"))
    assert info.value.field == "received"


def test_unknown_kind(calendar: WorkingCalendar) -> None:
    with pytest.raises(SequenceError) as info:
        run(calendar, BASE, Event("refund", BASE.on))  # type: ignore[arg-type]
    assert info.value.field == "kind"


ALLOWED_CASES = [
    # The day after each limit above is allowed.
    pytest.param([ASKED, ev(K.ABANDONED, "2026-03-31", reason=CORR)], id="abandon-correction"),
    pytest.param([BILLED, ev(K.ABANDONED, "2026-04-14", reason="fee")], id="abandon-fee-str"),
    pytest.param([ev(K.DEFERRED, "2026-03-30", due="2026-03-31")], id="art35-on-due-date"),
    pytest.param([BILLED, ev(K.FEE_PAID, "2026-04-13")], id="paid-on-last-day"),
    pytest.param(
        [BILLED, ev(K.LATE_PAYMENT_ACCEPTED, "2026-04-14", note="邮局延误"),
         ev(K.FEE_PAID, "2026-04-14")],
        id="late-payment-accepted",
    ),
    # Sent 3/10 unserved, paid 4/8: on time whatever the served date (20th day from sending).
    pytest.param([ev(K.FEE_NOTICE_SENT, "2026-03-10"), ev(K.FEE_PAID, "2026-04-08")],
                 id="paid-within-period-from-sending"),
]  # fmt: skip


@pytest.mark.parametrize("events", ALLOWED_CASES)
def test_allowed_at_the_limit(calendar: WorkingCalendar, events: list[Event]) -> None:
    run(calendar, BASE, *events)


def test_refusal_does_not_depend_on_list_order(calendar: WorkingCalendar) -> None:
    late = ev(K.EXTENSION_GRANTED, "2026-03-31", days=5)
    with pytest.raises(ExtensionError):
        run(calendar, late, BASE)


def test_trusted_history_is_flagged_not_refused(calendar: WorkingCalendar) -> None:
    """A step checked when recorded stays valid when a new calendar moves the limit."""
    late = Event(EventKind.EXTENSION_GRANTED, BASE.on.replace(day=31), days=5, trusted=True)
    dl = run(calendar, BASE, late)
    assert [f.kind.value for f in dl.flags] == ["extension_after_due"]


@pytest.mark.parametrize(
    ("events", "field"),
    [
        ([rec("2040-01-02")], "received"),
        ([BASE, ev(K.FEE_NOTICE_SENT, "2026-03-10", served="2040-01-02")], "served"),
        ([BASE, ev(K.DEFERRED, "2026-03-10", due="2040-01-02")], "due"),
        ([BASE, ev(K.PAUSE, "2026-03-10", end="2040-01-02")], "end"),
        # Received on the last day of the horizon (2036-12-31): the reply date lies beyond.
        ([rec("2036-12-31")], "date"),
    ],
    ids=["receipt", "served", "art35-date", "pause-end", "computed-date"],
)
def test_dates_outside_the_calendar_name_their_field(
    calendar: WorkingCalendar, events: list[Event], field: str
) -> None:
    with pytest.raises(CalendarRangeError) as info:
        compute(events, calendar)
    assert info.value.field == field
