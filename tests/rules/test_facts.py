"""The facts an auditor needs to recount every date (issue 13, finding 7), and the flags.

Received Mon 2026-03-02, reply due Mon 2026-03-30 unless said otherwise.
"""

from __future__ import annotations

import pytest

from rules.calendar import PauseKind, WorkingCalendar
from rules.engine import Clock, ClockStatus, Deadlines, Deferral, Extension, FlagKind, Policy
from rules.events import Event, EventKind
from tests.rules.helpers import BASE, D, K, ev, rec, run


def test_period_start_after_a_correction(calendar: WorkingCalendar) -> None:
    dl = run(
        calendar,
        BASE,
        ev(K.CORRECTION_REQUESTED, "2026-03-04", served="2026-03-04"),
        ev(K.CORRECTION_RECEIVED, "2026-03-16"),
    )
    assert (dl.period_start, dl.period_start_label, dl.period_start_kind) == (
        D("2026-03-16"),
        "收到补正申请之日",
        EventKind.CORRECTION_RECEIVED,
    )
    assert (dl.correction_requested, dl.correction_served, dl.correction_received) == (
        D("2026-03-04"),
        D("2026-03-04"),
        D("2026-03-16"),
    )


def test_extension_facts(calendar: WorkingCalendar) -> None:
    """The original date, the date the decision was checked against, and the new one.

    Consultation sent and served 3/9, open when the extension is decided on 3/20: the reply
    date then assumed the pause to its 15th day, 3/30, i.e. 4/22 (3/3–6 = 4, 3/31–4/3 = 8,
    4/7–10 = 12, 4/13–17 = 17, 4/20–22 = 20). Answered 3/25: paused 3/9–3/25, so the
    original date is 4/17 (3/3–6 = 4, 3/26–27 = 6, 3/30–4/3 = 11, 4/7–10 = 15, 4/13–17 =
    20) and five more days give 4/24 (4/20–24).
    """
    dl = run(
        calendar,
        BASE,
        ev(K.CONSULTATION_SENT, "2026-03-09", served="2026-03-09"),
        ev(K.EXTENSION_GRANTED, "2026-03-20", days=5, approver="李主任"),
        ev(K.CONSULTATION_ANSWERED, "2026-03-25"),
    )
    assert dl.extension == Extension(
        days=5,
        approver="李主任",
        decided_on=D("2026-03-20"),
        original_due=D("2026-04-17"),
        due_at_decision=D("2026-04-22"),
        due=D("2026-04-24"),
    )
    assert dl.reply_due == D("2026-04-24")


def test_deferral_facts(calendar: WorkingCalendar) -> None:
    dl = run(calendar, BASE, ev(K.DEFERRED, "2026-03-10", due="2026-05-29"))
    assert dl.deferral == Deferral(
        decided_on=D("2026-03-10"),
        due=D("2026-05-29"),
        statutory_due=D("2026-03-30"),
        statutory_due_at_decision=D("2026-03-30"),
    )
    assert dl.reply_due == D("2026-05-29")
    assert run(calendar, BASE).deferral is None and run(calendar, BASE).extension is None


def test_merged_pause_keeps_every_cause_with_its_own_dates(calendar: WorkingCalendar) -> None:
    """Consultation 3/9–3/13 and fee 3/11–3/17 merge into one pause 3/9–3/17; the fee is a
    cause only from its notice (3/11) on."""
    dl = run(
        calendar,
        BASE,
        ev(K.CONSULTATION_SENT, "2026-03-09", party="甲公司", served="2026-03-09"),
        ev(K.FEE_NOTICE_SENT, "2026-03-11", served="2026-03-11"),
        ev(K.CONSULTATION_ANSWERED, "2026-03-13"),
        ev(K.FEE_PAID, "2026-03-17"),
    )
    (pause,) = dl.pauses
    assert (pause.start, pause.end, pause.reason) == (
        D("2026-03-09"),
        D("2026-03-17"),
        "征求意见（甲公司）、缴费",
    )
    assert [(c.kind, c.start, c.end, c.open) for c in pause.causes] == [
        (PauseKind.CONSULTATION, D("2026-03-09"), D("2026-03-13"), False),
        (PauseKind.FEE, D("2026-03-11"), D("2026-03-17"), False),
    ]
    assert not dl.projection
    assert dl.reply_due == D("2026-04-09")  # 3/3–6 (1–4), 3/18–20 (5–7), …, 4/7–9 (18–20)


