"""Which reminders fire on which day (pure: a due date, the policy, the calendar, today)."""

from __future__ import annotations

from datetime import date

import pytest

from disclosure.calendar_source import make_calendar
from disclosure.settings import load_settings
from notifier.policy import Thresholds, coverage_warning, hits


@pytest.fixture(scope="module")
def cal():  # type: ignore[no-untyped-def]
    return make_calendar(load_settings(None))


DUE = date(2026, 3, 30)  # Monday
DEFAULTS = load_settings(None).notifier
TH = Thresholds(days_ahead=(5, 3, 1), on_due_day=True, daily_when_overdue=True, escalate_after=3)


@pytest.mark.parametrize(
    ("clock", "today", "expected"),
    [
        ("reply_due", date(2026, 3, 23), ["ahead:5"]),  # 3/24–3/27, 3/30 left
        ("reply_due", date(2026, 3, 24), []),  # 4 left: not a threshold
        ("reply_due", date(2026, 3, 25), ["ahead:3"]),
        ("reply_due", date(2026, 3, 27), ["ahead:1"]),  # Friday before a Monday due date
        ("reply_due", date(2026, 3, 28), []),  # Saturday: nothing on a non-working day
        ("reply_due", date(2026, 3, 30), ["due"]),
        ("reply_due", date(2026, 3, 31), ["overdue:2026-03-31"]),
        ("reply_due", date(2026, 4, 2), ["overdue:2026-04-02", "escalate"]),  # 3 overdue
        ("correction_notice_due", date(2026, 3, 31), []),  # past: nothing left to do
        ("unconfirmed_arrival", date(2026, 3, 27), []),  # due at the end of arrival day only
        ("unconfirmed_arrival", date(2026, 3, 31), ["overdue:2026-03-31"]),
    ],
    ids=[
        "ahead5",
        "four-left",
        "ahead3",
        "ahead1-fri",
        "saturday",
        "due",
        "overdue1",
        "escalate",
        "correction-notice-past",
        "arrival-before",
        "arrival-after",
    ],
)
def test_thresholds(cal, clock, today, expected):  # type: ignore[no-untyped-def]
    assert [h.threshold for h in hits(clock, DUE, today, cal, TH)] == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 23), []),  # 5 working days left: most cases never need a correction
        (date(2026, 3, 25), []),  # 3 left
        (date(2026, 3, 27), ["ahead:1"]),  # the last working day before it
        (date(2026, 3, 30), ["due"]),  # the last day a correction may be asked for
        (date(2026, 3, 31), []),  # past: a late notice is flagged when it is recorded
        (date(2026, 4, 3), []),  # never escalated either
    ],
    ids=["five-left", "three-left", "ahead1", "due", "past", "long-past"],
)
def test_correction_notice_warns_only_in_its_last_days(cal, today, expected):  # type: ignore[no-untyped-def]
    """Rulebook §10.3: the correction-notice clock runs for every new case, so it warns on its
    last two working days only (`[notifier] correction_notice_days_ahead`, default [1])."""
    got = hits("correction_notice_due", DUE, today, cal, Thresholds.from_settings(DEFAULTS))
    assert [h.threshold for h in got] == expected


def test_correction_notice_days_ahead_is_an_office_setting(cal):  # type: ignore[no-untyped-def]
    th = Thresholds.from_settings(
        load_settings(None, notifier={"correction_notice_days_ahead": [3, 1]}).notifier
    )
    assert th.horizon == 5  # the other clocks still warn 5 working days ahead
    got = [
        [h.threshold for h in hits("correction_notice_due", DUE, day, cal, th)]
        for day in (date(2026, 3, 23), date(2026, 3, 25), date(2026, 3, 27))
    ]
    assert got == [[], ["ahead:3"], ["ahead:1"]]
    assert [h.threshold for h in hits("reply_due", DUE, date(2026, 3, 23), cal, th)] == ["ahead:5"]


def test_switches_off(cal):  # type: ignore[no-untyped-def]
    quiet = Thresholds(days_ahead=(), on_due_day=False, daily_when_overdue=False, escalate_after=0)
    for day in (date(2026, 3, 23), date(2026, 3, 30), date(2026, 4, 10)):
        assert hits("reply_due", DUE, day, cal, quiet) == []


def test_calendar_coverage_warning(cal):  # type: ignore[no-untyped-def]
    assert coverage_warning(cal, date(2026, 11, 1), 60) is None  # 60 days left
    warn = coverage_warning(cal, date(2026, 11, 2), 60)
    assert warn is not None and warn.due == date(2026, 12, 31) and warn.days_left == 59
