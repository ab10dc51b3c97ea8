"""Periods that run from the addressee's receipt start at the served date (rulebook §11).

The applicant's correction period, the third party's or agency's 15 working days and the
fee payment period ("自收到收费通知次日起20个工作日") run from the day the letter reached its
addressee; until that day is recorded the clock is not started (no date, never a guess).
The reply clock's pauses still start when the letter is sent (rulebook §§6–7).
Received Mon 2026-03-02 (reply due 3/30 without pauses); counts by hand beside each case.
"""

from __future__ import annotations

import pytest

from rules.calendar import WorkingCalendar
from rules.engine import Clock, ClockStatus, Count, Deadlines, State
from rules.events import Event
from tests.rules.helpers import BASE, D, K, ev, run

SERVED_CASES = [
    # Correction notice sent Wed 3/4, served Mon 3/9 by post: 15 working days from 3/9 end
    # Mon 3/30 (3/10–13 = 4, 3/16–20 = 9, 3/23–27 = 14, 3/30 = 15); from sending it would be
    # 3/25.
    pytest.param(
        [ev(K.CORRECTION_REQUESTED, "2026-03-04", served="2026-03-09")],
        "correction_deadline",
        "2026-03-30",
        id="correction-period-from-service",
    ),
    # Consultation sent Mon 3/9, served Wed 3/11: 3/12–13 (1–2), 3/16–20 (3–7), 3/23–27
    # (8–12), 3/30–4/1 (13–15): due Wed 4/1 (from sending: 3/30).
    pytest.param(
        [ev(K.CONSULTATION_SENT, "2026-03-09", served="2026-03-11")],
        "consultation_due",
        "2026-04-01",
        id="consultation-period-from-service",
    ),
    # Fee notice sent Tue 3/10, served Fri 3/13: 3/16–20 (1–5), 3/23–27 (6–10), 3/30–4/3
    # (11–15), 4/4–6 清明, 4/7–10 (16–19), Mon 4/13 (20) (from sending: Wed 4/8).
    pytest.param(
        [ev(K.FEE_NOTICE_SENT, "2026-03-10", served="2026-03-13")],
        "fee_payment_due",
        "2026-04-13",
        id="fee-period-from-service",
    ),
    # Served on a Saturday (3/14): day 1 is Mon 3/16, so the same as served Fri 3/13.
    pytest.param(
        [ev(K.FEE_NOTICE_SENT, "2026-03-10", served="2026-03-14")],
        "fee_payment_due",
        "2026-04-13",
        id="fee-served-on-saturday",
    ),
]


@pytest.mark.parametrize(("events", "attr", "expected"), SERVED_CASES)
def test_period_runs_from_service(
    calendar: WorkingCalendar, events: list[Event], attr: str, expected: str
) -> None:
    assert getattr(run(calendar, BASE, *events), attr) == D(expected)


REPLY_CASES = [
    # The consultation served 3/11, never answered: paused 3/9 (sending) to 4/1 (its 15th
    # day). Reply: 3/3–6 (1–4), 4/2–3 (5–6), 4/7–10 (7–10), 4/13–17 (11–15), 4/20–24
    # (16–20): Fri 4/24 (from sending the pause would end 3/30 and the reply 4/22).
    pytest.param(
        [ev(K.CONSULTATION_SENT, "2026-03-09", served="2026-03-11")],
        "2026-04-24",
        id="consultation-unanswered-pause-to-served-lapse",
    ),
    # Answered 3/31, before the served lapse 4/1: paused 3/9–3/31. Reply: 3/3–6 (1–4),
    # 4/1–3 (5–7), 4/7–10 (8–11), 4/13–17 (12–16), 4/20–23 (17–20): Thu 4/23.
    pytest.param(
        [
            ev(K.CONSULTATION_SENT, "2026-03-09", served="2026-03-11"),
            ev(K.CONSULTATION_ANSWERED, "2026-03-31"),
        ],
        "2026-04-23",
        id="consultation-answered-between-lapses",
    ),
    # Fee notice sent 3/10, served 3/13, unpaid: paused 3/10 to 4/13. Reply: 3/3–6 (1–4),
    # 3/9 (5), 4/14–17 (6–9), 4/20–24 (10–14), 4/27–30 (15–18), 5/1–5 劳动节, 5/6–7
    # (19–20): Thu 5/7 (from sending: 4/29).
    pytest.param(
        [ev(K.FEE_NOTICE_SENT, "2026-03-10", served="2026-03-13")],
        "2026-05-07",
        id="fee-unpaid-pause-to-served-lapse",
    ),
    # Paid Fri 4/10: after the period counted from sending (4/8), within the one counted
    # from service (4/13), so on time. Paused 3/10–4/10: 3/3–6 (1–4), 3/9 (5), 4/13–17
    # (6–10), 4/20–24 (11–15), 4/27–30 (16–19), 5/6 (20).
    pytest.param(
        [ev(K.FEE_NOTICE_SENT, "2026-03-10", served="2026-03-13"), ev(K.FEE_PAID, "2026-04-10")],
        "2026-05-06",
        id="fee-paid-within-served-period",
    ),
    # Paid late on Tue 4/14, the office having accepted it that day: paused until the
    # payment (rulebook §7, from the notice to receiving payment). 3/3–6 (1–4), 3/9 (5),
    # 4/15–17 (6–8), 4/20–24 (9–13), 4/27–30 (14–17), 5/6–8 (18–20): Fri 5/8.
    pytest.param(
        [
            ev(K.FEE_NOTICE_SENT, "2026-03-10", served="2026-03-13"),
            ev(K.LATE_PAYMENT_ACCEPTED, "2026-04-14", note="邮寄延误，申请人提供了凭证"),
            ev(K.FEE_PAID, "2026-04-14"),
        ],
        "2026-05-08",
        id="late-payment-accepted-pauses-until-paid",
    ),
]


