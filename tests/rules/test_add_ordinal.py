"""`WorkingCalendar.add_ordinal` with pauses against a day-by-day count (rulebook §2)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.calendar import WorkingCalendar
from rules.errors import CalendarRangeError

FIRST = date(2025, 1, 1).toordinal()
LAST = date(2027, 12, 31).toordinal()


def _naive(cal: WorkingCalendar, o: int, n: int, spans: list[tuple[int, int]]) -> int | None:
    """Step one day at a time; count working days outside every span (None: past the end)."""
    day, counted = o, 0
    while counted < n:
        day += 1
        if day > cal.last_day.toordinal():
            return None
        if any(s <= day <= e for s, e in spans):
            continue
        if cal.is_working_day(date.fromordinal(day)):
            counted += 1
    return day


@settings(max_examples=400, deadline=None)
@given(
    o=st.integers(FIRST, LAST),
    n=st.integers(0, 40),
    raw=st.lists(st.tuples(st.integers(-5, 80), st.integers(0, 30)), max_size=4),
)
def test_add_ordinal_agrees_with_a_day_by_day_count(
    calendar: WorkingCalendar, o: int, n: int, raw: list[tuple[int, int]]
) -> None:
    spans = sorted((o + a, o + a + length) for a, length in raw)
    want = o if n == 0 else _naive(calendar, o, n, spans)
    if want is None:
        try:
            calendar.add_ordinal(o, n, spans)
        except CalendarRangeError:
            return
        raise AssertionError("expected CalendarRangeError")
    assert calendar.add_ordinal(o, n, spans) == want
