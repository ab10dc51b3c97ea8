"""rules.bulk: the vectorised due dates agree with `WorkingCalendar.add_working_days`."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from rules.bulk import BulkCounter
from rules.calendar import WorkingCalendar
from rules.errors import CalendarRangeError

FIRST = date(2019, 1, 1)
SPAN_DAYS = (date(2026, 12, 31) - FIRST).days + 1


def _starts(rng: np.random.Generator, size: int) -> list[date]:
    return [FIRST + timedelta(days=int(i)) for i in rng.integers(0, SPAN_DAYS, size)]


def test_bulk_agrees_with_add_working_days(calendar: WorkingCalendar) -> None:
    rng = np.random.default_rng(20260302)
    starts = _starts(rng, 5000)
    due = BulkCounter(calendar).add_working_days(np.array(starts, dtype="datetime64[D]"), 20)
    got = [d.item() for d in due]
    assert got == [calendar.add_working_days(s, 20) for s in starts]


def test_bulk_with_a_length_per_start(calendar: WorkingCalendar) -> None:
    rng = np.random.default_rng(7)
    starts = _starts(rng, 2000)
    ns = rng.integers(1, 61, len(starts))
    due = BulkCounter(calendar).add_working_days(np.array(starts, dtype="datetime64[D]"), ns)
    got = [d.item() for d in due]
    assert got == [calendar.add_working_days(s, int(n)) for s, n in zip(starts, ns, strict=True)]


def test_bulk_domain_example(calendar: WorkingCalendar) -> None:
    due = BulkCounter(calendar).add_working_days(np.array(["2026-03-02"], "datetime64[D]"), 20)
    assert due.tolist() == [date(2026, 3, 30)]


def test_bulk_past_the_horizon_raises(calendar: WorkingCalendar) -> None:
    with pytest.raises(CalendarRangeError):
        BulkCounter(calendar).add_working_days(np.array(["2036-12-20"], "datetime64[D]"), 20)
