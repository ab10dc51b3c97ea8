"""Is a holiday notice plausible? The checks a notice must pass before it makes a year official.

A State Council notice (国务院办公厅关于YYYY年部分节假日安排的通知) arranges the statutory
holidays of 《全国年节及纪念日放假办法》 into breaks, moving some working days to weekends
(调休). Loading one changes every deadline that runs through its year, so before it counts:

1. every statutory holiday of the year is a day off (放假办法 art. 2, as in force that year);
2. make-up working days are Saturdays or Sundays (checked while reading, `rules.notice_file`)
   and each belongs to a break (practice: within `MAKEUP_NEAR_BREAK_DAYS` of a day off);
3. the year has no more days off, no more working days lost and no longer break than the
   notices published so far (`Bounds`, derived from the shipped notices, not typed in) —
   unless the person loading it confirms, having checked it day by day against the notice
   (`accept_unusual`): a plausibility check, a real notice may set a new record;
4. a supplementary notice (like 2019's May Day adjustment, 2020's Spring Festival extension)
   declares the main notice it amends (`supplements = "<title>"`) and only adjusts its breaks.

Everything here is pure: notices and calendars in, a `NoticeRefused` error or nothing out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from rules.calendar import DayKind, WorkingCalendar
from rules.errors import CalendarDataError
from rules.notice_file import NoticeEntry, weekday_name
from rules.schedule import Notice
from rules.statutory import statutory_holidays

# 《全国年节及纪念日放假办法》 as revised by State Council Decree No. 795 (2024-11-10), in force
# 1 January 2025: 13 days (春节 adds 除夕, 劳动节 adds 2 May). The 2013 revision (Decree
# No. 644), in force 2014-01-01 to 2024-12-31: 11 days, 春节 正月初一–初三, 劳动节 1 May.
THIRTEEN_DAYS_FROM = 2025
ELEVEN_DAYS_FROM = 2014
# Practice: a make-up working day compensates a break next to it; every shipped notice has
# them within 12 days of a day off (2026: Sun 9-20 for 国庆 10-01). A month leaves room.
MAKEUP_NEAR_BREAK_DAYS = 31
LAW = "《全国年节及纪念日放假办法》第二条"


class NoticeRefused(CalendarDataError):
    """A well-formed notice that the checks refuse (message says which rule and where)."""

    def __init__(self, message: str, *, entry: NoticeEntry | None = None, key: str = "") -> None:
        where = ""
        if entry is not None:
            line = f"第 {entry.line} 行" if entry.line else ""
            where = "，".join(x for x in (line, f"《{entry.notice.title}》", key) if x) + "："
        super().__init__(where + message, field=key or "file")

    def __str__(self) -> str:
        return self.message


class BeyondBounds(NoticeRefused):
    """A figure beyond every published notice's (check 3): the loader may confirm it."""


def statutory_days(year: int) -> dict[date, str]:
    """The statutory days off of `year` under the 放假办法 then in force (see the constants).

    Example: 2027 → 13 days (元旦 1-01, 春节 2-05…2-08, …); 2024 → 11 (no 除夕, no 5-02).
    """
    if year < ELEVEN_DAYS_FROM:
        raise NoticeRefused(f"不检查 {ELEVEN_DAYS_FROM} 年以前的安排（{year} 年）", key="year")
    days = dict(statutory_holidays(year))  # the 2025 list, as the provisional calendar uses
    if year >= THIRTEEN_DAYS_FROM:
        return days
    eve = min(d for d, name in days.items() if name == "春节")
    return {d: n for d, n in days.items() if d not in (eve, date(year, 5, 2))}


@dataclass(frozen=True)
class YearFigures:
    """What the notices of one year give: days off, working days lost, the longest break."""

    year: int
    days_off: int  # distinct days listed off (weekend days inside a break included)
    working_days_lost: int  # weekdays off minus weekend days made working days
    longest_break: int  # consecutive non-working days around a listed day off
    break_start: date | None = None
    break_end: date | None = None
    unusual: tuple[str, ...] = ()  # figures beyond the published notices' (accepted)


@dataclass(frozen=True)
class Bounds:
    """The largest figures any shipped year reached, each with the year that reached it."""

    days_off: tuple[int, int]  # (days, year)
    working_days_lost: tuple[int, int]
    longest_break: tuple[int, int]


def _listed(notices: Iterable[Notice], year: int) -> tuple[set[date], set[date]]:
    off: set[date] = set()
    work: set[date] = set()
    for n in notices:
        if n.year == year:
            for o in n.days_off:
                off.update(o.days())
            work.update(d for d, _ in n.working_days)
    return off, work


def _kind(calendar: WorkingCalendar, d: date, off: set[date]) -> DayKind:
    """The day's kind; before the calendar's first year only the listed days are known."""
    if calendar.first_day <= d <= calendar.last_day:
        return calendar.describe(d).kind
    if d in off:
        return DayKind.HOLIDAY
    return DayKind.WEEKEND if d.weekday() >= 5 else DayKind.WORKDAY


