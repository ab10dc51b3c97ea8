"""The plausibility checks of a holiday notice (`rules.notice_checks`, `rules.notice_roles`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import pytest

from rules.builtin import builtin_schedule_resource
from rules.calendar import WorkingCalendar
from rules.notice_checks import (
    NoticeRefused,
    YearFigures,
    bounds_from,
    check_year,
    statutory_days,
)
from rules.notice_file import NoticeEntry, parse_notice_file
from rules.notice_roles import check_supplement, merged, with_roles, year_after_load
from tests.notices.data import FICTIONAL_2027, TITLE_2027, supplement

SHIPPED = list(parse_notice_file(builtin_schedule_resource().read_text("utf-8")).entries)
BOUNDS = bounds_from([e.notice for e in SHIPPED])


def _check(entries: Sequence[NoticeEntry], year: int = 2027) -> YearFigures:
    everything = merged(SHIPPED, entries)
    calendar = WorkingCalendar([e.notice for e in everything], horizon_years=0)
    return check_year(
        calendar, with_roles([e for e in everything if e.notice.year == year]), year, BOUNDS
    )


def _entries(text: str) -> list[NoticeEntry]:
    return list(parse_notice_file(text).entries)


def test_statutory_days_follow_the_law_in_force_that_year() -> None:
    # 2024 revision (in force 2025): 13 days, 除夕 and 5-02 added; lunar dates of 2027:
    # 除夕 2-05, 端午 (5/5) 6-09, 中秋 (8/15) 9-15; 清明 4-05.
    assert sorted(statutory_days(2027)) == [
        date(2027, 1, 1),
        date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8),
        date(2027, 4, 5),
        date(2027, 5, 1), date(2027, 5, 2),
        date(2027, 6, 9),
        date(2027, 9, 15),
        date(2027, 10, 1), date(2027, 10, 2), date(2027, 10, 3),
    ]  # fmt: skip
    # 2013 revision (in force 2014–2024): 11 days, no 除夕 (2024-02-09), no 5-02.
    days_2024 = statutory_days(2024)
    assert len(days_2024) == 11
    assert date(2024, 2, 9) not in days_2024 and date(2024, 5, 2) not in days_2024
    assert date(2024, 2, 10) in days_2024  # 正月初一


def test_bounds_come_from_the_shipped_notices() -> None:
    # 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7 = 33 days off; 19 weekdays off − 6 make-up days = 13;
    # 2020: 1-24 … 2-02 with the Spring Festival extension, 10 days in a row.
    assert BOUNDS.days_off == (33, 2026)
    assert BOUNDS.working_days_lost == (13, 2026)
    assert BOUNDS.longest_break == (10, 2020)


@pytest.mark.parametrize("year", range(2019, 2027))
def test_every_shipped_year_passes(year: int) -> None:
    in_year = with_roles([e for e in SHIPPED if e.notice.year == year])
    fig = _check([], year)
    assert fig.working_days_lost <= 13
    by_title = {e.notice.title: e for e in in_year}
    for e in in_year:
        if e.is_supplement:  # 2019's May Day adjustment, 2020's Spring Festival extension
            check_supplement(e, by_title[e.supplements or ""])


def test_the_fictional_2027_notice_passes() -> None:
    fig = _check(_entries(FICTIONAL_2027))
    assert (fig.days_off, fig.working_days_lost, fig.longest_break) == (29, 13, 10)
    assert (fig.break_start, fig.break_end) == (date(2027, 2, 5), date(2027, 2, 14))


def _without(text: str, line_part: str) -> str:
    lines = [line for line in text.splitlines() if line_part not in line]
    assert len(lines) == len(text.splitlines()) - 1
    return "\n".join(lines)


REFUSED = [
    pytest.param(
        FICTIONAL_2027.split("days_off")[0] + "days_off = []\nworking_weekend_days = []\n",
        "没有任何放假日期",
        id="no-days-off",
    ),
    pytest.param(
        _without(FICTIONAL_2027, "清明节"),
        "未把以下法定节假日列为放假：2027-04-05 清明节",
        id="no-qingming",
    ),
    pytest.param(
        FICTIONAL_2027.replace("start = 2027-02-05, end", "start = 2027-02-06, end"),
        "2027-02-05 春节",
        id="no-chuxi",
    ),
    pytest.param(
        FICTIONAL_2027.replace(
            '{ name = "元旦", start = 2027-01-01, end = 2027-01-04 },',
            '{ name = "元旦", start = 2027-01-01, end = 2027-01-04 },\n'
            '  { name = "三月", start = 2027-03-01, end = 2027-03-31 },',
        ),
        "2027 年放假 60 天，超过已发布的国务院通知中的最大值（33 天，2026 年）",
        id="a-month-off",
    ),
    pytest.param(
        FICTIONAL_2027.replace("{ date = 2027-09-26, name = \"国庆节\" },", ""),
        "调休后减少工作日 14 天，超过已发布的国务院通知中的最大值（13 天，2026 年）",
        id="one-working-day-too-many",
    ),
    pytest.param(
        FICTIONAL_2027.replace("2027-09-26, name", "2027-07-24, name"),
        "调休上班日 2027-07-24（星期六）离任何放假日都超过 31 天",
        id="makeup-far-from-any-break",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), REFUSED)
def test_implausible_notices_are_refused(text: str, message: str) -> None:
    with pytest.raises(NoticeRefused) as info:
        _check(_entries(text))
    assert message in str(info.value)
    assert TITLE_2027 in str(info.value)  # names the notice …
    assert str(info.value).startswith("第 2 行")  # … and its line


def test_a_whole_year_off_is_refused() -> None:
    text = FICTIONAL_2027.split("days_off")[0] + (
        'days_off = [{ name = "全年", start = 2027-01-01, end = 2027-12-31 }]\n'
    )
    with pytest.raises(NoticeRefused, match="放假 365 天"):
        _check(_entries(text))


# -- main and supplementary notices -------------------------------------------------------
MAIN = _entries(FICTIONAL_2027)


def _load(new: str, before: Sequence[NoticeEntry] = ()) -> list[NoticeEntry]:
    return year_after_load(2027, merged(SHIPPED, before), _entries(new))


def test_a_declared_supplement_adds_to_its_main_notice() -> None:
    extra = supplement("补充（虚构）", "working_weekend_days = [2027-01-09]")
    after = _load(extra, MAIN)
    assert [e.notice.title for e in after] == [TITLE_2027, "补充（虚构）"]
    assert _load(FICTIONAL_2027 + extra)[1].supplements == TITLE_2027  # both in one file


def test_a_reissued_main_notice_replaces_it() -> None:
    reissued = FICTIONAL_2027.replace("测试〔2026〕1号", "测试〔2026〕2号")
    (after,) = _load(reissued, MAIN)
    assert after.notice.number == "测试〔2026〕2号"


SUPPLEMENT_REFUSED = [
    pytest.param(
        FICTIONAL_2027.replace(TITLE_2027, "另一个主通知（虚构）"),
        MAIN,
        "2027 年已有主通知",
        id="second-main-notice",
    ),
    pytest.param(
        supplement("补充（虚构）", "working_weekend_days = [2027-01-09]"),
        (),
        "找不到所补充的通知",
        id="supplement-without-main",
    ),
    pytest.param(
        supplement("补充（虚构）", "working_weekend_days = [2027-01-09]", main="补充一（虚构）")
        + supplement("补充一（虚构）", "working_weekend_days = [2027-01-23]"),
        MAIN,
        "本身是补充通知",
        id="supplement-of-a-supplement",
    ),
    pytest.param(
        supplement("补充（虚构）", "").replace("published = 2026-12-01", "published = 2026-11-01")
        + "working_weekend_days = [2027-01-09]\n",
        MAIN,
        "早于主通知的 2026-11-20",
        id="published-before-main",
    ),
    pytest.param(
        supplement("补充（虚构）", 'days_off = [{ name = "新假", start = 2027-03-10 }]'),
        MAIN,
        "补充通知只能调整已有的假期",
        id="new-break",
    ),
    pytest.param(
        supplement("补充（虚构）", "cancelled_working_days = [2027-03-13]"),
        MAIN,
        "既不是主通知的调休上班日",
        id="cancels-an-ordinary-saturday",
    ),
    pytest.param(supplement("补充（虚构）", ""), MAIN, "没有任何调整内容", id="empty"),
    pytest.param(
        supplement(TITLE_2027, "working_weekend_days = [2027-01-09]"),
        MAIN,
        "与该年主通知同名",
        id="named-like-the-main-notice",
    ),
]


@pytest.mark.parametrize(("new", "before", "message"), SUPPLEMENT_REFUSED)
def test_inconsistent_supplements_are_refused(
    new: str, before: Sequence[NoticeEntry], message: str
) -> None:
    with pytest.raises(NoticeRefused, match=message):
        _load(new, before)


def test_extending_a_break_is_a_consistent_supplement() -> None:
    """Like 2020's extension: days off adjoining a break, a make-up day inside them cancelled."""
    extra = supplement(
        "延长（虚构）",
        'days_off = [{ name = "春节（延长）", start = 2027-02-15, end = 2027-02-21 }]\n'
        "cancelled_working_days = [2027-02-20, 2027-02-21]",
    )
    after = _load(extra, MAIN)
    assert after[1].notice.cancelled_working_days == (date(2027, 2, 20), date(2027, 2, 21))
    with pytest.raises(NoticeRefused, match="2027 年放假 36 天"):  # 29 + 7: too many
        _check(after)
    # confirmed against the notice (rulebook §1.8): accepted, the figures said
    everything = merged(SHIPPED, after)
    calendar = WorkingCalendar([e.notice for e in everything], horizon_years=0)
    in_year = with_roles([e for e in everything if e.notice.year == 2027])
    fig = check_year(calendar, in_year, 2027, BOUNDS, accept_unusual=True)
    assert fig.days_off == 36 and fig.unusual[0].startswith("2027 年放假 36 天，超过")
    assert _check(MAIN).unusual == ()  # a notice within the bounds has none


def test_the_longest_break_is_bounded() -> None:
    """2-05 … 2-14 is 10 days in a row: refused against a bound of 9 (a stricter history)."""
    everything = merged(SHIPPED, MAIN)
    calendar = WorkingCalendar([e.notice for e in everything], horizon_years=0)
    strict = replace(BOUNDS, longest_break=(9, 2026))
    with pytest.raises(NoticeRefused) as info:
        check_year(calendar, MAIN, 2027, strict)
    assert "2027-02-05 至 2027-02-14 连续放假 10 天" in str(info.value)
    assert "（9 天，2026 年）" in str(info.value)


def test_legacy_rows_without_supplements_take_the_first_notice_as_main() -> None:
    legacy = [
        replace(e, supplements=None)
        for e in _load(FICTIONAL_2027 + supplement("补", "working_weekend_days = [2027-01-09]"))
    ]
    assert [e.supplements for e in with_roles(legacy)] == [None, TITLE_2027]
