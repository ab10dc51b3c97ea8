"""The one place where stored deadlines are recomputed from the event log."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from disclosure.errors import Conflict, InvalidInput
from disclosure.models import Application, EventRecord
from disclosure.services.office import Office
from disclosure.services.serving import given_on, received_on, service_states, step_dates
from disclosure.vocabulary import EventKind as LedgerKind
from rules.engine import Deadlines, compute
from rules.errors import EventAfterClosingError, RulesError
from rules.events import AbandonReason, Event, EventKind

ENGINE_KINDS = {k.value for k in EventKind}
# The office's correction of a registered receipt date (services.steps.receipt_steps).
RECEIPT_CORRECTED = LedgerKind.RECEIPT_CORRECTED.value

# Outcome codes of deemed abandonment → the engine's reason (annual report 三(六)1, 2).
ABANDON_REASONS = {"6.1": AbandonReason.CORRECTION, "6.2": AbandonReason.FEE}
# Letters whose addressee's period runs from service (rulebook §11).
# The decisions whose date is the day their letter counts as given (rulebook §11.1).
GIVEN_KINDS = {EventKind.REPLIED.value, EventKind.ABANDONED.value}
SERVED_KINDS = {
    EventKind.CORRECTION_REQUESTED.value,
    EventKind.CONSULTATION_SENT.value,
    EventKind.FEE_NOTICE_SENT.value,
}


def served_on(rec: EventRecord, recorded: dict[int, date]) -> date | None:
    """The day the letter of step `rec` reached its addressee (rulebook §11): the service
    of its letter (`services.serving.served_dates`), else a service date recorded with the
    step itself (`data["served_on"]`, e.g. a notice handed over in person).

    Without either, the letter has not reached its addressee as far as the register knows:
    the periods that run from receipt have not started (never a guessed date).
    """
    if rec.kind not in SERVED_KINDS:
        return None
    if rec.id is not None and rec.id in recorded:
        return recorded[rec.id]
    raw = (rec.data or {}).get("served_on")
    return date.fromisoformat(raw) if raw else None


def rule_events(records: Sequence[EventRecord]) -> list[Event]:
    """The engine's events of an event log, with the served dates its service records give.
    Logged records were checked when recorded (`trusted`: calendar-dependent checks are not
    repeated when a new calendar moves dates)."""
    states = service_states(records)  # read once for both dates
    recorded, given = step_dates(states, received_on), step_dates(states, given_on)
    out: list[Event] = []
    receipt = -1  # the receipt's place in `out`
    moved: tuple[int, date] | None = None  # the latest correction of the receipt date
    for rec in records:
        if rec.kind == RECEIPT_CORRECTED:
            day = corrected_receipt(rec)
            if day is not None and (moved is None or (rec.id or 0) > moved[0]):
                moved = (rec.id or 0, day)
            continue
        ev = to_rule_event(rec, served=served_on(rec, recorded))
        if ev is not None and ev.kind is EventKind.RECEIVED:
            receipt = len(out)
        if ev is not None and rec.id in given and rec.kind in GIVEN_KINDS:
            # A decision counts as given when its letter is (rulebook §11.1): posted, the day
            # handed to the post; direct, the day signed for — never before the step's date.
            ev = ev._replace(on=max(ev.on, given[rec.id]))
        if ev is not None:
            out.append(ev)
    if moved is not None and receipt >= 0:  # the receipt as corrected (rulebook §3.3)
        out[receipt] = out[receipt]._replace(on=moved[1])
    return out


def corrected_receipt(rec: EventRecord) -> date | None:
    """The receipt date a receipt correction moves the receipt to; None when it leaves the
    receipt date as it was (it corrects the channel or arrival only)."""
    new = ((rec.data or {}).get("changes") or {}).get("received", {}).get("new")
    return date.fromisoformat(new) if new else None


def to_rule_event(
    rec: EventRecord, *, trusted: bool = True, served: date | None = None
) -> Event | None:
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
        served=served,
        reason=ABANDON_REASONS.get(rec.outcome or "")
        if rec.kind == EventKind.ABANDONED.value
        else None,
    )


def events_of(session: Session, app: Application) -> list[EventRecord]:
    stmt = select(EventRecord).where(EventRecord.application_id == app.id)
    return list(session.exec(stmt.order_by(col(EventRecord.on), col(EventRecord.id))).all())


def compute_events(case_type: str, events: Iterable[Event], office: Office) -> Deadlines | None:
    """The engine's view of a list of rule events; None while there is no receipt yet.

    An engine error becomes `Conflict` (an event after closing) or `InvalidInput`, keeping
    the engine's field name; the step that caused it names its own field (`Step.field_for`).
    """
    evs = list(events)
    if not any(e.kind is EventKind.RECEIVED for e in evs):
        return None
    try:
        return compute(evs, office.calendar, office.policy(case_type))
    except EventAfterClosingError as exc:
        raise Conflict(exc.message, field=exc.field) from exc
    except RulesError as exc:
        raise InvalidInput(exc.message, field=exc.field) from exc


def compute_for(app: Application, records: list[EventRecord], office: Office) -> Deadlines | None:
    """The engine's view of `app` from its logged records (all checked when recorded); None
    while the arrival is unconfirmed (no receipt yet)."""
    return compute_events(app.case_type, rule_events(records), office)


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
            "flag_count": 0,
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
        "flag_count": len(d.flags),
    }


def store(app: Application, d: Deadlines | None) -> None:
    """Copy the computed dates into the application's columns."""
    for name, value in columns(d).items():
        if getattr(app, name) != value:
            setattr(app, name, value)


def recompute(session: Session, app: Application, office: Office) -> Deadlines | None:
    """Recompute and store `app`'s deadlines from its whole event log."""
    d = compute_for(app, events_of(session, app), office)
    store(app, d)
    session.add(app)
    return d
