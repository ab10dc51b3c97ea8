"""The hand-off read from an application's log: who handles it, whether the lead department
signed for it (签收) or sent it back (退回), and each cooperating department's due date and
answer (协办, rulebook §6.5).

The log is the record (`handoff_steps` appends to it); `application.handler_id` only mirrors
the handler for the list filters. The current hand-off starts at the latest assignment
(分办), or at registration when the registration named the lead department.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from disclosure.models import Application, Department, EventRecord, User
from disclosure.services.deadlines import events_of
from disclosure.services.office import Office
from disclosure.vocabulary import EventKind
from rules.cooperation import cooperation_due


@dataclass(frozen=True)
class HandOff:
    """The current hand-off: the assignment in force and the department's answer to it."""

    assigned: EventRecord | None  # None: the lead department came with the registration
    handler: str  # username ("" none named)
    handler_name: str
    accepted: EventRecord | None
    returned: EventRecord | None

    @property
    def status(self) -> str:
        if self.accepted is not None:
            return "accepted"
        if self.returned is not None:
            return "returned"
        return "pending"

    @property
    def status_label(self) -> str:
        return {"accepted": "已签收", "returned": "已退回", "pending": "待签收"}[self.status]


def handoff(records: Sequence[EventRecord]) -> HandOff:
    """The hand-off in force in `records` (the application's log in order)."""
    assigned: EventRecord | None = None
    answer: EventRecord | None = None
    for r in records:
        if r.kind == EventKind.ASSIGNED.value:
            assigned, answer = r, None
        elif r.kind in (EventKind.ACCEPTED.value, EventKind.RETURNED.value) and answer is None:
            answer = r
    data = (assigned.data or {}) if assigned is not None else {}
    kind = answer.kind if answer is not None else ""
    return HandOff(
        assigned=assigned,
        handler=str(data.get("handler") or ""),
        handler_name=str(data.get("handler_name") or data.get("handler") or ""),
        accepted=answer if kind == EventKind.ACCEPTED.value else None,
        returned=answer if kind == EventKind.RETURNED.value else None,
    )


@dataclass(frozen=True)
class Cooperation:
    """One cooperating department of a case: its internal due date and its answer."""

    code: str
    due: date | None  # None: no internal target yet (receipt not confirmed)
    answered_on: date | None


def cooperation_dues(
    app: Application, records: Sequence[EventRecord], office: Office
) -> list[Cooperation]:
    """Each cooperating department of `app` with its due date (rules.cooperation)."""
    answered: dict[str, date] = {}
    for r in records:
        if r.kind == EventKind.COOPERATION_ANSWERED.value and r.party:
            answered.setdefault(r.party, r.on)
    due = None
    if app.internal_target is not None:
        lead = office.settings.office.cooperation_lead_days
        due = cooperation_due(office.calendar, app.internal_target, lead, app.received_on)
    return [Cooperation(code, due, answered.get(code)) for code in app.cooperating or []]


def handoff_view(
    app: Application,
    records: Sequence[EventRecord],
    office: Office,
    handler_name: str = "",
) -> dict[str, Any]:
    """What `show` and the application page add: the handler, the hand-off, the 协办 dues."""
    h = handoff(records)
    answer = h.accepted or h.returned
    return {
        "handler": h.handler,
        "handler_name": handler_name or h.handler_name,
        "handoff": {
            "status": h.status if app.lead_department_id is not None else "",
            "status_label": h.status_label if app.lead_department_id is not None else "",
            "by": (answer.data or {}).get("by_name", answer.approver) if answer else "",
            "at": answer.recorded_at.isoformat() if answer else "",
            "on": answer.on.isoformat() if answer else "",
            "reason": h.returned.note if h.returned else "",
        },
        "cooperation": [
            {
                "department": c.code,
                "due": c.due.isoformat() if c.due else None,
                "answered_on": c.answered_on.isoformat() if c.answered_on else None,
            }
            for c in cooperation_dues(app, records, office)
        ],
    }


def handler_name(session: Session, app: Application) -> str:
    """The display name of the application's handler ("" none)."""
    user = session.get(User, app.handler_id) if app.handler_id is not None else None
    return (user.display_name or user.username) if user else ""


def handoff_detail(session: Session, app: Application, office: Office) -> dict[str, Any]:
    """`handoff_view` read from the database, with the departments' names."""
    out = handoff_view(app, events_of(session, app), office, handler_name(session, app))
    if not app.handler_id:
        out["handler"] = out["handler_name"] = ""  # sent back, or assigned without one
    names = {d.code: d.name for d in session.exec(select(Department))}
    for c in out["cooperation"]:
        c["department_name"] = names.get(c["department"], c["department"])
    return out
