"""Shared builders for the engine tests: events from ISO strings, one call to compute."""

from __future__ import annotations

from datetime import date
from typing import Any

from rules.calendar import WorkingCalendar
from rules.engine import Deadlines, Policy, compute
from rules.events import Event, EventKind

D = date.fromisoformat
K = EventKind
DATE_FIELDS = ("due", "end", "served")


def ev(kind: EventKind, on: str, **kw: Any) -> Event:
    """One event; date fields (`due`, `end`, `served`) given as ISO strings."""
    for name in DATE_FIELDS:
        if isinstance(kw.get(name), str):
            kw[name] = D(kw[name])
    return Event(kind, D(on), **kw)


def rec(on: str) -> Event:
    return ev(K.RECEIVED, on)


def run(calendar: WorkingCalendar, *events: Event, policy: Policy | None = None) -> Deadlines:
    return compute(list(events), calendar, policy)


# The base case of many tests: received Mon 2026-03-02, due Mon 2026-03-30 (rulebook §2):
# 3/3–6, 3/9–13, 3/16–20, 3/23–27 are days 1–19; Mon 3/30 is day 20.
BASE = rec("2026-03-02")
