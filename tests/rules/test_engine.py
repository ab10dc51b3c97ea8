"""rules.engine: events in, every clock out (rulebook §§2, 4–7).

Every expected date below was counted by hand from the State Council notices (rulebook §1)
with a printed month calendar; the comment on each case gives the count.
"""

from __future__ import annotations

import pytest

from rules.calendar import Pause, WorkingCalendar
from rules.engine import Clock, Policy, compute
from rules.events import Event
from rules.schedule import Notice, parse_notices
from tests.rules.helpers import BASE, D, K, ev, rec, run

REPLY_CASES = [
    # -- plain receipts -------------------------------------------------------------------
    # 3/3–3/6, 3/9–13, 3/16–20, 3/23–27 are days 1–19; Mon 3/30 is day 20.
    pytest.param([BASE], "2026-03-30", id="domain-example-2026-03-02"),
    # 2/3–2/6 (1–4), 2/9–13 (5–9), Sat 2/14 make-up (10), 2/15–23 春节 off,
    # 2/24–27 (11–14), Sat 2/28 make-up (15), 3/2–3/6 (16–20).
    pytest.param([rec("2026-02-02")], "2026-03-06", id="spring-festival-2026"),
    # Sat 2/14 make-up (1), 2/24–27 (2–5), Sat 2/28 (6), 3/2–6 (7–11), 3/9–13 (12–16),
    # 3/16–19 (17–20).
    pytest.param([rec("2026-02-13")], "2026-03-19", id="spring-2026-friday-before-makeup-sat"),
    # Received on the make-up Saturday itself: 2/24–27 (1–4), 2/28 (5), 3/2–6 (6–10),
    # 3/9–13 (11–15), 3/16–20 (16–20).
    pytest.param([rec("2026-02-14")], "2026-03-20", id="receipt-on-makeup-saturday"),
    # Received during 春节 (Wed 2/18): counting starts Tue 2/24; same days as above.
    pytest.param([rec("2026-02-18")], "2026-03-20", id="receipt-on-holiday"),
    # Received Sat 3/7: 3/9–13 (1–5), 3/16–20 (6–10), 3/23–27 (11–15), 3/30–4/3 (16–20).
    pytest.param([rec("2026-03-07")], "2026-04-03", id="receipt-on-saturday"),
    pytest.param([rec("2026-03-08")], "2026-04-03", id="receipt-on-sunday"),
    # 2025 春节 off 1/28–2/4, make-up Sun 1/26 and Sat 2/8: Sun 1/26 (1), Mon 1/27 (2),
    # 2/5–7 (3–5), Sat 2/8 (6), 2/10–14 (7–11), 2/17–21 (12–16), 2/24–27 (17–20).
    pytest.param([rec("2025-01-24")], "2025-02-27", id="spring-festival-2025-makeup-sunday"),
    # 2025 国庆 off 10/1–10/8, make-up Sun 9/28 and Sat 10/11: 9/23–26 (1–4), Sun 9/28 (5),
    # 9/29–30 (6–7), 10/9–10 (8–9), Sat 10/11 (10), 10/13–17 (11–15), 10/20–24 (16–20).
    pytest.param([rec("2025-09-22")], "2025-10-24", id="national-day-2025"),
    # Sat 9/27: Sun 9/28 (1), 9/29–30 (2–3), 10/9–10 (4–5), 10/11 (6), 10/13–17 (7–11),
    # 10/20–24 (12–16), 10/27–30 (17–20).
    pytest.param([rec("2025-09-27")], "2025-10-30", id="national-day-2025-sat-before-makeup"),
    # Received on the make-up Sunday 9/28: 9/29–30 (1–2), 10/9–10 (3–4), 10/11 (5),
    # 10/13–17 (6–10), 10/20–24 (11–15), 10/27–31 (16–20).
    pytest.param([rec("2025-09-28")], "2025-10-31", id="receipt-on-makeup-sunday"),
    # Received Thu 10/2 inside 国庆: 10/9–10 (1–2), 10/11 (3), 10/13–17 (4–8),
    # 10/20–24 (9–13), 10/27–31 (14–18), 11/3–4 (19–20).
    pytest.param([rec("2025-10-02")], "2025-11-04", id="receipt-in-national-day-2025"),
    # 2026 中秋 off 9/25–27, 国庆 off 10/1–10/7, make-up Sun 9/20 and Sat 10/10:
    # 9/15–18 (1–4), Sun 9/20 (5), 9/21–24 (6–9), 9/28–30 (10–12), 10/8–9 (13–14),
    # Sat 10/10 (15), 10/12–16 (16–20).
    pytest.param([rec("2026-09-14")], "2026-10-16", id="national-day-2026"),
    # Wed 9/30: 10/8–9 (1–2), 10/10 (3), 10/12–16 (4–8), 10/19–23 (9–13), 10/26–30 (14–18),
    # 11/2–3 (19–20).
    pytest.param([rec("2026-09-30")], "2026-11-03", id="national-day-2026-eve"),
    # 元旦 2026 off 1/1–1/3, make-up Sun 1/4: Sun 1/4 (1), 1/5–9 (2–6), 1/12–16 (7–11),
    # 1/19–23 (12–16), 1/26–29 (17–20).
    pytest.param([rec("2025-12-31")], "2026-01-29", id="new-year-2026-makeup-sunday"),
    # 劳动节 2026 off 5/1–5/5, make-up Sat 5/9: 5/6–8 (1–3), Sat 5/9 (4), 5/11–15 (5–9),
    # 5/18–22 (10–14), 5/25–29 (15–19), Mon 6/1 (20).
    pytest.param([rec("2026-04-30")], "2026-06-01", id="labour-day-2026-makeup-saturday"),
    # -- corrections (Reg. Art. 30) --------------------------------------------------------
    # Period restarts from the corrected application, Mon 3/16: 3/17–20 (1–4), 3/23–27
    # (5–9), 3/30–4/3 (10–14), 4/4–4/6 清明 off, 4/7–10 (15–18), 4/13–14 (19–20).
    pytest.param(
        [
            BASE,
            ev(K.CORRECTION_REQUESTED, "2026-03-04"),
            ev(K.CORRECTION_RECEIVED, "2026-03-16"),
        ],
        "2026-04-14",
        id="correction-restarts-period",
    ),
    # Corrected application received on Sat 3/21: day 1 is Mon 3/23; 3/23–27 (1–5),
    # 3/30–4/3 (6–10), 4/7–10 (11–14), 4/13–17 (15–19), 4/20 (20).
    pytest.param(
        [
            BASE,
            ev(K.CORRECTION_REQUESTED, "2026-03-04"),
            ev(K.CORRECTION_RECEIVED, "2026-03-21"),
        ],
        "2026-04-20",
        id="correction-received-on-saturday",
    ),
    # -- extensions (Reg. Art. 33 ¶2) ------------------------------------------------------
    # 20 + 5: day 20 is 3/30, then 3/31–4/3 (21–24), 4/4–4/6 清明, 4/7 (25).
    pytest.param(
        [BASE, ev(K.EXTENSION_GRANTED, "2026-03-20", days=5)], "2026-04-07", id="extension-5"
    ),
    # Granted on the due date itself (allowed): 20 + 20: 3/31–4/3 (21–24), 4/7–10 (25–28),
    # 4/13–17 (29–33), 4/20–24 (34–38), 4/27–28 (39–40).
    pytest.param(
        [BASE, ev(K.EXTENSION_GRANTED, "2026-03-30", days=20)],
        "2026-04-28",
        id="extension-20-on-due-date",
    ),
    # Due 4/7 after a consultation pause (below), so an extension on 4/1 is in time:
    # 4/8–10 (21–23), 4/13–14 (24–25).
    pytest.param(
        [
            BASE,
            ev(K.CONSULTATION_SENT, "2026-03-09"),
            ev(K.CONSULTATION_ANSWERED, "2026-03-13"),
            ev(K.EXTENSION_GRANTED, "2026-04-01", days=5),
        ],
        "2026-04-14",
        id="extension-after-statutory-date-but-before-paused-due",
    ),
    # -- consultation (Reg. Arts. 32, 34) --------------------------------------------------
    # Paused 3/9 (letter sent) to 3/13 (answer): 3/3–6 (1–4), 3/16–20 (5–9), 3/23–27
    # (10–14), 3/30–4/3 (15–19), 4/4–6 清明, 4/7 (20).
    pytest.param(
        [BASE, ev(K.CONSULTATION_SENT, "2026-03-09"), ev(K.CONSULTATION_ANSWERED, "2026-03-13")],
        "2026-04-07",
        id="consultation-answered-early",
    ),
    # Never answered: the pause ends on the 15th working day after 3/9, Mon 3/30
    # (3/10–13 = 4, 3/16–20 = 9, 3/23–27 = 14, 3/30 = 15). Reply: 3/3–6 (1–4),
    # 3/31–4/3 (5–8), 4/7–10 (9–12), 4/13–17 (13–17), 4/20–22 (18–20).
    pytest.param(
        [BASE, ev(K.CONSULTATION_SENT, "2026-03-09")],
        "2026-04-22",
        id="consultation-never-answered",
    ),
    # Answered after the 15 days ran out (4/2): the pause still ends on 3/30.
    pytest.param(
        [BASE, ev(K.CONSULTATION_SENT, "2026-03-09"), ev(K.CONSULTATION_ANSWERED, "2026-04-02")],
        "2026-04-22",
        id="consultation-answered-late",
    ),
    # -- fees (Fees art. 7) ----------------------------------------------------------------
    # Paused 3/10–3/12: 3/3–6 (1–4), 3/9 (5), 3/13 (6), 3/16–20 (7–11), 3/23–27 (12–16),
    # 3/30–4/2 (17–20).
    pytest.param(
        [BASE, ev(K.FEE_NOTICE_SENT, "2026-03-10"), ev(K.FEE_PAID, "2026-03-12")],
        "2026-04-02",
        id="fee-paid",
    ),
    # Unpaid: paused until the payment period ends, 20 working days after 3/10 = Wed 4/8
    # (3/11–13 = 3, 3/16–20 = 8, 3/23–27 = 13, 3/30–4/3 = 18, 4/7–8 = 20). Reply: 3/3–9
    # (1–5), 4/9–10 (6–7), 4/13–17 (8–12), 4/20–24 (13–17), 4/27–29 (18–20).
    pytest.param([BASE, ev(K.FEE_NOTICE_SENT, "2026-03-10")], "2026-04-29", id="fee-unpaid"),
    # -- several pauses --------------------------------------------------------------------
    # Consultation 3/9–3/13 and fee 3/11–3/17 merge into 3/9–3/17: 3/3–6 (1–4), 3/18–20
    # (5–7), 3/23–27 (8–12), 3/30–4/3 (13–17), 4/7–9 (18–20).
    pytest.param(
        [
            BASE,
            ev(K.CONSULTATION_SENT, "2026-03-09"),
            ev(K.FEE_NOTICE_SENT, "2026-03-11"),
            ev(K.CONSULTATION_ANSWERED, "2026-03-13"),
            ev(K.FEE_PAID, "2026-03-17"),
        ],
        "2026-04-09",
        id="overlapping-consultation-and-fee",
    ),
    # Manual pauses 3/9–3/11 and 3/10–3/13 merge into 3/9–3/13: as consultation-answered-early.
    pytest.param(
        [
            BASE,
            ev(K.PAUSE, "2026-03-09", end="2026-03-11"),
            ev(K.PAUSE, "2026-03-10", end="2026-03-13"),
        ],
        "2026-04-07",
        id="overlapping-manual-pauses",
    ),
    # Two separate pauses, 3/4 and 3/11–3/12: 3/3 (1), 3/5–6 (2–3), 3/9–10 (4–5), 3/13 (6),
    # 3/16–20 (7–11), 3/23–27 (12–16), 3/30–4/2 (17–20).
    pytest.param(
        [
            BASE,
            ev(K.PAUSE, "2026-03-04", end="2026-03-04"),
            ev(K.PAUSE, "2026-03-11", end="2026-03-12"),
        ],
        "2026-04-02",
        id="two-separate-pauses",
    ),
    # -- Art. 35 ---------------------------------------------------------------------------
    # A reasonable later deadline, set by notice, replaces the statutory one.
    pytest.param(
        [BASE, ev(K.DEFERRED, "2026-03-10", due="2026-05-29")], "2026-05-29", id="art35-deferred"
    ),
    # -- year boundary ---------------------------------------------------------------------
    # 12/15–18 (1–4), 12/21–25 (5–9), 12/28–31 (10–13), 2027-01-01 元旦 (provisional),
    # 1/4–8 (14–18), 1/11–12 (19–20).
    pytest.param([rec("2026-12-14")], "2027-01-12", id="year-boundary-2026-2027"),
]


