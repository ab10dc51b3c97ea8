"""The provisional schedule for years without an official notice (rulebook §1).

《全国年节及纪念日放假办法》(2024 revision), art. 2, fixes 13 statutory holiday days:
元旦 1 Jan; 春节 除夕 and 正月初一–初三; 清明 (solar term); 劳动节 1–2 May; 端午 (5/5 lunar);
中秋 (8/15 lunar); 国庆 1–3 Oct. A provisional year uses exactly these, plus weekends, and no
make-up working days. Lunar dates and the solar term come from `rules.statutory_table`
(generated from `lunar_python`, tests/rules/test_statutory_table.py checks every year), and
from `lunar_python` itself for a year outside the table.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from rules.statutory_table import LUNAR_DATES


def _lunar(year: int, month: int, day: int) -> date:
    from lunar_python import Lunar  # only outside the table's years

    s = Lunar.fromYmd(year, month, day).getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


def _qingming(year: int) -> date:
    from lunar_python import Solar  # only outside the table's years

    s = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
    return date(s.getYear(), s.getMonth(), s.getDay())


def lunar_dates(year: int) -> tuple[date, date, date, date]:
    """春节 (正月初一), 清明, 端午, 中秋 of `year`."""
    row = LUNAR_DATES.get(year)
    if row is None:
        return _lunar(year, 1, 1), _qingming(year), _lunar(year, 5, 5), _lunar(year, 8, 15)
    spring, qingming, duanwu, mid_autumn = (date(year, int(md[:2]), int(md[3:])) for md in row)
    return spring, qingming, duanwu, mid_autumn


@cache
def statutory_holidays(year: int) -> dict[date, str]:
    """The 13 statutory days off of `year`, named. Example: 2027 → 春节 2027-02-05…02-08."""
    return _holidays(year, *lunar_dates(year))


def _holidays(
    year: int, spring: date, qingming: date, duanwu: date, mid_autumn: date
) -> dict[date, str]:
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    for i in range(-1, 3):  # 除夕 and 正月初一–初三
        days[spring + timedelta(days=i)] = "春节"
    days[qingming] = "清明节"
    days[date(year, 5, 1)] = days[date(year, 5, 2)] = "劳动节"
    days[duanwu] = "端午节"
    days[mid_autumn] = "中秋节"
    for d in (1, 2, 3):
        days[date(year, 10, d)] = "国庆节"
    return days
