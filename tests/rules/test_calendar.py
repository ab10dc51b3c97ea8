"""rules.calendar: which days are working days (rulebook §1) and how periods count (§2)."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta

import chinese_calendar
import holidays
import pytest

from rules.builtin import builtin_schedule_resource
from rules.calendar import DayKind, Pause, WorkingCalendar, merge_pauses
from rules.errors import CalendarDataError, CalendarRangeError
from rules.schedule import Closure, Notice, parse_notices
from rules.statutory import statutory_holidays

D = date.fromisoformat
OFFICIAL_YEARS = range(2019, 2027)


def _days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


def _disagreements(calendar: WorkingCalendar, year: int, reference) -> list[str]:  # type: ignore[no-untyped-def]
    """Every day of `year` where the calendar and `reference(day) -> bool` differ."""
    return [
        f"{d} ours={calendar.is_working_day(d)} theirs={reference(d)}"
        for d in _days_of(year)
        if calendar.is_working_day(d) != reference(d)
    ]


# -- independent cross-checks, every day 2019-01-01 .. 2026-12-31 --------------------------


@pytest.mark.parametrize("year", OFFICIAL_YEARS, ids=str)
def test_every_day_agrees_with_chinese_calendar(calendar: WorkingCalendar, year: int) -> None:
    assert _disagreements(calendar, year, chinese_calendar.is_workday) == []


@pytest.mark.parametrize("year", OFFICIAL_YEARS, ids=str)
def test_every_day_agrees_with_holidays_package(calendar: WorkingCalendar, year: int) -> None:
    cn = holidays.China(years=year)
    makeup = cn.weekend_workdays

    def working(d: date) -> bool:
        return (d.weekday() < 5 and d not in cn) or d in makeup

    assert _disagreements(calendar, year, working) == []


# -- every day the packaged notices list, per notice year ----------------------------------

_RAW = tomllib.loads(builtin_schedule_resource().read_text("utf-8"))["notice"]
# A make-up day that a later notice of the same year withdrew (the 2020 Spring Festival
# extension, 国办发明电〔2020〕1号, turned Saturday 2020-02-01 back into a day off).
_WITHDRAWN_MAKEUP = {D("2020-02-01")}


def _listed(year: int, key: str) -> list[date]:
    out: list[date] = []
    for raw in _RAW:
        if raw["year"] != year:
            continue
        if key == "days_off":
            for item in raw["days_off"]:
                start, end = item["start"], item["end"]
                out += [start + timedelta(days=i) for i in range((end - start).days + 1)]
        else:
            out += [item["date"] for item in raw["working_weekend_days"]]
    return out


@pytest.mark.parametrize("year", OFFICIAL_YEARS, ids=str)
def test_every_listed_day_off_is_a_holiday(calendar: WorkingCalendar, year: int) -> None:
    days = [d for d in _listed(year, "days_off") if d >= calendar.first_day]
    assert days
    wrong = [d for d in days if calendar.describe(d).kind is not DayKind.HOLIDAY]
    assert wrong == []
    assert not any(calendar.is_working_day(d) for d in days)


@pytest.mark.parametrize("year", OFFICIAL_YEARS, ids=str)
def test_every_listed_makeup_day_is_a_working_day(calendar: WorkingCalendar, year: int) -> None:
    days = [d for d in _listed(year, "working_weekend_days") if d >= calendar.first_day]
    assert days
    for d in days:
        assert d.weekday() >= 5, f"{d} is listed as 调休上班 but is not a weekend day"
        if d in _WITHDRAWN_MAKEUP:
            assert not calendar.is_working_day(d)
        else:
            assert calendar.describe(d).kind is DayKind.MAKEUP, d
            assert calendar.is_working_day(d)


def test_2020_extension_withdraws_the_makeup_saturday(calendar: WorkingCalendar) -> None:
    info = calendar.describe(D("2020-02-01"))
    assert (info.kind, info.name) == (DayKind.HOLIDAY, "春节（延长）")


def test_year_sources_name_the_notices(calendar: WorkingCalendar) -> None:
    assert calendar.sources(2019) == [
        "国务院办公厅关于2019年部分节假日安排的通知（国办发明电〔2018〕15号）",
        "国务院办公厅关于调整2019年劳动节假期安排的通知（国办发明电〔2019〕2号）",
    ]
    assert calendar.sources(2027) == []


def test_a_day_set_by_next_years_notice_names_that_notice_too() -> None:
    from tests.notices.data import NOTICE_2027

    early = NOTICE_2027.replace(
        "start = 2027-01-01, end = 2027-01-03", "start = 2026-12-31, end = 2027-01-03"
    )
    shipped = parse_notices(builtin_schedule_resource().read_text("utf-8"))
    calendar = WorkingCalendar([*shipped, *parse_notices(early)])
    assert calendar.describe(D("2026-12-31")).kind is DayKind.HOLIDAY
    [notice_2027] = calendar.sources(2027)
    assert calendar.sources(2026)[-1] == notice_2027  # 12-31 comes from it
    assert calendar.sources(2026)[0].startswith("国务院办公厅关于2026年")


# -- precedence: make-up working day, then holiday, then weekend ---------------------------


@pytest.mark.parametrize(
    ("day", "kind", "working"),
    [
        ("2026-02-14", DayKind.MAKEUP, True),  # Saturday made a working day for 春节
        ("2026-01-04", DayKind.MAKEUP, True),  # Sunday made a working day for 元旦
        ("2026-02-16", DayKind.HOLIDAY, False),  # Monday inside 春节 2/15–2/23
        ("2026-02-15", DayKind.HOLIDAY, False),  # Sunday inside 春节: holiday beats weekend
        ("2026-03-07", DayKind.WEEKEND, False),  # ordinary Saturday
        ("2026-03-02", DayKind.WORKDAY, True),  # ordinary Monday
    ],
    ids=["makeup-sat", "makeup-sun", "holiday-weekday", "holiday-on-weekend", "sat", "mon"],
)
def test_precedence(calendar: WorkingCalendar, day: str, kind: DayKind, working: bool) -> None:
    info = calendar.describe(D(day))
    assert info.kind is kind
    assert info.working is working
    assert calendar.is_working_day(D(day)) is working


# -- range ---------------------------------------------------------------------------------


def test_range_runs_from_first_notice_to_horizon(calendar: WorkingCalendar) -> None:
    assert calendar.first_day == D("2019-01-01")
    assert calendar.last_day == D("2036-12-31")  # ten provisional years after 2026


@pytest.mark.parametrize(
    "day", ["2018-12-31", "2000-06-01", "2037-01-01"], ids=["before-2019", "long-ago", "past"]
)
def test_dates_outside_the_calendar_raise(calendar: WorkingCalendar, day: str) -> None:
    with pytest.raises(CalendarRangeError):
        calendar.is_working_day(D(day))
    with pytest.raises(CalendarRangeError):
        calendar.describe(D(day))
    with pytest.raises(CalendarRangeError):
        calendar.add_working_days(D(day), 20)


def test_a_count_running_past_the_horizon_raises(calendar: WorkingCalendar) -> None:
    with pytest.raises(CalendarRangeError):
        calendar.add_working_days(D("2036-12-20"), 20)


def test_subtracting_before_the_calendar_raises(calendar: WorkingCalendar) -> None:
    with pytest.raises(CalendarRangeError):
        calendar.subtract_working_days(D("2019-01-03"), 5)


# -- provisional years (rulebook §1) ------------------------------------------------------

STATUTORY_2027 = {
    D("2027-01-01"): "元旦",
    D("2027-02-05"): "春节",  # 除夕
    D("2027-02-06"): "春节",  # 正月初一
    D("2027-02-07"): "春节",
    D("2027-02-08"): "春节",  # 正月初三
    D("2027-04-05"): "清明节",
    D("2027-05-01"): "劳动节",
    D("2027-05-02"): "劳动节",
    D("2027-06-09"): "端午节",  # 五月初五
    D("2027-09-15"): "中秋节",  # 八月十五
    D("2027-10-01"): "国庆节",
    D("2027-10-02"): "国庆节",
    D("2027-10-03"): "国庆节",
}


def test_2027_statutory_days_are_computed() -> None:
    assert statutory_holidays(2027) == STATUTORY_2027


def test_2027_is_provisional_and_2026_is_not(calendar: WorkingCalendar) -> None:
    assert calendar.is_provisional(D("2027-03-01"))
    assert calendar.describe(D("2027-03-01")).provisional
    assert not calendar.is_provisional(D("2026-12-31"))
    assert not calendar.describe(D("2026-12-31")).provisional


@pytest.mark.parametrize("day", sorted(STATUTORY_2027), ids=str)
def test_2027_statutory_days_are_provisional_holidays(calendar: WorkingCalendar, day: date):
    info = calendar.describe(day)
    assert (info.kind, info.name, info.provisional) == (
        DayKind.HOLIDAY,
        STATUTORY_2027[day],
        True,
    )


def test_2027_has_no_makeup_days(calendar: WorkingCalendar) -> None:
    weekend_working = [d for d in _days_of(2027) if d.weekday() >= 5 and calendar.is_working_day(d)]
    assert weekend_working == []
    weekdays_off = {d for d in _days_of(2027) if d.weekday() < 5 and not calendar.is_working_day(d)}
    assert weekdays_off == {d for d in STATUTORY_2027 if d.weekday() < 5}


HYPOTHETICAL_2027 = """
# Test data only: an invented 2027 notice, to show that loading a year replaces the guess.
[[notice]]
year = 2027
title = "国务院办公厅关于2027年部分节假日安排的通知（测试数据）"
days_off = [
  { name = "元旦", start = 2027-01-01, end = 2027-01-04 },
  { name = "春节", start = 2027-02-05, end = 2027-02-12 },
]
working_weekend_days = [{ date = 2027-02-20, name = "春节" }]
"""


@pytest.fixture
def calendar_2027(builtin_notices: list[Notice]) -> WorkingCalendar:
    return WorkingCalendar([*builtin_notices, *parse_notices(HYPOTHETICAL_2027)])


def test_loading_a_notice_makes_the_year_official(calendar_2027: WorkingCalendar) -> None:
    assert not calendar_2027.is_provisional(D("2027-03-01"))
    assert calendar_2027.last_day == D("2037-12-31")
    # Monday 1/4 and Wednesday 2/10 were provisional working days; the notice makes them off.
    assert calendar_2027.describe(D("2027-01-04")).kind is DayKind.HOLIDAY
    assert calendar_2027.describe(D("2027-02-10")).kind is DayKind.HOLIDAY
    assert calendar_2027.describe(D("2027-02-20")).kind is DayKind.MAKEUP
    # Statutory guesses are gone: 清明 (Mon 4/5) is not in this (partial) notice.
    assert calendar_2027.is_working_day(D("2027-04-05"))


def test_loading_a_notice_moves_a_date(
    calendar: WorkingCalendar, calendar_2027: WorkingCalendar
) -> None:
    # Received Mon 2026-12-14: 12/15–12/31 are days 1–13; 1/1 off (元旦), then
    # provisionally 1/4–1/8 days 14–18, 1/11, 1/12 days 19–20. With 1/4 off too: 1/13.
    assert calendar.add_working_days(D("2026-12-14"), 20) == D("2027-01-12")
    assert calendar_2027.add_working_days(D("2026-12-14"), 20) == D("2027-01-13")


# -- closures ------------------------------------------------------------------------------


def test_closure_makes_a_day_non_working(builtin_notices: list[Notice]) -> None:
    cal = WorkingCalendar(builtin_notices, [Closure(D("2026-03-04"), "台风停止办公")])
    info = cal.describe(D("2026-03-04"))
    assert (info.kind, info.name, info.working) == (DayKind.CLOSURE, "台风停止办公", False)
    # 2026-03-02: the closed Wednesday is skipped, so day 20 is Tue 3/31 instead of Mon 3/30.
    assert cal.add_working_days(D("2026-03-02"), 20) == D("2026-03-31")


def test_closure_beats_a_makeup_day(builtin_notices: list[Notice]) -> None:
    cal = WorkingCalendar(builtin_notices, [Closure(D("2026-02-14"), "停电")])
    assert cal.describe(D("2026-02-14")).kind is DayKind.CLOSURE
    assert not cal.is_working_day(D("2026-02-14"))


# -- counting (rulebook §2) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-03-02", 20, "2026-03-30"),  # rulebook §2 example: 4 full weeks after Mon 3/2
        ("2026-03-02", 1, "2026-03-03"),  # day 1 is the working day after the start
        ("2026-03-06", 1, "2026-03-09"),  # Friday: day 1 is the next Monday
        ("2026-03-07", 1, "2026-03-09"),  # Saturday start: count from the next working day
        ("2026-02-13", 1, "2026-02-14"),  # Friday before the 春节 make-up Saturday
        ("2026-02-14", 1, "2026-02-24"),  # make-up Saturday; 2/15–2/23 off
        ("2026-03-02", 0, "2026-03-02"),  # n = 0 is the start itself
    ],
    ids=["domain-example", "day-1", "friday", "saturday", "before-makeup", "makeup", "zero"],
)
def test_add_working_days(calendar: WorkingCalendar, start: str, n: int, expected: str) -> None:
    assert calendar.add_working_days(D(start), n) == D(expected)


def test_add_working_days_refuses_negative(calendar: WorkingCalendar) -> None:
    with pytest.raises(ValueError):
        calendar.add_working_days(D("2026-03-02"), -1)


@pytest.mark.parametrize(
    ("start", "pauses", "expected"),
    [
        # 3/3–3/6 days 1–4; paused 3/9–3/13; 3/16–4/3 days 5–19 (4/4–4/6 清明); 4/7 day 20.
        ("2026-03-02", [("2026-03-09", "2026-03-13")], "2026-04-07"),
        # A pause over weekend days only changes nothing.
        ("2026-03-02", [("2026-03-07", "2026-03-08")], "2026-03-30"),
        # A pause starting on the start day: 3/2–3/3 paused, 3/4–3/31 are days 1–20.
        ("2026-03-02", [("2026-03-02", "2026-03-03")], "2026-03-31"),
        # A pause ending before the start is ignored.
        ("2026-03-02", [("2026-02-24", "2026-02-27")], "2026-03-30"),
        # Overlapping pauses merge into 3/9–3/17: 3/18–3/20 days 5–7 … 4/9 day 20.
        ("2026-03-02", [("2026-03-09", "2026-03-13"), ("2026-03-11", "2026-03-17")], "2026-04-09"),
        # A pause after the due date does not matter.
        ("2026-03-02", [("2026-03-31", "2026-04-10")], "2026-03-30"),
        # A pause covering the would-be due day: 3/30 paused, 3/31 is day 20.
        ("2026-03-02", [("2026-03-30", "2026-03-30")], "2026-03-31"),
    ],
    ids=["one-week", "weekend-only", "from-start", "before-start", "overlap", "after", "due-day"],
)
def test_add_working_days_with_pauses(
    calendar: WorkingCalendar, start: str, pauses: list[tuple[str, str]], expected: str
) -> None:
    ps = [Pause(D(a), D(b)) for a, b in pauses]
    assert calendar.add_working_days(D(start), 20, ps) == D(expected)


def test_subtract_working_days(calendar: WorkingCalendar) -> None:
    assert calendar.subtract_working_days(D("2026-03-30"), 1) == D("2026-03-27")
    # Before Tue 2/24: Sat 2/14 (make-up) is the working day before the 春节 break.
    assert calendar.subtract_working_days(D("2026-02-24"), 1) == D("2026-02-14")
    assert calendar.subtract_working_days(D("2026-03-30"), 5) == D("2026-03-23")


def test_working_days_between(calendar: WorkingCalendar) -> None:
    assert calendar.working_days_between(D("2026-03-02"), D("2026-03-30")) == 20
    assert calendar.working_days_between(D("2026-03-02"), D("2026-03-02")) == 0
    assert calendar.working_days_between(D("2026-03-30"), D("2026-03-02")) == 0
    # (2/13, 2/24]: 2/14 make-up and 2/24 → 2.
    assert calendar.working_days_between(D("2026-02-13"), D("2026-02-24")) == 2
    paused = [Pause(D("2026-03-09"), D("2026-03-13"))]
    assert calendar.working_days_between(D("2026-03-02"), D("2026-03-30"), paused) == 15


@pytest.mark.parametrize(
    ("today", "left"),
    [
        ("2026-03-27", 1),  # docstring example: Friday, due Monday → 1
        ("2026-03-28", 1),  # Saturday before the due Monday → still 1
        ("2026-03-30", 0),  # on the due date → 0
        ("2026-03-31", -1),  # one working day late
        ("2026-04-07", -5),  # 3/31, 4/1, 4/2, 4/3, 4/7 (4/4–4/6 清明 not counted)
        ("2026-03-02", 20),  # on the day of receipt the whole period is left
    ],
    ids=["fri", "sat", "due-day", "late-1", "late-over-qingming", "receipt-day"],
)
def test_working_days_left(calendar: WorkingCalendar, today: str, left: int) -> None:
    assert calendar.working_days_left(D(today), D("2026-03-30")) == left


def test_merge_pauses() -> None:
    a = Pause(D("2026-03-04"), D("2026-03-06"), "征求意见")
    b = Pause(D("2026-03-05"), D("2026-03-09"), "缴费")
    c = Pause(D("2026-03-10"), D("2026-03-11"), "暂停")  # touches b: merged
    d = Pause(D("2026-03-20"), D("2026-03-20"))
    inner = Pause(D("2026-03-21"), D("2026-03-21"))
    assert merge_pauses([d, c, b, a]) == [
        Pause(D("2026-03-04"), D("2026-03-11"), "征求意见、缴费、暂停"),
        d,
    ]
    assert merge_pauses([Pause(D("2026-03-20"), D("2026-03-25"), "x"), inner]) == [
        Pause(D("2026-03-20"), D("2026-03-25"), "x")
    ]


def test_non_working_days_name_the_reason(calendar: WorkingCalendar) -> None:
    days = calendar.non_working_days(D("2026-02-13"), D("2026-02-24"))
    assert [d.day for d in days] == [D("2026-02-15") + timedelta(days=i) for i in range(9)]
    assert {d.name for d in days} == {"春节"}


# -- bad data ------------------------------------------------------------------------------


def test_no_notices_is_an_error() -> None:
    with pytest.raises(CalendarDataError):
        WorkingCalendar([])


@pytest.mark.parametrize(
    "text",
    [
        "not = [valid",
        "[other]\nx = 1\n",
        '[[notice]]\ntitle = "no year"\n',
        '[[notice]]\nyear = 2027\ntitle = "t"\n'
        'days_off = [{ name = "x", start = 2027-01-05, end = 2027-01-04 }]\n',
        '[[notice]]\nyear = 2027\ntitle = "t"\nworking_weekend_days = [2027-01-04]\n',
        '[[notice]]\nyear = 2027\ntitle = "t"\ndays_off = [{ name = "x", start = "soon" }]\n',
    ],
    ids=["bad-toml", "no-notice", "no-year", "end-before-start", "makeup-on-monday", "not-date"],
)
def test_bad_schedule_text_is_a_data_error(text: str) -> None:
    with pytest.raises(CalendarDataError):
        parse_notices(text)