@pytest.mark.parametrize(("events", "expected"), REPLY_CASES)
def test_reply_clock_with_served_letters(
    calendar: WorkingCalendar, events: list[Event], expected: str
) -> None:
    assert run(calendar, BASE, *events).reply_due == D(expected)


def _count(dl: Deadlines, clock: Clock) -> Count:
    return next(c for c in dl.counts if c.clock is clock)


@pytest.mark.parametrize(
    ("letter", "clock", "attr"),
    [
        (
            ev(K.CORRECTION_REQUESTED, "2026-03-04"),
            Clock.CORRECTION_DEADLINE,
            "correction_deadline",
        ),
        (ev(K.CONSULTATION_SENT, "2026-03-09"), Clock.CONSULTATION, "consultation_due"),
        (ev(K.FEE_NOTICE_SENT, "2026-03-10"), Clock.FEE_PAYMENT, "fee_payment_due"),
    ],
    ids=["correction", "consultation", "fee"],
)
def test_unserved_letter_clock_is_not_started(
    calendar: WorkingCalendar, letter: Event, clock: Clock, attr: str
) -> None:
    dl = run(calendar, BASE, letter)
    assert getattr(dl, attr) is None
    count = _count(dl, clock)
    assert (count.status, count.start, count.end, count.sent) == (
        ClockStatus.NOT_STARTED,
        None,
        None,
        letter.on,
    )
    assert clock not in dl.open_clocks()


def test_unserved_correction_still_awaits_correction(calendar: WorkingCalendar) -> None:
    dl = run(calendar, BASE, ev(K.CORRECTION_REQUESTED, "2026-03-04"))
    assert dl.awaiting_correction
    assert dl.state(D("2026-04-20")) is State.AWAITING_CORRECTION
    assert dl.reply_due is None


def test_unserved_consultation_projects_the_earliest_reply_date(
    calendar: WorkingCalendar,
) -> None:
    """The reply clock's pause starts at sending; unserved, its end is counted from sending
    (3/30, see consultation-unanswered-pause-to-served-lapse), the earliest it can be, and
    the date is marked a projection."""
    dl = run(calendar, BASE, ev(K.CONSULTATION_SENT, "2026-03-09"))
    assert dl.reply_due == D("2026-04-22")
    assert dl.projection
    served = run(calendar, BASE, ev(K.CONSULTATION_SENT, "2026-03-09", served="2026-03-11"))
    assert served.reply_due > dl.reply_due  # recording service can only move it later


def test_pause_starts_at_sending_not_service(calendar: WorkingCalendar) -> None:
    dl = run(
        calendar,
        BASE,
        ev(K.CONSULTATION_SENT, "2026-03-09", served="2026-03-11"),
        ev(K.CONSULTATION_ANSWERED, "2026-03-13"),
    )
    assert [(p.start, p.end) for p in dl.pauses] == [(D("2026-03-09"), D("2026-03-13"))]
    # 3/3–6 (1–4), 3/16–20 (5–9), 3/23–27 (10–14), 3/30–4/3 (15–19), 4/7 (20).
    assert dl.reply_due == D("2026-04-07")
    assert dl.state(D("2026-03-09")) is State.PAUSED
