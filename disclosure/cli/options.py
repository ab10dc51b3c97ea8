"""Parsers for option values shared by several commands (dates, pauses)."""

from __future__ import annotations

from datetime import date

from disclosure.errors import InvalidInput
from rules.calendar import Pause


def parse_date(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidInput(
            f"日期格式应为 YYYY-MM-DD，收到 {value!r} / bad date", field=field
        ) from exc


def require_date(value: str, field: str) -> date:
    d = parse_date(value, field)
    assert d is not None
    return d


def parse_pause(value: str) -> Pause:
    """START:END, both dates included (domain.md §2)."""
    start, sep, end = value.partition(":")
    if not sep:
        raise InvalidInput(
            f"暂停区间应为 START:END，收到 {value!r} / expected START:END", field="--pause"
        )
    s, e = require_date(start, "--pause"), require_date(end, "--pause")
    if e < s:
        raise InvalidInput(
            f"暂停结束日期早于开始日期：{value} / pause ends before it starts", field="--pause"
        )
    return Pause(s, e, "暂停")