@pytest.mark.parametrize(("events", "expected"), REPLY_CASES)
def test_reply_due(calendar: WorkingCalendar, events: list[Event], expected: str) -> None:
    assert run(calendar, *events).reply_due == D(expected)


def test_event_order_in_the_list_does_not_matter(calendar: WorkingCalendar) -> None:
    events = [
        ev(K.CONSULTATION_ANSWERED, "2026-03-13"),
        BASE,
        ev(K.CONSULTATION_SENT, "2026-03-09"),
    ]
    assert run(calendar, *events).reply_due == D("2026-04-07")


# -- the other clocks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("2026-03-02", "2026-03-11"),  # 3/3–6 (1–4), 3/9–11 (5–7)
        ("2026-02-02", "2026-02-11"),  # 2/3–6 (1–4), 2/9–11 (5–7)
        ("2026-02-13", "2026-03-02"),  # 2/14 (1), 2/24–27 (2–5), 2/28 (6), 3/2 (7)
        ("2025-09-22", "2025-09-30"),  # 9/23–26 (1–4), Sun 9/28 (5), 9/29–30 (6–7)
    ],
    ids=["march-2026", "before-spring-festival", "across-spring-festival", "national-day-2025"],
)
def test_correction_notice_due(calendar: WorkingCalendar, received: str, expected: str) -> None:
    assert run(calendar, rec(received)).correction_notice_due == D(expected)