def test_per_deadline_provisional_flags(calendar: WorkingCalendar) -> None:
    """Received Tue 2026-12-01; fee notice served the same day, paid 12/10 (paused 12/1–12/10).

    Fee period: 12/2–4 (3), 12/7–11 (8), 12/14–18 (13), 12/21–25 (18), 12/28–29 (20): Tue
    12/29, inside 2026. Reply: 12/11 (1), 12/14–18 (6), 12/21–25 (11), 12/28–31 (15),
    2027-01-01 元旦 (provisional), 1/4–8 (16–20): Fri 2027-01-08, provisional.
    Correction notice: 12/2–4, 12/7–10: Thu 12/10.
    """
    dl = run(
        calendar,
        rec("2026-12-01"),
        ev(K.FEE_NOTICE_SENT, "2026-12-01", served="2026-12-01"),
        ev(K.FEE_PAID, "2026-12-10"),
    )
    flags = {c.clock: (c.end, c.provisional) for c in dl.counts}
    assert flags == {
        Clock.CORRECTION_NOTICE: (D("2026-12-10"), False),
        Clock.REPLY: (D("2027-01-08"), True),
        Clock.FEE_PAYMENT: (D("2026-12-29"), False),
    }
    assert dl.provisional  # the case as a whole reaches into 2027


@pytest.mark.parametrize(
    ("events", "projection"),
    [
        pytest.param([BASE], False, id="no-pause"),
        pytest.param(
            [BASE, ev(K.CONSULTATION_SENT, "2026-03-09", served="2026-03-09")],
            True,
            id="open-consultation",
        ),
        pytest.param(
            [
                BASE,
                ev(K.CONSULTATION_SENT, "2026-03-09", served="2026-03-09"),
                ev(K.CONSULTATION_ANSWERED, "2026-03-13"),
            ],
            False,
            id="answered",
        ),
        # Unserved, answered 4/2 after the 15th day from sending (3/30): the pause end
        # depends on the missing served date.
        pytest.param(
            [
                BASE,
                ev(K.CONSULTATION_SENT, "2026-03-09"),
                ev(K.CONSULTATION_ANSWERED, "2026-04-02"),
            ],
            True,
            id="unserved-answer-after-earliest-lapse",
        ),
        # Unserved, answered 3/13, before any lapse: certain.
        pytest.param(
            [
                BASE,
                ev(K.CONSULTATION_SENT, "2026-03-09"),
                ev(K.CONSULTATION_ANSWERED, "2026-03-13"),
            ],
            False,
            id="unserved-answered-early",
        ),
        pytest.param(
            [BASE, ev(K.FEE_NOTICE_SENT, "2026-03-10", served="2026-03-10")], True, id="unpaid"
        ),
        pytest.param(
            [BASE, ev(K.CONSULTATION_SENT, "2026-03-09"), ev(K.REPLIED, "2026-03-20")],
            False,
            id="closed",
        ),
    ],
)
def test_projection(calendar: WorkingCalendar, events: list[Event], projection: bool) -> None:
    dl = run(calendar, *events)
    assert dl.projection is projection
    reply = next(c for c in dl.counts if c.clock is Clock.REPLY)
    assert reply.projection is projection


def test_finished_clocks_say_so(calendar: WorkingCalendar) -> None:
    dl = run(
        calendar,
        BASE,
        ev(K.CONSULTATION_SENT, "2026-03-09", served="2026-03-09"),
        ev(K.CONSULTATION_ANSWERED, "2026-03-13"),
        ev(K.FEE_NOTICE_SENT, "2026-03-16", served="2026-03-16"),
    )
    status = {c.clock: (c.status, c.finished_on, c.finished_by) for c in dl.counts}
    assert status[Clock.CONSULTATION] == (
        ClockStatus.FINISHED,
        D("2026-03-13"),
        K.CONSULTATION_ANSWERED,
    )
    assert status[Clock.FEE_PAYMENT] == (ClockStatus.RUNNING, None, None)
    assert status[Clock.REPLY] == (ClockStatus.RUNNING, None, None)
    closed = run(calendar, BASE, ev(K.REPLIED, "2026-03-20"))
    assert {c.status for c in closed.counts} == {ClockStatus.FINISHED}


def _flags(dl: Deadlines) -> list[tuple[FlagKind, str, str | None]]:
    return [(f.kind, f.on.isoformat(), f.limit.isoformat() if f.limit else None) for f in dl.flags]


