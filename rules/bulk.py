"""Vectorised due dates for many applications at once (recomputation after a calendar load).

Same convention as `WorkingCalendar.add_working_days` without pauses: the Nth working day
strictly after each start date.
"""

from __future__ import annotations

import numpy as np

from rules.calendar import WorkingCalendar
from rules.errors import CalendarRangeError

_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal(); numpy datetime64[D] counts from it


class BulkCounter:
    """Holds the calendar's working days as a numpy array of day numbers since 1970-01-01."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self._days = np.asarray(calendar.working_ordinals, dtype=np.int64) - _EPOCH_ORDINAL

    def add_working_days(self, starts: np.ndarray, n: int | np.ndarray) -> np.ndarray:
        """`starts` as datetime64[D]; returns datetime64[D] due dates (day N after each start)."""
        s = starts.astype("datetime64[D]").astype(np.int64)
        idx = np.searchsorted(self._days, s, side="right") + np.asarray(n) - 1
        if idx.size and (idx.max() >= self._days.size or idx.min() < 0):
            raise CalendarRangeError("期限超出日历范围 / beyond the calendar", field="date")
        return self._days[idx].astype("datetime64[D]")