def test_awaiting_correction(calendar: WorkingCalendar) -> None:
    # Handed to the applicant the day it was written: served 3/4.
    dl = run(calendar, BASE, ev(K.CORRECTION_REQUESTED, "2026-03-04", served="2026-03-04"))
    assert dl.reply_due is None  # the reply period waits for the corrected application
    # 15 working days (office default) after service on 3/4: 3/5–6 (1–2), 3/9–13 (3–7),
    # 3/16–20 (8–12), 3/23–25 (13–15).
    assert dl.correction_deadline == D("2026-03-25")
    assert dl.awaiting_correction
    assert dl.open_clocks() == {Clock.CORRECTION_DEADLINE: D("2026-03-25")}
    assert not dl.correction_notice_late


def test_correction_period_is_an_office_setting(calendar: WorkingCalendar) -> None:
    notice = ev(K.CORRECTION_REQUESTED, "2026-03-04", served="2026-03-04")
    dl = run(calendar, BASE, notice, policy=Policy(5))
    assert dl.correction_deadline == D("2026-03-11")  # 3/5–6 (1–2), 3/9–11 (3–5)


def test_correction_notice_late_is_flagged(calendar: WorkingCalendar) -> None:
    dl = run(calendar, BASE, ev(K.CORRECTION_REQUESTED, "2026-03-12"))  # notice due 3/11
    assert dl.correction_notice_late


