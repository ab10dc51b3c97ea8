"""The deadline engine: an application's events in, every clock out (rulebook §§2–7, 11).

`compute(events, calendar, policy)` is pure. It checks every step against the rules (raising a
named `rules.errors.SequenceError` for what the law forbids) and returns a `Deadlines`
record: the reply date at once, every other date, count, pause, flag and explanation on
demand. What depends on the day (`state`, `overdue`, `working_days_left`) takes `today`.
"""

from __future__ import annotations

from collections.abc import Iterable

from rules.calendar import WorkingCalendar
from rules.clocks import Clock, ClockStatus, FlagKind, Policy, State
from rules.deadlines import Deadlines
from rules.events import Event
from rules.facts import Count, Deferral, Extension, Flag
from rules.walk import walk

__all__ = [
    "Clock",
    "ClockStatus",
    "Count",
    "Deadlines",
    "Deferral",
    "Extension",
    "Flag",
    "FlagKind",
    "Policy",
    "State",
    "compute",
]

_DEFAULT = Policy()


def compute(
    events: Iterable[Event], calendar: WorkingCalendar, policy: Policy | None = None
) -> Deadlines:
    """Compute every clock from `events`. Raises a `SequenceError` for impossible sequences.

    `events` may come in any order (same-day events keep the given order); they are not
    changed.
    """
    return walk(events, calendar, policy or _DEFAULT, Deadlines)