FLAG_CASES = [
    # Notice due Wed 3/11 (3/3–6 = 4, 3/9–11 = 7); sent Thu 3/12. The reply period still
    # runs afresh from the corrected application (3/16): due 4/14 (see test_engine).
    pytest.param(
        [
            ev(K.CORRECTION_REQUESTED, "2026-03-12", served="2026-03-12"),
            ev(K.CORRECTION_RECEIVED, "2026-03-16"),
        ],
        [(FlagKind.CORRECTION_NOTICE_LATE, "2026-03-12", "2026-03-11")],
        id="late-correction-notice",
    ),
    # Served 3/4: the 15 days end 3/25; the corrected application came 3/26.
    pytest.param(
        [
            ev(K.CORRECTION_REQUESTED, "2026-03-04", served="2026-03-04"),
            ev(K.CORRECTION_RECEIVED, "2026-03-26"),
        ],
        [(FlagKind.CORRECTION_LATE, "2026-03-26", "2026-03-25")],
        id="late-correction",
    ),
    pytest.param(
        [ev(K.CONSULTATION_SENT, "2026-03-31", served="2026-03-31")],
        [(FlagKind.CONSULTATION_AFTER_DUE, "2026-03-31", "2026-03-30")],
        id="consultation-after-due",
    ),
    pytest.param(
        [ev(K.CONSULTATION_SENT, "2026-03-30", served="2026-03-30")], [], id="consultation-on-due"
    ),
    pytest.param(
        [ev(K.FEE_NOTICE_SENT, "2026-04-01")],
        [(FlagKind.FEE_NOTICE_AFTER_DUE, "2026-04-01", "2026-03-30")],
        id="fee-notice-after-due",
    ),
    pytest.param(
        [ev(K.EXTENSION_GRANTED, "2026-03-30", days=5, approver="李主任")],
        [(FlagKind.EXTENSION_ON_DUE_DATE, "2026-03-30", "2026-03-30")],
        id="extension-on-due-date",
    ),
    pytest.param(
        [ev(K.EXTENSION_GRANTED, "2026-03-27", days=5, approver="李主任")],
        [],
        id="extension-day-before",
    ),
    # Served 3/13, the period ends 4/13; accepted and paid 4/14.
    pytest.param(
        [
            ev(K.FEE_NOTICE_SENT, "2026-03-10", served="2026-03-13"),
            ev(K.LATE_PAYMENT_ACCEPTED, "2026-04-14", note="邮寄延误"),
            ev(K.FEE_PAID, "2026-04-14"),
        ],
        [(FlagKind.LATE_PAYMENT_ACCEPTED, "2026-04-14", "2026-04-13")],
        id="late-payment-accepted",
    ),
    # Rulebook §11.4a: the reply came while the notice's amount was unpaid.
    pytest.param(
        [ev(K.FEE_NOTICE_SENT, "2026-03-10", served="2026-03-11"), ev(K.REPLIED, "2026-03-12")],
        [(FlagKind.REPLIED_WITH_FEE_UNPAID, "2026-03-12", "2026-03-10")],
        id="replied-with-fee-unpaid",
    ),
    pytest.param(
        [
            ev(K.FEE_NOTICE_SENT, "2026-03-10", served="2026-03-11"),
            ev(K.FEE_PAID, "2026-03-12"),
            ev(K.REPLIED, "2026-03-12"),
        ],
        [],
        id="replied-after-payment",
    ),
]


@pytest.mark.parametrize(("events", "expected"), FLAG_CASES)
def test_late_steps_are_flagged(
    calendar: WorkingCalendar, events: list[Event], expected: list[tuple[FlagKind, str, str]]
) -> None:
    assert _flags(run(calendar, BASE, *events)) == expected


def test_late_payment_flag_keeps_the_reason(calendar: WorkingCalendar) -> None:
    dl = run(
        calendar,
        BASE,
        ev(K.FEE_NOTICE_SENT, "2026-03-10", served="2026-03-13"),
        ev(K.LATE_PAYMENT_ACCEPTED, "2026-04-14", note="邮寄延误"),
        ev(K.FEE_PAID, "2026-04-14"),
    )
    assert [f.note for f in dl.flags] == ["邮寄延误"]


def test_internal_target_after_correction(calendar: WorkingCalendar) -> None:
    dl = run(
        calendar,
        BASE,
        ev(K.CORRECTION_REQUESTED, "2026-03-04", served="2026-03-04"),
        ev(K.CORRECTION_RECEIVED, "2026-03-16"),
        policy=Policy(target_within_days=5),
    )
    assert dl.internal_target == D("2026-03-23")  # 3/17–20 (1–4), 3/23 (5)
