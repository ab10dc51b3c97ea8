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


def test_switches_off(cal):  # type: ignore[no-untyped-def]
    quiet = Thresholds(days_ahead=(), on_due_day=False, daily_when_overdue=False, escalate_after=0)
    for day in (date(2026, 3, 23), date(2026, 3, 30), date(2026, 4, 10)):
        assert hits("reply_due", DUE, day, cal, quiet) == []


def test_calendar_coverage_warning(cal):  # type: ignore[no-untyped-def]
    assert coverage_warning(cal, date(2026, 11, 1), 60) is None  # 60 days left
    warn = coverage_warning(cal, date(2026, 11, 2), 60)
    assert warn is not None and warn.due == date(2026, 12, 31) and warn.days_left == 59