def test_corrected_application_sets_the_period_start(calendar: WorkingCalendar) -> None:
    dl = run(
        calendar,
        BASE,
        ev(K.CORRECTION_REQUESTED, "2026-03-04"),
        ev(K.CORRECTION_RECEIVED, "2026-03-16"),
    )
    assert (dl.period_start, dl.period_start_label) == (D("2026-03-16"), "收到补正申请之日")
    assert dl.correction_deadline is None
    assert not dl.awaiting_correction


def test_consultation_and_fee_clocks(calendar: WorkingCalendar) -> None:
    # Both letters served the day they were sent (e-mail reaching the addressee's system).
    dl = run(
        calendar,
        BASE,
        ev(K.CONSULTATION_SENT, "2026-03-09", served="2026-03-09"),
        ev(K.FEE_NOTICE_SENT, "2026-03-10", served="2026-03-10"),
    )
    assert dl.consultation_due == D("2026-03-30")  # 15th working day after 3/9
    assert dl.fee_payment_due == D("2026-04-08")  # 20th working day after 3/10
    assert dl.open_pauses == (
        Pause(D("2026-03-09"), D("2026-03-30"), "征求意见"),
        Pause(D("2026-03-10"), D("2026-04-08"), "缴费"),
    )
    assert dl.pauses == (Pause(D("2026-03-09"), D("2026-04-08"), "征求意见、缴费"),)


