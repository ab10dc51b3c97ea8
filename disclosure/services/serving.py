"""Service (送达) of issued letters: records as events, and the dates they establish.

A service record is a LETTER_SERVED event whose `data` holds the letter's whole service state:
`letter_id`, `reference`, `step_event_id` (the step the letter announces: `letter.event_id`),
`method`, `tracking`, `on` (handed over / posted / sent), `signed` (signed for, or reached the
addressee's system), `proof_document_id`, and `supersedes` (the record it replaces) with
`reason` ("signed": the signing came back later; "correction"). Records are never rewritten:
the current state of a letter's service is its latest record.

When a letter counts as given or received (rulebook §4 last bullet, §11 "Served dates"):

- *given* (the reply's date, 国办公开办函〔2016〕235号): direct service on the day signed for;
  by post on the day handed to the post (交邮); electronic on the day it reached the
  addressee's system;
- *received* by the addressee (periods that run from receipt: the applicant's correction
  period, the fee payment period, a third party's 15 working days): direct on the day signed
  for; by post on the day signed for per the postal record (unknown until recorded: the clock
  has not started); electronic on the day it reached the addressee's system.

For electronic service the day it was sent counts as the day it reached the system unless a
later day is recorded with `signed` (民事诉讼法第九十条: 到达受送达人特定系统的日期).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from disclosure.vocabulary import EventKind, ServiceMethod

SERVED = EventKind.LETTER_SERVED.value


class Logged(Protocol):
    """What the service records are read from: an `EventRecord`, or a plain row of one."""

    @property
    def id(self) -> int | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def data(self) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class ServiceState:
    """The current service record of one letter (its latest LETTER_SERVED event)."""

    event_id: int
    letter_id: int
    reference: str
    step_event_id: int | None
    method: ServiceMethod
    on: date  # handed over / posted / sent
    signed: date | None  # signed for / reached the addressee's system
    tracking: str
    proof_document_id: int | None

    @property
    def received(self) -> date | None:
        """The day the letter reached its addressee; None while a posted letter's signing is
        not recorded (the period has not started)."""
        if self.method.by_post:
            return self.signed
        return self.signed or self.on

    @property
    def given(self) -> date | None:
        """The day the letter counts as given (the reply: 国办公开办函〔2016〕235号)."""
        if self.method.by_post:
            return self.on
        return self.received

    def as_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "letter_id": self.letter_id,
            "reference": self.reference,
            "method": self.method.value,
            "method_label": self.method.label,
            "on": self.on.isoformat(),
            "signed": self.signed.isoformat() if self.signed else None,
            "tracking": self.tracking,
            "proof_document_id": self.proof_document_id,
            "received": self.received.isoformat() if self.received else None,
            "given": self.given.isoformat() if self.given else None,
        }


def _state(rec: Logged) -> ServiceState:
    d = rec.data or {}
    signed = d.get("signed")
    return ServiceState(
        event_id=rec.id,  # type: ignore[arg-type]
        letter_id=int(d["letter_id"]),
        reference=str(d.get("reference", "")),
        step_event_id=d.get("step_event_id"),
        method=ServiceMethod(d["method"]),
        on=date.fromisoformat(d["on"]),
        signed=date.fromisoformat(signed) if signed else None,
        tracking=str(d.get("tracking") or ""),
        proof_document_id=d.get("proof_document_id"),
    )


def service_states(records: Iterable[Logged]) -> dict[int, ServiceState]:
    """letter id → its current service state, from an application's event log."""
    latest: dict[int, Logged] = {}
    for rec in records:
        if rec.kind != SERVED or not rec.data or "letter_id" not in rec.data:
            continue
        key = int(rec.data["letter_id"])
        prev = latest.get(key)
        if prev is None or (rec.id or 0) > (prev.id or 0):
            latest[key] = rec
    return {k: _state(r) for k, r in latest.items()}


def step_dates(
    states: dict[int, ServiceState], day: Callable[[ServiceState], date | None]
) -> dict[int, date]:
    """step event id → the earliest `day` of the letters announcing that step."""
    out: dict[int, date] = {}
    for state in states.values():
        d = day(state)
        if state.step_event_id is not None and d is not None:
            prev = out.get(state.step_event_id)
            out[state.step_event_id] = d if prev is None else min(prev, d)
    return out


def given_on(state: ServiceState) -> date | None:
    return state.given


def received_on(state: ServiceState) -> date | None:
    return state.received


def served_dates(records: Iterable[Logged]) -> dict[int, date]:
    """step event id → the day the letter announcing that step reached its addressee.

    `records` is one application's event log (e.g. `services.deadlines.events_of`). Steps
    whose letter is unserved, or posted but not yet signed for, are absent: the periods that
    run from the addressee's receipt have not started (rulebook §11 "Served dates").
    """
    return step_dates(service_states(records), received_on)
