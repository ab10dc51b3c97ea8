"""A cooperating department's internal due date (协办, rulebook §6.5 #internal-cooperation).

**Practice**, in one place: a department asked to help the lead department answers `lead_days`
working days before the case's internal target (`[office] cooperation_lead_days`), so the
lead has that time left to put the reply together; never before the day the period started
(the legal receipt date), and the internal target itself when `lead_days` is 0. Pure: a date
in, a date out, on the working-day calendar.
"""

from __future__ import annotations

from datetime import date

from rules.calendar import WorkingCalendar


def cooperation_due(
    calendar: WorkingCalendar, internal_target: date, lead_days: int, start: date | None = None
) -> date:
    """The cooperating departments' due date: `lead_days` working days before the target.

    Example: target Fri 2026-11-27, 3 days → Tue 2026-11-24 (day 1 is Thu 11-26).
    """
    if lead_days < 0:
        raise ValueError("lead_days must be >= 0")
    due = internal_target
    if lead_days:
        due = calendar.subtract_working_days(internal_target, lead_days)
    if start is not None and due < start:
        return start
    return due
