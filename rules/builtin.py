"""Where the built-in schedule data file lives (read by the caller, not here)."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def builtin_schedule_resource() -> Traversable:
    """The packaged `rules/data/cn_holidays.toml` (official notices 2019–2026)."""
    return files("rules") / "data" / "cn_holidays.toml"
