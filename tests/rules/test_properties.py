"""Properties of working-day counting that must hold for every start, length and pause."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.calendar import Pause, WorkingCalendar

FAST = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
starts = st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 12, 31))
lengths = st.integers(min_value=0, max_value=60)
# From a date with a working day before it (2019-01-01 is 元旦, the first day of data).
later_starts = st.dates(min_value=date(2019, 1, 10), max_value=date(2026, 12, 31))


@st.composite
def pause_lists(draw: st.DrawFn) -> list[Pause]:
    """Up to three pauses in 2019–2026, each at most 40 days long, possibly overlapping."""
    out = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(starts)
        out.append(Pause(start, start + timedelta(days=draw(st.integers(0, 40)))))
    return out


def naive_add(calendar: WorkingCalendar, start: date, n: int, pauses: list[Pause]) -> date:
    """Walk day by day; count a day when it is a working day outside every pause."""
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        paused = any(p.start <= day <= p.end for p in pauses)
        if calendar.is_working_day(day) and not paused:
            counted += 1
    return day


@FAST
@given(start=starts, n=st.integers(1, 60), pauses=pause_lists())
def test_result_is_a_working_day(
    calendar: WorkingCalendar, start: date, n: int, pauses: list[Pause]
) -> None:
    due = calendar.add_working_days(start, n, pauses)
    assert calendar.is_working_day(due)
    assert due > start
    assert not any(p.start <= due <= p.end for p in pauses)


@FAST
@given(start=starts, n=lengths, more=st.integers(0, 30), pauses=pause_lists())
def test_more_days_never_give_an_earlier_date(
    calendar: WorkingCalendar, start: date, n: int, more: int, pauses: list[Pause]
) -> None:
    a = calendar.add_working_days(start, n, pauses)
    b = calendar.add_working_days(start, n + more, pauses)
    assert b >= a
    if more:
        assert b > a


@FAST
@given(start=starts, n=lengths, pauses=pause_lists(), extra=pause_lists())
def test_adding_a_pause_never_gives_an_earlier_date(
    calendar: WorkingCalendar, start: date, n: int, pauses: list[Pause], extra: list[Pause]
) -> None:
    before = calendar.add_working_days(start, n, pauses)
    assert calendar.add_working_days(start, n, pauses + extra) >= before


@FAST
@given(start=starts, n=lengths, pauses=pause_lists())
def test_agrees_with_a_naive_day_by_day_count(
    calendar: WorkingCalendar, start: date, n: int, pauses: list[Pause]
) -> None:
    assert calendar.add_working_days(start, n, pauses) == naive_add(calendar, start, n, pauses)


@FAST
@given(start=starts, n=lengths, pauses=pause_lists())
def test_counting_back_gives_n(
    calendar: WorkingCalendar, start: date, n: int, pauses: list[Pause]
) -> None:
    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n
    due = calendar.add_working_days(start, n, pauses)
    assert calendar.working_days_between(start, due, pauses) == n


@FAST
@given(start=later_starts, n=st.integers(1, 60))
def test_subtract_undoes_add_from_a_working_day(
    calendar: WorkingCalendar, start: date, n: int
) -> None:
    due = calendar.add_working_days(start, n)
    back = calendar.subtract_working_days(due, n)
    # `back` is the last working day on or before `start`.
    assert back <= start
    assert calendar.is_working_day(back)
    assert calendar.working_days_between(back, start) == 0
    assert calendar.add_working_days(back, n) == due
