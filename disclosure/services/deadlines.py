"""The one place where stored deadlines are recomputed from the event log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlmodel import Session, select

from disclosure.errors import Conflict, InvalidInput
from disclosure.models import Application, EventRecord
from disclosure.services.office import Office
from rules.engine import Deadlines, compute
from rules.errors import (
    EventAfterClosingError,
    EventBeforeReceiptError,
    RulesError,
    SequenceError,
)
from rules.events import AbandonReason, Event, EventKind

ENGINE_KINDS = {k.value for k in EventKind}

# The engine names its inputs after the event; the command line names its options. An error
# is reported with the option the user typed (the message itself stays the engine's).
OPTION_FOR_FIELD = {
    "received": "--received",
    "extend": "--days",
    "extension": "--date",
    "deferred_due": "--due",
    "correction_requested": "--date",
    "correction_received": "--date",
    "consultation_answered": "--date",
    "fee_notice": "--date",
    "fee_paid": "--date",
    "pause": "--date",
    "date": "--date",
    # The engine's fields are `rules.events.Event` attributes (see rules/errors.py).
    "on": "--date",
    "days": "--days",
    "due": "--due",
    "end": "--end",
    "served": "--served",
    "party": "--party",
    "note": "--note",
    "reason": "--reason",
}

# Outcome codes of deemed abandonment → the engine's reason (annual report 三(六)1, 2).
ABANDON_REASONS = {"6.1": AbandonReason.CORRECTION, "6.2": AbandonReason.FEE}
# Letters whose addressee's period runs from service (rulebook §11).
SERVED_KINDS = {
    EventKind.CORRECTION_REQUESTED.value,
    EventKind.CONSULTATION_SENT.value,
    EventKind.FEE_NOTICE_SENT.value,
}


def served_on(rec: EventRecord) -> date | None:
    """The day the letter of `rec` reached its addressee (rulebook §11).

    Bridge until the case file records service: a letter without a recorded served date
    (`data["served_on"]`) counts as served the day it was sent, as this product counted
    before the engine knew served dates. Remove the fallback once service is recorded.
    """
    if rec.kind not in SERVED_KINDS:
        return None
    raw = (rec.data or {}).get("served_on")
    return date.fromisoformat(raw) if raw else rec.on


def option_for(exc: RulesError) -> str:
    """The command-line option an engine error is about."""
    if isinstance(exc, EventBeforeReceiptError | EventAfterClosingError):
        return "--date"
    return OPTION_FOR_FIELD.get(exc.field, exc.field or "--date")


def to_rule_event(rec: EventRecord, *, trusted: bool = True) -> Event | None:
    """The engine's event for a logged record; logged records were checked when recorded."""
    if rec.kind not in ENGINE_KINDS:
        return None
    return Event(
        kind=EventKind(rec.kind),
        on=rec.on,
        days=rec.days,
        due=rec.due_on,
        end=rec.end_on,
        party=rec.party,
        approver=rec.approver,
        note=rec.note,
        trusted=trusted,
        served=served_on(rec),
        reason=ABANDON_REASONS.get(rec.outcome or "")
        if rec.kind == EventKind.ABANDONED.value
        else None,
    )


def events_of(session: Session, app: Application) -> list[EventRecord]:
    stmt = select(EventRecord).where(EventRecord.application_id == app.id)
    return list(session.exec(stmt.order_by(EventRecord.on, EventRecord.id)).all())


def compute_events(case_type: str, events: Iterable[Event], office: Office) -> Deadlines | None:
    """The engine's view of a list of rule events; None while there is no receipt yet."""
    evs = list(events)
    if not any(e.kind is EventKind.RECEIVED for e in evs):
        return None
    try:
        return compute(evs, office.calendar, office.policy(case_type))
    except EventAfterClosingError as exc:
        raise Conflict(exc.message, field=option_for(exc)) from exc
    except SequenceError as exc:
        raise InvalidInput(exc.message, field=option_for(exc)) from exc
    except RulesError as exc:
        raise InvalidInput(exc.message, field=option_for(exc)) from exc


def compute_for(
    app: Application,
    records: list[EventRecord],
    office: Office,
    *,
    new_event_id: int | None = None,
) -> Deadlines | None:
    """The engine's view of `app`; None while the arrival is unconfirmed (no receipt yet).

    `new_event_id` names the record being added now: only it is checked against
    calendar-dependent rules (see `rules.events.Event.trusted`).
    """
    events = (
        e
        for e in (to_rule_event(r, trusted=r.id != new_event_id) for r in records)
        if e is not None
    )
    return compute_events(app.case_type, events, office)


def columns(d: Deadlines | None) -> dict[str, Any]:
    """The stored-deadline columns of an application for the computed `d`."""
    if d is None:
        return {
            "reply_due": None,
            "next_action_due": None,
            "internal_target": None,
            "correction_notice_due": None,
            "provisional": False,
            "paused_from": None,
            "paused_until": None,
            "awaiting_correction": False,
        }
    last = d.last_pause
    return {
        "reply_due": d.reply_due,
        "next_action_due": d.next_action_due(),
        "internal_target": d.internal_target,
        "correction_notice_due": d.correction_notice_due,
        "provisional": d.provisional,
        "paused_from": last[0] if last else None,
        "paused_until": last[1] if last else None,
        "awaiting_correction": d.awaiting_correction,
        "closed_on": d.closed_on,
        "closed_on_time": d.closed_on_time,
        "is_open": not d.closed,
    }


def store(app: Application, d: Deadlines | None) -> None:
    """Copy the computed dates into the application's columns."""
    for name, value in columns(d).items():
        if getattr(app, name) != value:
            setattr(app, name, value)


def recompute(
    session: Session, app: Application, office: Office, *, new_event_id: int | None = None
) -> Deadlines | None:
    """Recompute and store `app`'s deadlines from its whole event log."""
    d = compute_for(app, events_of(session, app), office, new_event_id=new_event_id)
    store(app, d)
    session.add(app)
    return d
