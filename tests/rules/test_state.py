"""rules.deadlines: where an application stands on a given day (rulebook §§2, 11).

Received Mon 2026-03-02, due Mon 2026-03-30 unless said otherwise; every count by hand.
"""

from __future__ import annotations

import pytest

from rules.calendar import WorkingCalendar
from rules.clocks import FlagKind
from rules.engine import Clock, State
from rules.events import AbandonReason, Event
from tests.rules.helpers import BASE, D, K, ev, rec, run

CONSULTED = [BASE, ev(K.CONSULTATION_SENT, "2026-03-09"), ev(K.CONSULTATION_ANSWERED, "2026-03-13")]
# Received Thu 2026-03-12: 3/13 (1), 3/16–20 (2–6), 3/23–27 (7–11), 3/30–4/3 (12–16),
# 4/4–6 清明, 4/7–10 (17–20): due Fri 4/10, so the weekend right after it is overdue.
FRIDAY_DUE = rec("2026-03-12")


@pytest.mark.parametrize(
    ("events", "today", "state", "left"),
    [
        # (3/10, 3/30]: 3/11–13 (3), 3/16–20 (5), 3/23–27 (5), 3/30 (1).
        ([BASE], "2026-03-10", State.RUNNING, 14),
        ([BASE], "2026-03-30", State.RUNNING, 0),  # the due day itself
        ([BASE], "2026-03-28", State.RUNNING, 1),  # Saturday; Monday is the last day
        ([BASE], "2026-03-31", State.OVERDUE, -1),
        ([BASE], "2026-04-07", State.OVERDUE, -5),  # 3/31–4/3 and 4/7
        # Due 4/7; (3/11, 4/7] minus paused 3/11–13: 3/16–4/3 (15) and 4/7 (1).
        (CONSULTED, "2026-03-11", State.PAUSED, 16),
        (CONSULTED, "2026-03-09", State.PAUSED, 16),  # the day the letter is sent is paused
        (CONSULTED, "2026-03-16", State.RUNNING, 15),  # counting resumed
        ([BASE, ev(K.CONSULTATION_SENT, "2026-03-09")], "2026-03-20", State.PAUSED, 16),
        (
            [BASE, ev(K.CORRECTION_REQUESTED, "2026-03-04")],
            "2026-03-10",
            State.AWAITING_CORRECTION,
            None,
        ),
        ([BASE, ev(K.REPLIED, "2026-03-30")], "2026-04-10", State.CLOSED_ON_TIME, None),
        ([BASE, ev(K.REPLIED, "2026-03-31")], "2026-04-10", State.CLOSED_LATE, None),
        ([BASE, ev(K.WITHDRAWN, "2026-03-10")], "2026-03-11", State.CLOSED_ON_TIME, None),
        (
            [
                BASE,
                ev(K.CORRECTION_REQUESTED, "2026-03-04", served="2026-03-04"),
                ev(K.ABANDONED, "2026-03-26", reason=AbandonReason.CORRECTION),
            ],
            "2026-03-27",
            State.CLOSED_ON_TIME,
            None,
        ),
    ],
    ids=[
        "running",
        "due-day",
        "weekend-before-due",
        "overdue-1",
        "overdue-over-qingming",
        "paused",
        "paused-on-letter-day",
        "resumed",
        "paused-unanswered",
        "awaiting-correction",
        "replied-on-due-day",
        "replied-late",
        "withdrawn",
        "abandoned-while-awaiting-correction",
    ],
)
def test_state_and_days_left(
    calendar: WorkingCalendar,
    events: list[Event],
    today: str,
    state: State,
    left: int | None,
) -> None:
    dl = run(calendar, *events)
    assert dl.state(D(today)) is state
    assert dl.working_days_left(D(today), calendar) == left