def test_answered_consultation_is_no_longer_open(calendar: WorkingCalendar) -> None:
    dl = run(
        calendar,
        BASE,
        ev(K.CONSULTATION_SENT, "2026-03-09", party="甲公司", served="2026-03-09"),
        ev(K.CONSULTATION_SENT, "2026-03-10", party="乙局", served="2026-03-10"),
        ev(K.CONSULTATION_ANSWERED, "2026-03-12", party="乙局"),
    )
    # 甲公司 is still open: 15th working day after 3/9 is 3/30.
    assert dl.consultation_due == D("2026-03-30")
    assert [p.reason for p in dl.open_pauses] == ["征求意见（甲公司）"]


def test_fee_pause_can_be_switched_off(calendar: WorkingCalendar) -> None:
    events = [BASE, ev(K.FEE_NOTICE_SENT, "2026-03-10"), ev(K.FEE_PAID, "2026-03-12")]
    dl = run(calendar, *events, policy=Policy(fee_pauses_clock=False))
    assert dl.reply_due == D("2026-03-30")
    assert dl.pauses == ()


def test_art35_keeps_the_statutory_date_for_reference(calendar: WorkingCalendar) -> None:
    dl = run(calendar, BASE, ev(K.DEFERRED, "2026-03-10", due="2026-05-29"))
    assert dl.statutory_reply_due == D("2026-03-30")
    assert dl.deferred_due == D("2026-05-29")
    reply = next(c for c in dl.counts if c.clock is Clock.REPLY)
    assert reply.replaced_by == D("2026-05-29")


def test_extension_is_recorded(calendar: WorkingCalendar) -> None:
    dl = run(calendar, BASE, ev(K.EXTENSION_GRANTED, "2026-03-20", days=5))
    assert dl.extension_days == 5
    reply = next(c for c in dl.counts if c.clock is Clock.REPLY)
    assert (reply.days, reply.basis) == (25, "条例第三十三条第二款（含延期5个工作日）")


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        # 5 working days before Mon 3/30: 3/27, 26, 25, 24, 23.
        (Policy(target_days_before_due=5), "2026-03-23"),
        # 10 working days after 3/2: 3/3–6 (1–4), 3/9–13 (5–9), 3/16 (10).
        (Policy(target_within_days=10), "2026-03-16"),
        # Both rules: the earlier one wins.
        (Policy(target_days_before_due=5, target_within_days=10), "2026-03-16"),
        (Policy(), None),
    ],
    ids=["before-due", "within-days", "earlier-of-both", "none"],
)
def test_internal_target(calendar: WorkingCalendar, policy: Policy, expected: str | None) -> None:
    dl = run(calendar, BASE, policy=policy)
    assert dl.internal_target == (D(expected) if expected else None)


# -- provisional flag ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "provisional"),
    [
        ("2026-03-02", False),
        ("2026-11-30", False),  # due Mon 12/28: every date stays in 2026
        ("2026-12-14", True),  # due Tue 2027-01-12, a year without a notice
    ],
    ids=["march", "due-late-december", "reaches-2027"],
)
def test_provisional(calendar: WorkingCalendar, received: str, provisional: bool) -> None:
    assert run(calendar, rec(received)).provisional is provisional


def test_loading_2027_removes_the_provisional_flag(builtin_notices: list[Notice]) -> None:
    text = (
        '[[notice]]\nyear = 2027\ntitle = "测试数据"\n'
        'days_off = [{ name = "元旦", start = 2027-01-01, end = 2027-01-04 }]\n'
    )
    cal = WorkingCalendar([*builtin_notices, *parse_notices(text)])
    dl = compute([rec("2026-12-14")], cal)
    assert not dl.provisional
    # Monday 1/4 now off as well: 1/5–8 (14–17), 1/11–13 (18–20).
    assert dl.reply_due == D("2027-01-13")
