"""The working-day calendar (domain.md §1) and the counting of periods (domain.md §2).

A working day is Monday–Friday, minus the days off of that year's State Council notice, plus
the weekend days the notice makes working days (调休). One-off office closures from the
configuration are days off too. Years after the last notice are *provisional*: weekends plus
the 13 statutory holidays (`rules.statutory`), no make-up days, flagged wherever they are used.

Counting convention (practice, domain.md §2, following the rule that the starting day is not
counted): a period of N working days from day D ends on the Nth working day strictly after D.
Paused days (both ends included) are not counted.

Implementation: a sorted list of the ordinals of all working days in range, and `bisect`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from rules.errors import CalendarDataError, CalendarRangeError
from rules.periods import PROVISIONAL_HORIZON_YEARS
from rules.schedule import Closure, Notice
from rules.statutory import statutory_holidays


class DayKind(StrEnum):
    WORKDAY = "workday"  # an ordinary Monday–Friday
    MAKEUP = "makeup"  # a weekend day made a working day by the notice (调休上班)
    HOLIDAY = "holiday"  # a day off by the notice (or the statutory list, provisionally)
    WEEKEND = "weekend"
    CLOSURE = "closure"  # a one-off office closure from the configuration
    PAUSED = "paused"  # used only in explanations: a working day inside a pause


@dataclass(frozen=True)
class DayInfo:
    day: date
    kind: DayKind
    name: str = ""
    provisional: bool = False

    @property
    def working(self) -> bool:
        return self.kind in (DayKind.WORKDAY, DayKind.MAKEUP)


@dataclass(frozen=True, order=True)
class Pause:
    """A paused interval; `start` and `end` are both not counted (domain.md §2)."""

    start: date
    end: date
    reason: str = ""


def merge_pauses(pauses: Iterable[Pause]) -> list[Pause]:
    """Sort and merge overlapping or touching pauses. Example: 3/4–3/6 and 3/5–3/9 → 3/4–3/9."""
    merged: list[Pause] = []
    for p in sorted(pauses):
        if merged and p.start <= merged[-1].end + timedelta(days=1):
            last = merged[-1]
            if p.end > last.end:
                reason = "、".join(r for r in dict.fromkeys((last.reason, p.reason)) if r)
                merged[-1] = Pause(last.start, p.end, reason)
        else:
            merged.append(p)
    return merged


class WorkingCalendar:
    """Working days from official notices, closures and the provisional statutory rule."""

    def __init__(
        self,
        notices: Sequence[Notice],
        closures: Sequence[Closure] = (),
        horizon_years: int = PROVISIONAL_HORIZON_YEARS,
    ) -> None:
        if not notices:
            raise CalendarDataError("日历没有任何年度数据 / no notices", field="calendar")
        self.notices = tuple(sorted(notices, key=lambda n: (n.year, n.published or date.min)))
        self.official_years = frozenset(n.year for n in self.notices)
        self.first_year = min(self.official_years)
        self.last_official_year = max(self.official_years)
        self.last_year = self.last_official_year + horizon_years
        self.first_day = date(self.first_year, 1, 1)
        self.last_day = date(self.last_year, 12, 31)
        self._off: dict[date, str] = {}
        self._makeup: dict[date, str] = {}
        self._source: dict[int, list[str]] = {}
        for n in self.notices:  # later notices override earlier ones
            self._source.setdefault(n.year, []).append(n.source)
            for off in n.days_off:
                for d in off.days():
                    self._off[d] = off.name
                    self._makeup.pop(d, None)
            for d, name in n.working_days:
                self._makeup[d] = name
                self._off.pop(d, None)
            for d in n.cancelled_working_days:
                self._makeup.pop(d, None)
        for year in range(self.first_year, self.last_year + 1):
            if year not in self.official_years:
                self._off.update(statutory_holidays(year))
        self._closed = {c.day: c.reason for c in closures}
        base = self.first_day.toordinal()
        self._base = base
        span = self.last_day.toordinal() - base + 1
        self._working = bytearray(span)
        ords: list[int] = []
        for i in range(span):
            d = date.fromordinal(base + i)
            if self._classify(d)[0] in (DayKind.WORKDAY, DayKind.MAKEUP):
                self._working[i] = 1
                ords.append(base + i)
        self._ords = ords

    # -- one day -------------------------------------------------------------------------
    def _classify(self, d: date) -> tuple[DayKind, str]:
        """Precedence, written once: closure, make-up working day, holiday, weekend."""
        if d in self._closed:
            return DayKind.CLOSURE, self._closed[d]
        if d in self._makeup:
            return DayKind.MAKEUP, self._makeup[d]
        if d in self._off:
            return DayKind.HOLIDAY, self._off[d]
        if d.weekday() >= 5:
            return DayKind.WEEKEND, ""
        return DayKind.WORKDAY, ""

    def _check(self, d: date) -> None:
        if not self.first_day <= d <= self.last_day:
            raise CalendarRangeError(
                f"日期 {d.isoformat()} 超出日历范围（{self.first_day.isoformat()} 至 "
                f"{self.last_day.isoformat()}）/ date outside the calendar",
                field="date",
            )

    def is_provisional(self, d: date) -> bool:
        """True when `d` falls in a year without an official notice (domain.md §1)."""
        return d.year not in self.official_years

    def describe(self, d: date) -> DayInfo:
        self._check(d)
        kind, name = self._classify(d)
        return DayInfo(d, kind, name, self.is_provisional(d))

    def is_working_day(self, d: date) -> bool:
        self._check(d)
        return bool(self._working[d.toordinal() - self._base])

    def sources(self, year: int) -> list[str]:
        """The notices the year's data comes from; empty for a provisional year."""
        return list(self._source.get(year, []))

    # -- counting ------------------------------------------------------------------------
    def _nth_after(self, ordinal: int, n: int) -> int:
        i = bisect_right(self._ords, ordinal) + n - 1
        if i >= len(self._ords):
            raise CalendarRangeError(
                f"期限超出日历范围（{self.last_day.isoformat()}）/ beyond the calendar",
                field="date",
            )
        return self._ords[i]

    def add_working_days(self, start: date, n: int, pauses: Iterable[Pause] = ()) -> date:
        """The Nth working day strictly after `start`, not counting paused days.

        Day 1 is the first working day after `start` (also when `start` is not a working
        day); the period ends on day N. Example: add_working_days(Mon 2026-03-02, 20)
        → Mon 2026-03-30. With n == 0 the answer is `start` itself.
        """
        if not pauses and n > 0 and self.first_day <= start <= self.last_day:
            # The common case, kept to one bisect (this is the engine's hot path).
            i = bisect_right(self._ords, start.toordinal()) + n - 1
            if i < len(self._ords):
                return date.fromordinal(self._ords[i])
        return self._add_with_pauses(start, n, pauses)

    def _add_with_pauses(self, start: date, n: int, pauses: Iterable[Pause]) -> date:
        self._check(start)
        if n < 0:
            raise ValueError("n must be >= 0")
        if n == 0:
            return start
        cur = start.toordinal()
        for p in merge_pauses(pauses):
            s, e = p.start.toordinal(), p.end.toordinal()
            if e <= cur:
                continue
            if s > cur:
                avail = bisect_right(self._ords, s - 1) - bisect_right(self._ords, cur)
                if avail >= n:
                    return date.fromordinal(self._nth_after(cur, n))
                n -= avail
            cur = e
        return date.fromordinal(self._nth_after(cur, n))

    def subtract_working_days(self, end: date, n: int) -> date:
        """The Nth working day strictly before `end` (day 1 is the working day before it).

        Example: subtract_working_days(Mon 2026-03-30, 1) → Fri 2026-03-27. n must be ≥ 1.
        """
        self._check(end)
        if n < 1:
            raise ValueError("n must be >= 1")
        i = bisect_left(self._ords, end.toordinal()) - n
        if i < 0:
            raise CalendarRangeError("早于日历范围 / before the calendar", field="date")
        return date.fromordinal(self._ords[i])

    def working_days_between(self, start: date, end: date, pauses: Iterable[Pause] = ()) -> int:
        """Working days in the interval (start, end]: `start` excluded, `end` included.

        Paused days are not counted. Example: (Mon 2026-03-02, Mon 2026-03-30] → 20.
        Returns 0 when end <= start.
        """
        self._check(start)
        self._check(end)
        if end <= start:
            return 0
        a, b = start.toordinal(), end.toordinal()
        total = bisect_right(self._ords, b) - bisect_right(self._ords, a)
        for p in merge_pauses(pauses):
            s, e = max(p.start.toordinal(), a + 1), min(p.end.toordinal(), b)
            if s <= e:
                total -= bisect_right(self._ords, e) - bisect_right(self._ords, s - 1)
        return total

    def working_days_left(self, today: date, due: date, pauses: Iterable[Pause] = ()) -> int:
        """Working days after `today` up to and including `due` (0 on the due date).

        When overdue: minus the working days after `due` up to and including `today`.
        Example: today Fri 2026-03-27, due Mon 2026-03-30 → 1; today Tue 03-31 → -1.
        """
        if today <= due:
            return self.working_days_between(today, due, pauses)
        return -self.working_days_between(due, today)

    def non_working_days(self, start: date, end: date) -> list[DayInfo]:
        """Every non-working day in (start, end], with its reason, for explanations."""
        out = []
        d = start + timedelta(days=1)
        while d <= end:
            info = self.describe(d)
            if not info.working:
                out.append(info)
            d += timedelta(days=1)
        return out

    def provisional_in(self, start: date, end: date) -> bool:
        """True when any day of [start, end] lies in a provisional year."""
        return any(self.is_provisional(date(y, 1, 1)) for y in range(start.year, end.year + 1))

    @property
    def working_ordinals(self) -> Sequence[int]:
        """Ordinals of every working day in range, ascending (for bulk computation)."""
        return self._ords
