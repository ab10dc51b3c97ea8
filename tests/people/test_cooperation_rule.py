"""The 协办 due date (rulebook §6.5, rules.cooperation): N working days before the target."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure.calendar_source import make_calendar
from disclosure.settings import Settings
from rules.cooperation import cooperation_due

CAL = make_calendar(Settings())


def test_examples() -> None:
    # Fri 2026-11-27, three working days earlier: Tue 11-24 (day 1 is Thu 11-26).
    assert cooperation_due(CAL, date(2026, 11, 27), 3) == date(2026, 11, 24)
    # Across the National Day holiday (2026-10-01..07; 10-10 a make-up working day).
    assert cooperation_due(CAL, date(2026, 10, 9), 2) == date(2026, 9, 30)
    assert cooperation_due(CAL, date(2026, 11, 27), 0) == date(2026, 11, 27)
    # Never before the period's start.
    assert cooperation_due(CAL, date(2026, 11, 27), 10, date(2026, 11, 20)) == date(2026, 11, 20)
    with pytest.raises(ValueError):
        cooperation_due(CAL, date(2026, 11, 27), -1)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 700), st.integers(1, 20))
def test_exactly_n_working_days_before(offset: int, n: int) -> None:
    target = date(2025, 1, 1) + timedelta(days=offset)
    due = cooperation_due(CAL, target, n)
    assert due < target and CAL.is_working_day(due)
    # Working days in [due, target): exactly n (`working_days_between` counts (due, target]).
    assert CAL.working_days_between(due, target) == n - 1 + CAL.is_working_day(target)