def year_figures(calendar: WorkingCalendar, notices: Iterable[Notice], year: int) -> YearFigures:
    """The figures of `year` as `calendar` (built from `notices` and others) has them."""
    listed_off, listed_work = _listed(notices, year)
    off = {d for d in listed_off if _kind(calendar, d, listed_off) is DayKind.HOLIDAY}
    work = {d for d in listed_work if _kind(calendar, d, listed_off) is DayKind.MAKEUP}
    lost = sum(1 for d in off if d.weekday() < 5) - len(work)
    best: tuple[int, date | None, date | None] = (0, None, None)
    seen: set[date] = set()
    free = (DayKind.HOLIDAY, DayKind.WEEKEND, DayKind.CLOSURE)
    for d in sorted(off):
        if d in seen:
            continue
        start = end = d
        while _kind(calendar, start - timedelta(days=1), listed_off) in free:
            start -= timedelta(days=1)
        while _kind(calendar, end + timedelta(days=1), listed_off) in free:
            end += timedelta(days=1)
        seen.update(x for x in off if start <= x <= end)
        length = (end - start).days + 1
        if length > best[0]:
            best = (length, start, end)
    return YearFigures(year, len(off), lost, best[0], best[1], best[2])


def bounds_from(notices: Sequence[Notice]) -> Bounds:
    """The largest figures of the given (shipped) notices' years."""
    calendar = WorkingCalendar(notices, horizon_years=0)
    figures = [year_figures(calendar, notices, y) for y in sorted(calendar.official_years)]
    return Bounds(
        days_off=max((f.days_off, f.year) for f in figures),
        working_days_lost=max((f.working_days_lost, f.year) for f in figures),
        longest_break=max((f.longest_break, f.year) for f in figures),
    )


def check_year(
    calendar: WorkingCalendar,
    entries: Sequence[NoticeEntry],
    year: int,
    bounds: Bounds,
    *,
    accept_unusual: bool = False,
) -> YearFigures:
    """Refuse `year` as `calendar` would have it after a load; `entries` are its notices.
    A figure beyond `bounds` refuses (`BeyondBounds`) unless `accept_unusual`; then the
    figures returned say which (`YearFigures.unusual`)."""
    main = next((e for e in entries if not e.is_supplement), entries[0])
    notices = [e.notice for e in entries]
    listed_off, _ = _listed(notices, year)
    if not listed_off:
        raise NoticeRefused(f"{year} 年的安排没有任何放假日期", entry=main, key="days_off")
    missing = [
        f"{d.isoformat()} {name}"
        for d, name in sorted(statutory_days(year).items())
        if _kind(calendar, d, listed_off) is not DayKind.HOLIDAY
    ]
    if missing:
        raise NoticeRefused(
            f"{year} 年的安排未把以下法定节假日列为放假：{'、'.join(missing)}（{LAW}）",
            entry=main,
            key="days_off",
        )
    for e in entries:
        for d, _ in e.notice.working_days:
            if not any(abs((d - o).days) <= MAKEUP_NEAR_BREAK_DAYS for o in listed_off):
                raise NoticeRefused(
                    f"调休上班日 {d.isoformat()}（{weekday_name(d)}）离任何放假日都超过"
                    f" {MAKEUP_NEAR_BREAK_DAYS} 天，不像是某个假期的调休",
                    entry=e,
                    key="working_weekend_days",
                )
    fig = year_figures(calendar, notices, year)
    found = unusual(fig, bounds)
    if found and not accept_unusual:
        raise BeyondBounds(found[0] + UNUSUAL_ADVICE, entry=main, key="days_off")
    return replace(fig, unusual=tuple(found))


# What to do when a figure is beyond every published notice's (check 3 is plausibility, not
# law: a new notice may rightly set a record, as 2026's nine-day Spring Festival did).
UNUSUAL_ADVICE = (
    "。如已逐日核对、确与国务院办公厅正式通知一致，可确认后载入"
    "（命令行加 --accept-unusual；网页勾选“已核对，确认载入”），确认记入审计日志"
)


def unusual(fig: YearFigures, bounds: Bounds) -> list[str]:
    """Each figure of `fig` beyond the published notices' largest (check 3), in words."""
    year = fig.year
    found = [
        _beyond(fig.days_off, bounds.days_off, f"{year} 年放假 {fig.days_off} 天"),
        _beyond(
            fig.working_days_lost,
            bounds.working_days_lost,
            f"{year} 年调休后减少工作日 {fig.working_days_lost} 天",
        ),
    ]
    if fig.break_start and fig.break_end:
        span = f"{fig.break_start.isoformat()} 至 {fig.break_end.isoformat()}"
        found.append(
            _beyond(
                fig.longest_break, bounds.longest_break, f"{span} 连续放假 {fig.longest_break} 天"
            )
        )
    return [f for f in found if f]


def _beyond(value: int, bound: tuple[int, int], what: str) -> str:
    limit, year = bound
    if value > limit:
        return f"{what}，超过已发布的国务院通知中的最大值（{limit} 天，{year} 年）"
    return ""
