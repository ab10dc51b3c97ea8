"""Parsed State Council holiday notices (国务院办公厅关于YYYY年部分节假日安排的通知).

The data lives in TOML files of `[[notice]]` tables (see `rules/data/cn_holidays.toml`).
`parse_notices(text)` turns such a text into `Notice` records; it does no I/O itself.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from rules.errors import CalendarDataError


@dataclass(frozen=True)
class DayOff:
    name: str
    start: date
    end: date

    def days(self) -> list[date]:
        n = (self.end - self.start).days
        return [self.start + timedelta(days=i) for i in range(n + 1)]


@dataclass(frozen=True)
class Notice:
    """One official notice: the days off and the weekend days made working days for `year`."""

    year: int
    title: str
    number: str = ""
    published: date | None = None
    days_off: tuple[DayOff, ...] = ()
    working_days: tuple[tuple[date, str], ...] = ()
    cancelled_working_days: tuple[date, ...] = field(default=())

    @property
    def source(self) -> str:
        return f"{self.title}（{self.number}）" if self.number else self.title


@dataclass(frozen=True)
class Closure:
    """A one-off office closure (e.g. typhoon), from the office's configuration."""

    day: date
    reason: str


def _as_date(value: object, where: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise CalendarDataError(f"不是有效日期：{value!r}", field=where)


def notice_from_mapping(raw: dict[str, Any], where: str = "notice") -> Notice:
    """Build one `Notice` from a parsed TOML table; checks names and date order."""
    try:
        year = int(raw["year"])
        title = str(raw["title"])
    except (KeyError, TypeError, ValueError) as exc:
        raise CalendarDataError(f"缺少 year 或 title（{exc}）", field=where) from exc
    offs = []
    for i, item in enumerate(raw.get("days_off", [])):
        spot = f"{where}[{year}].days_off[{i}]"
        start = _as_date(item.get("start"), spot + ".start")
        end = _as_date(item.get("end", item.get("start")), spot + ".end")
        if end < start:
            raise CalendarDataError("结束日期早于开始日期", field=spot)
        offs.append(DayOff(str(item.get("name", "")), start, end))
    works = []
    for i, item in enumerate(raw.get("working_weekend_days", [])):
        spot = f"{where}[{year}].working_weekend_days[{i}]"
        if isinstance(item, dict):
            day, name = _as_date(item.get("date"), spot), str(item.get("name", ""))
        else:
            day, name = _as_date(item, spot), ""
        if day.weekday() < 5:
            raise CalendarDataError(f"{day} 不是周末，无需调休上班", field=spot)
        works.append((day, name))
    cancelled = tuple(
        _as_date(d, f"{where}[{year}].cancelled_working_days")
        for d in raw.get("cancelled_working_days", [])
    )
    published = raw.get("published")
    return Notice(
        year=year,
        title=title,
        number=str(raw.get("number", "")),
        published=_as_date(published, f"{where}[{year}].published") if published else None,
        days_off=tuple(offs),
        working_days=tuple(works),
        cancelled_working_days=cancelled,
    )


def parse_notices(text: str, where: str = "notice") -> list[Notice]:
    """Parse a TOML text of `[[notice]]` tables. Raises `CalendarDataError` on bad data."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CalendarDataError(f"TOML 格式错误：{exc}", field=where) from exc
    notices = data.get("notice")
    if not isinstance(notices, list) or not notices:
        raise CalendarDataError("没有 [[notice]] 表", field=where)
    return [notice_from_mapping(raw, where) for raw in notices]