def test_closed_application_has_no_open_clocks(calendar: WorkingCalendar) -> None:
    dl = run(calendar, BASE, ev(K.REPLIED, "2026-03-20"))
    assert dl.closed and dl.closed_on_time
    assert dl.closing is K.REPLIED
    assert dl.open_clocks() == {}
    assert dl.next_action_due() is None


def test_open_clocks_of_a_fresh_application(calendar: WorkingCalendar) -> None:
    dl = run(calendar, BASE)
    assert dl.open_clocks() == {
        Clock.REPLY: D("2026-03-30"),
        Clock.CORRECTION_NOTICE: D("2026-03-11"),
    }
    assert dl.next_action_due() == D("2026-03-11")


# -- overdue wins (rulebook §11) -------------------------------------------------------------

OVERDUE_CASES = [
    # A consultation sent Tue 3/31, the day after the due date 3/30: its pause starts after
    # the due date, so the date stays 3/30 and the case is overdue, not paused.
    pytest.param(
        [BASE, ev(K.CONSULTATION_SENT, "2026-03-31", served="2026-03-31")],
        "2026-04-01",
        State.OVERDUE,
        id="consultation-after-due-is-overdue-not-paused",
    ),
    # A fee notice on 3/31: the same.
    pytest.param(
        [BASE, ev(K.FEE_NOTICE_SENT, "2026-03-31", served="2026-03-31")],
        "2026-04-02",
        State.OVERDUE,
        id="fee-notice-after-due-is-overdue-not-paused",
    ),
    # A manual pause 4/1–4/10 after the due date: overdue on 4/8.
    pytest.param(
        [BASE, ev(K.PAUSE, "2026-04-01", end="2026-04-10")],
        "2026-04-08",
        State.OVERDUE,
        id="manual-pause-after-due",
    ),
    # A correction notice on 3/31, after the due date 3/30 (rulebook §11.3a): the case stays
    # overdue while the correction is awaited, and after it arrives.
    pytest.param(
        [BASE, ev(K.CORRECTION_REQUESTED, "2026-03-31", served="2026-03-31")],
        "2026-04-01",
        State.OVERDUE,
        id="correction-notice-after-due-is-overdue-not-awaiting",
    ),
    pytest.param(
        [
            BASE,
            ev(K.CORRECTION_REQUESTED, "2026-03-31", served="2026-03-31"),
            ev(K.CORRECTION_RECEIVED, "2026-04-02"),
        ],
        "2026-04-03",
        State.OVERDUE,
        id="correction-after-due-received-stays-overdue",
    ),
    # A consultation on the due date itself pauses it: 3/30 is not counted, the pause runs
    # to the 15th working day after 3/30 (3/31–4/3 = 4, 4/7–10 = 8, 4/13–17 = 13,
    # 4/20–21 = 15), day 20 is 4/22: paused, not overdue, on 4/1.
    pytest.param(
        [BASE, ev(K.CONSULTATION_SENT, "2026-03-30", served="2026-03-30")],
        "2026-04-01",
        State.PAUSED,
        id="consultation-on-due-date-pauses",
    ),
]


@pytest.mark.parametrize(("events", "today", "state"), OVERDUE_CASES)
def test_overdue_wins_over_a_later_pause(
    calendar: WorkingCalendar, events: list[Event], today: str, state: State
) -> None:
    dl = run(calendar, *events)
    assert dl.state(D(today)) is state
    assert dl.overdue(D(today)) is (state is State.OVERDUE)


def test_consultation_after_due_does_not_move_the_date(calendar: WorkingCalendar) -> None:
    late = run(calendar, BASE, ev(K.CONSULTATION_SENT, "2026-03-31", served="2026-03-31"))
    assert late.reply_due == D("2026-03-30")
    on_due = run(calendar, BASE, ev(K.CONSULTATION_SENT, "2026-03-30", served="2026-03-30"))
    # See consultation-on-due-date-pauses: 3/3–27 (1–19), paused 3/30–4/21, 4/22 (20).
    assert on_due.reply_due == D("2026-04-22")


