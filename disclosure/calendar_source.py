"""Assembles the working calendar from the built-in data, config files and stored years."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from disclosure.errors import ConfigError
from disclosure.settings import Settings
from rules.builtin import builtin_schedule_resource
from rules.calendar import WorkingCalendar
from rules.errors import CalendarDataError
from rules.schedule import Closure, Notice, parse_notices


@lru_cache(maxsize=1)
def builtin_notices() -> tuple[Notice, ...]:
    return tuple(parse_notices(builtin_schedule_resource().read_text(encoding="utf-8")))


def read_notice_file(path: Path) -> list[Notice]:
    """Parse a schedule file (same format as the built-in one)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"无法读取日历文件 {path}：{getattr(exc, 'strerror', None) or exc}", field="calendar"
        ) from exc
    return parse_notices(text, where=str(path))


def config_notices(settings: Settings) -> list[Notice]:
    out: list[Notice] = []
    for name in settings.calendar.extra_files:
        out.extend(read_notice_file(settings.resolve(name)))
    return out


@lru_cache(maxsize=16)
def _cached(notices: tuple[Notice, ...], closures: tuple[Closure, ...]) -> WorkingCalendar:
    return WorkingCalendar(notices, closures)


def make_calendar(settings: Settings, stored: Iterable[Notice] = ()) -> WorkingCalendar:
    """Built-in notices, then config `extra_files`, then years loaded into the database.

    A notice with the same year and title as an earlier one replaces it whole (a corrected,
    reissued notice), so days it no longer lists stop being days off. Different notices of
    one year (e.g. 2020's Spring Festival extension) add up, later ones winning day by day.
    Closures from `[calendar] closures` are added.
    """
    latest: dict[tuple[int, str], Notice] = {}
    for n in (*builtin_notices(), *config_notices(settings), *stored):
        latest.pop((n.year, n.title), None)  # re-insert so order follows the newest copy
        latest[(n.year, n.title)] = n
    notices = tuple(latest.values())
    closures = tuple(Closure(c.date, c.reason) for c in settings.calendar.closures)
    try:
        return _cached(notices, closures)
    except CalendarDataError as exc:
        raise ConfigError(str(exc), field="calendar") from exc
