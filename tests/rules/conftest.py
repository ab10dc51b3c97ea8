"""Fixtures for the pure engine: the working calendar built from the packaged notices."""

from __future__ import annotations

import pytest

from rules.builtin import builtin_schedule_resource
from rules.calendar import WorkingCalendar
from rules.schedule import Notice, parse_notices


@pytest.fixture(scope="session")
def builtin_notices() -> list[Notice]:
    """The official notices shipped in `rules/data/cn_holidays.toml` (2019–2026)."""
    return parse_notices(builtin_schedule_resource().read_text("utf-8"))


@pytest.fixture(scope="session")
def calendar(builtin_notices: list[Notice]) -> WorkingCalendar:
    """The calendar as an office without extra files or closures sees it."""
    return WorkingCalendar(builtin_notices)