def test_correction_notice_after_due_keeps_the_date(calendar: WorkingCalendar) -> None:
    """Rulebook §11.3a: neither the notice nor the corrected application moves 3/30; on the
    due day itself the notice still stops the clock (§5: the period runs afresh)."""
    late = [BASE, ev(K.CORRECTION_REQUESTED, "2026-03-31", served="2026-03-31")]
    waiting = run(calendar, *late)
    assert waiting.reply_due == D("2026-03-30")
    assert waiting.awaiting_correction
    assert waiting.open_clocks()[Clock.CORRECTION_DEADLINE] > D("2026-04-01")
    kinds = {f.kind: f.limit for f in waiting.flags}
    assert kinds[FlagKind.CORRECTION_NOTICE_AFTER_DUE] == D("2026-03-30")
    assert FlagKind.CORRECTION_NOTICE_LATE in kinds
    corrected = run(calendar, *late, ev(K.CORRECTION_RECEIVED, "2026-04-02"))
    assert corrected.reply_due == D("2026-03-30")
    assert corrected.period_start == D("2026-03-02")
    on_due = run(calendar, BASE, ev(K.CORRECTION_REQUESTED, "2026-03-30", served="2026-03-30"))
    assert on_due.reply_due is None
    assert on_due.state(D("2026-04-01")) is State.AWAITING_CORRECTION
    assert not any(f.kind is FlagKind.CORRECTION_NOTICE_AFTER_DUE for f in on_due.flags)


LATE_CASES = [
    pytest.param([BASE], "2026-03-30", False, 0, 0, id="due-day"),
    pytest.param([BASE], "2026-03-31", True, 1, -1, id="tuesday-after"),
    # Fri 4/3: 3/31, 4/1, 4/2, 4/3.
    pytest.param([BASE], "2026-04-03", True, 4, -4, id="friday-after"),
    # Sat 4/4 (清明 4/4–4/6): the office acts next on Tue 4/7, the 5th working day late.
    pytest.param([BASE], "2026-04-04", True, 5, -5, id="qingming-holiday-counts-next-day"),
    # Due Fri 4/10; Sat 4/11 is overdue, and Mon 4/13 is the first working day late.
    pytest.param([FRIDAY_DUE], "2026-04-11", True, 1, -1, id="saturday-after-friday-due"),
    pytest.param([FRIDAY_DUE], "2026-04-12", True, 1, -1, id="sunday-after-friday-due"),
    pytest.param([FRIDAY_DUE], "2026-04-13", True, 1, -1, id="monday-after-friday-due"),
    # Replied Thu 4/2, 3 working days late (3/31, 4/1, 4/2), whatever today is.
    pytest.param(
        [BASE, ev(K.REPLIED, "2026-04-02")], "2026-05-20", False, 3, None, id="closed-late"
    ),
]


@pytest.mark.parametrize(("events", "today", "overdue", "late", "left"), LATE_CASES)
def test_overdue_flag_and_working_days_late(
    calendar: WorkingCalendar,
    events: list[Event],
    today: str,
    overdue: bool,
    late: int,
    left: int | None,
) -> None:
    dl = run(calendar, *events)
    assert dl.overdue(D(today)) is overdue
    assert dl.working_days_late(D(today)) == late
    assert dl.working_days_left(D(today)) == left


def test_abandoned_after_the_correction_period_is_closed(calendar: WorkingCalendar) -> None:
    dl = run(
        calendar,
        BASE,
        ev(K.CORRECTION_REQUESTED, "2026-03-04", served="2026-03-04"),
        ev(K.ABANDONED, "2026-03-26", reason=AbandonReason.CORRECTION),
    )
    assert dl.abandon_reason is AbandonReason.CORRECTION
    assert dl.state(D("2026-04-20")) is State.CLOSED_ON_TIME
