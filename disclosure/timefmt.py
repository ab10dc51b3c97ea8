"""Timestamps as a person reads them: stored in UTC, shown in the office time zone.

One formatter for the web (the `local_time` Jinja filter) and the CLI, so a time reads the
same everywhere: `2026-12-01 10:05` (minutes; the office's wall clock, no zone suffix).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

DISPLAY = "%Y-%m-%d %H:%M"


@lru_cache(maxsize=8)
def _zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


def as_utc(value: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken to be UTC already (how it is stored)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def local_time(value: datetime | str | None, tz: str, fmt: str = DISPLAY) -> str:
    """`value` (a datetime or an ISO 8601 string, UTC when naive) in the zone `tz`."""
    if value is None or value == "":
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return as_utc(moment).astimezone(_zone(tz)).strftime(fmt)


def day_start(day: date, tz: str) -> datetime:
    """The UTC moment the office's day `day` begins (for "since D" filters)."""
    return datetime.combine(day, time.min, tzinfo=_zone(tz)).astimezone(UTC)


def day_end(day: date, tz: str) -> datetime:
    """The UTC moment the office's day `day` ends (exclusive: the next day's start)."""
    return day_start(day + timedelta(days=1), tz)


def age_text(age: timedelta) -> str:
    """A duration as people say it: 刚刚, 5 分钟, 3 小时, 2 天."""
    seconds = max(0, int(age.total_seconds()))
    if seconds < 60:
        return "刚刚"
    if seconds < 3600:
        return f"{seconds // 60} 分钟前"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} 小时前"
    return f"{seconds // 86400} 天前"
