"""The one place that reads the wall clock; everything else takes `today` or `now`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def now_utc() -> datetime:
    return datetime.now(UTC)


def today_in(tz: str) -> date:
    """The current date in the office's timezone (Asia/Shanghai by default)."""
    return datetime.now(ZoneInfo(tz)).date()
