"""The per-transaction view of the office: settings plus the calendar in force."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from disclosure.calendar_source import make_calendar
from disclosure.models import CalendarNotice
from disclosure.policy import engine_policy
from disclosure.settings import Settings
from rules.calendar import WorkingCalendar
from rules.engine import Policy
from rules.schedule import Notice, parse_notices


@dataclass(frozen=True)
class Office:
    settings: Settings
    calendar: WorkingCalendar

    def policy(self, case_type: str | None = None) -> Policy:
        return engine_policy(self.settings, case_type or None)


def stored_notices(session: Session) -> list[Notice]:
    rows = session.exec(select(CalendarNotice).order_by(CalendarNotice.id)).all()
    out: list[Notice] = []
    for row in rows:
        out.extend(parse_notices(row.source_text, where=f"calendar_notice[{row.id}]"))
    return out


def load_office(session: Session, settings: Settings) -> Office:
    return Office(settings, make_calendar(settings, stored_notices(session)))
