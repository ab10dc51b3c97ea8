"""The working-day calendar (rulebook §1) and the counting of periods (rulebook §2).

A working day is Monday–Friday, minus the days off of that year's State Council notice, plus
the weekend days the notice makes working days (调休). One-off office closures from the
configuration are days off too. Years after the last notice are *provisional*: weekends plus
the 13 statutory holidays (`rules.statutory`), no make-up days, flagged wherever they are used.

Counting convention (practice, rulebook §2, following the rule that the starting day is not
counted): a period of N working days from day D ends on the Nth working day strictly after D.
Paused days (both ends included) are not counted.

Implementation: the ordinals of all working days in range, ascending, and beside them a
running count (`_cum[i]`: working days before the i-th day of the range), so that "the Nth
working day after D" and "working days in (A, B]" are two list look-ups. The engine's hot
path uses the ordinal methods (`*_ordinal`, ordinals as `date.toordinal()`); the date methods
wrap them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

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


class PauseKind(StrEnum):
    """What stops the reply clock (Reg. Art. 33 ¶3; Fees; rulebook §§6–7)."""

    CONSULTATION = "consultation"  # from sending the letter to the answer or the 15th day
    FEE = "fee"  # from sending the fee notice to payment (or the end of the period)
    MANUAL = "manual"  # an explicit interval (calculator)


class PauseCause(NamedTuple):
    """One reason a merged pause exists, with its own interval (both ends paused).

    `open`: the step that ends it (answer, payment) is not recorded yet, so `end` assumes the
    pause runs its full length (a projection, rulebook §11). `served_known`: False when the
    letter's served date is missing and `end` is counted from the day it was sent, the
    earliest the period can end. (A named tuple: built for every application a recompute
    stores.)
    """

    kind: PauseKind
    start: date
    end: date
    label: str
    open: bool = False
    served_known: bool = True


@dataclass(frozen=True, order=True)
class Pause:
    """A paused interval; `start` and `end` are both not counted (rulebook §2).

    A merged pause lists every cause in `causes` (each with its own dates); `reason` joins
    their labels.
    """

    start: date
    end: date
    reason: str = ""
    causes: tuple[PauseCause, ...] = field(default=(), compare=False)


def merge_pauses(pauses: Iterable[Pause]) -> list[Pause]:
    """Sort and merge overlapping or touching pauses (rulebook §2: overlapping pauses merge).

    Example: 3/4–3/6 and 3/5–3/9 → 3/4–3/9. Causes are kept, reasons joined once each.
    """
    merged: list[Pause] = []
    for p in sorted(pauses):
        if merged and p.start <= merged[-1].end + timedelta(days=1):
            last = merged[-1]
            reason = "、".join(r for r in dict.fromkeys((last.reason, p.reason)) if r)
            merged[-1] = Pause(last.start, max(last.end, p.end), reason, last.causes + p.causes)
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
            raise CalendarDataError("日历没有任何年度数据", field="calendar")
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
                    self._also_from(n, d.year)  # a New Year break from 12-31, say
            for d, name in n.working_days:
                self._makeup[d] = name
                self._off.pop(d, None)
                self._also_from(n, d.year)
            for d in n.cancelled_working_days:
                self._makeup.pop(d, None)
        for year in range(self.first_year, self.last_year + 1):
            if year not in self.official_years:
                self._off.update(statutory_holidays(year))
        self._closed = {c.day: c.reason for c in closures}
        base = self.first_day.toordinal()
        self._base = base
        self.last_ordinal = self.last_day.toordinal()
        span = self.last_ordinal - base + 1
        ords: list[int] = []
        cum = [0] * (span + 1)
        for i in range(span):
            d = date.fromordinal(base + i)
            if self._classify(d)[0] in (DayKind.WORKDAY, DayKind.MAKEUP):
                ords.append(base + i)
            cum[i + 1] = len(ords)
        self._ords = ords
        self._cum = cum
        # `table()`, kept as one tuple: the engine reads it once per application.
        self.working_table: tuple[Sequence[int], Sequence[int], int] = (ords, cum, base)
        self._provisional_years = frozenset(
            y for y in range(self.first_year, self.last_year + 1) if y not in self.official_years
        )
        first = min(self._provisional_years, default=self.last_year + 1)
        last = self.last_ordinal
        self._first_provisional = date(first, 1, 1).toordinal() if first <= 9999 else last + 1

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

    def _range_error(self, d: date, field: str = "date") -> CalendarRangeError:
        return CalendarRangeError(
            f"日期 {d.isoformat()} 超出日历范围（{self.first_day.isoformat()} 至 "
            f"{self.last_day.isoformat()}）",
            field=field,
        )

    def _check(self, d: date) -> None:
        if not self.first_day <= d <= self.last_day:
            raise self._range_error(d)

    def check_ordinal(self, o: int, field: str = "date") -> None:
        """Raise `CalendarRangeError` (about `field`) for a day outside the calendar."""
        if not self._base <= o <= self.last_ordinal:
            raise self._range_error(date.fromordinal(max(o, 1)), field)

    def is_provisional(self, d: date) -> bool:
        """True when `d` falls in a year without an official notice (rulebook §1)."""
        return d.year not in self.official_years

    def describe(self, d: date) -> DayInfo:
        self._check(d)
        kind, name = self._classify(d)
        return DayInfo(d, kind, name, self.is_provisional(d))

    def is_working_day(self, d: date) -> bool:
        self._check(d)
        i = d.toordinal() - self._base
        return self._cum[i + 1] > self._cum[i]

    def sources(self, year: int) -> list[str]:
        """The notices the year's data comes from (another year's notice too when it sets a
        day of this one: 2027's 元旦 from 2026-12-31); empty for a provisional year."""
        return list(self._source.get(year, []))

    def _also_from(self, n: Notice, year: int) -> None:
        if year != n.year and n.source not in self._source.setdefault(year, []):
            self._source[year].append(n.source)

    # -- counting on ordinals (the engine's hot path) --------------------------------------
    def table(self) -> tuple[Sequence[int], Sequence[int], int]:
        """(working-day ordinals ascending, running count, ordinal of the first day).

        For the hot path: the Nth working day strictly after day `o` is
        `ords[count[o - base + 1] + n - 1]` (an IndexError past the range).
        """
        return self.working_table

    def nth_after_ordinal(self, o: int, n: int) -> int:
        """The Nth working day strictly after day `o` (n ≥ 1; rulebook §2). Ordinals in/out."""
        if not self._base <= o <= self.last_ordinal:
            raise self._range_error(date.fromordinal(max(o, 1)))
        i = self._cum[o - self._base + 1] + n - 1
        if i >= len(self._ords):
            raise CalendarRangeError(
                f"期限超出日历范围（{self.last_day.isoformat()}）", field="date"
            )
        return self._ords[i]

    def nth_before_ordinal(self, o: int, n: int) -> int:
        """The Nth working day strictly before day `o` (n ≥ 1). Ordinals in and out."""
        if not self._base <= o <= self.last_ordinal:
            raise self._range_error(date.fromordinal(max(o, 1)))
        i = self._cum[o - self._base] - n
        if i < 0:
            raise CalendarRangeError("早于日历范围", field="date")
        return self._ords[i]

    def add_ordinal(self, o: int, n: int, spans: Sequence[tuple[int, int]] = ()) -> int:
        """As `add_working_days` on ordinals; `spans` are paused (start, end), both ends
        included (start <= end), sorted by start (they may overlap or touch: no need to merge
        them first).

        Day 1 is the first working day after `o` outside every span; the result is day `n`.
        """
        if n <= 0:
            return o
        base, cum, ords = self._base, self._cum, self._ords
        if not base <= o <= self.last_ordinal:
            raise self._range_error(date.fromordinal(max(o, 1)))
        # `t`: the index in `ords` of day n, counting the pauses seen so far; `cur`: the last
        # day counted or paused. A pause that starts after day n cannot move it (nor can any
        # later one: they are sorted by start); one that ends after `cur` pushes day n on by
        # its working days after `cur` (an IndexError: past the calendar's last day).
        t = cum[o - base + 1] + n - 1
        cur = o
        try:
            for s, e in spans:
                if ords[t] < s:
                    break
                if e > cur:
                    t += cum[e - base + 1] - cum[(s if s > cur else cur + 1) - base]
                    cur = e
            return ords[t]
        except IndexError:
            raise CalendarRangeError(
                f"期限超出日历范围（{self.last_day.isoformat()}）", field="date"
            ) from None

    def between_ordinal(self, a: int, b: int) -> int:
        """Working days in (a, b] on ordinals, without pauses (0 when b <= a)."""
        if b <= a:
            return 0
        self.check_ordinal(a)
        self.check_ordinal(b)
        return self._cum[b - self._base + 1] - self._cum[a - self._base + 1]

    def provisional_between_ordinal(self, a: int, b: int) -> bool:
        """True when any day of [a, b] (ordinals) lies in a provisional year (rulebook §1)."""
        prov = self._provisional_years
        if not prov:
            return False
        if a >= self._base and max(a, b) < self._first_provisional:
            return False  # the usual case: every year up to b has its notice
        ya, yb = date.fromordinal(a).year, date.fromordinal(max(a, b)).year
        if ya == yb:
            return ya in prov
        return any(y in prov for y in range(ya, yb + 1))

    # -- counting on dates ---------------------------------------------------------------
    def add_working_days(self, start: date, n: int, pauses: Iterable[Pause] = ()) -> date:
        """The Nth working day strictly after `start`, not counting paused days (rulebook §2).

        Day 1 is the first working day after `start` (also when `start` is not a working
        day); the period ends on day N. Example: add_working_days(Mon 2026-03-02, 20)
        → Mon 2026-03-30. With n == 0 the answer is `start` itself.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        o = start.toordinal()
        if not pauses:
            if n == 0:
                self._check(start)
                return start
            return date.fromordinal(self.nth_after_ordinal(o, n))
        spans = sorted((p.start.toordinal(), p.end.toordinal()) for p in pauses)
        return date.fromordinal(self.add_ordinal(o, n, spans))

    def subtract_working_days(self, end: date, n: int) -> date:
        """The Nth working day strictly before `end` (day 1 is the working day before it).

        Example: subtract_working_days(Mon 2026-03-30, 1) → Fri 2026-03-27. n must be ≥ 1.
        """
        if n < 1:
            raise ValueError("n must be >= 1")
        return date.fromordinal(self.nth_before_ordinal(end.toordinal(), n))

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
        total = self.between_ordinal(a, b)
        for p in merge_pauses(pauses):
            s, e = max(p.start.toordinal(), a + 1), min(p.end.toordinal(), b)
            if s <= e:
                total -= self.between_ordinal(s - 1, e)
        return total

    def working_days_late(self, due: date, today: date) -> int:
        """How many working days late a step taken at the first moment possible is.

        The working days in (due, T], where T is `today` if it is a working day, else the
        next working day (the office acts again only then): so on the weekend after a Friday
        due date it is 1, never 0. 0 when today <= due. Example: due Mon 2026-03-30, today
        Tue 03-31 → 1; Sat 04-04 (清明) → 5 (3/31–4/3 and Tue 4/7, the next working day).
        """
        if today <= due:
            return 0
        self._check(today)
        t = today.toordinal()
        i = t - self._base
        if self._cum[i + 1] == self._cum[i]:  # not a working day: the next one counts
            nxt = self._cum[i + 1]
            if nxt < len(self._ords):
                t = self._ords[nxt]
        return self.between_ordinal(due.toordinal(), t)

    def working_days_left(self, today: date, due: date, pauses: Iterable[Pause] = ()) -> int:
        """Working days after `today` up to and including `due` (0 on the due date).

        When overdue it is negative: minus `working_days_late(due, today)`, so it is never 0
        after the due date. Example: today Fri 2026-03-27, due Mon 2026-03-30 → 1; today Tue
        03-31 → -1; today Sat 03-28 with due Fri 03-27 → -1.
        """
        if today <= due:
            return self.working_days_between(today, due, pauses)
        return -self.working_days_late(due, today)

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
        return self.provisional_between_ordinal(start.toordinal(), end.toordinal())

    @property
    def working_ordinals(self) -> Sequence[int]:
        """Ordinals of every working day in range, ascending."""
        return self._ords
