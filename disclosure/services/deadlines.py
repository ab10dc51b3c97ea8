"""The one place where stored deadlines are recomputed from the event log."""

from __future__ import annotations

from sqlmodel import Session, select

from disclosure.errors import Conflict, InvalidInput
from disclosure.models import Application, EventRecord
from disclosure.services.office import Office
from rules.engine import Deadlines, compute
from rules.errors import EventAfterClosingError, RulesError, SequenceError
from rules.events import Event, EventKind

ENGINE_KINDS = {k.value for k in EventKind}


def to_rule_event(rec: EventRecord) -> Event | None:
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
    )


def events_of(session: Session, app: Application) -> list[EventRecord]:
    stmt = select(EventRecord).where(EventRecord.application_id == app.id)
    return list(session.exec(stmt.order_by(EventRecord.on, EventRecord.id)).all())


def compute_for(app: Application, records: list[EventRecord], office: Office) -> Deadlines | None:
    """The engine's view of `app`; None while the arrival is unconfirmed (no receipt yet)."""
    events = [e for e in (to_rule_event(r) for r in records) if e is not None]
    if not any(e.kind is EventKind.RECEIVED for e in events):
        return None
    try:
        return compute(events, office.calendar, office.policy(app.case_type))
    except EventAfterClosingError as exc:
        raise Conflict(exc.message, field=exc.field) from exc
    except SequenceError as exc:
        raise InvalidInput(exc.message, field=exc.field) from exc
    except RulesError as exc:
        raise InvalidInput(exc.message, field=exc.field or "date") from exc


def store(app: Application, d: Deadlines | None) -> None:
    """Copy the computed dates into the application's columns."""
    if d is None:
        app.reply_due = app.next_action_due = app.internal_target = None
        app.correction_notice_due = None
        app.provisional = False
        app.paused_from = app.paused_until = None
        app.awaiting_correction = False
        return
    app.reply_due = d.reply_due
    app.next_action_due = d.next_action_due()
    app.internal_target = d.internal_target
    app.correction_notice_due = d.correction_notice_due
    app.provisional = d.provisional
    last = d.pauses[-1] if d.pauses else None
    app.paused_from, app.paused_until = (last.start, last.end) if last else (None, None)
    app.awaiting_correction = d.awaiting_correction
    app.closed_on = d.closed_on
    app.closed_on_time = d.closed_on_time
    app.is_open = not d.closed


def recompute(session: Session, app: Application, office: Office) -> Deadlines | None:
    """Recompute and store `app`'s deadlines from its whole event log."""
    d = compute_for(app, events_of(session, app), office)
    store(app, d)
    session.add(app)
    return d
