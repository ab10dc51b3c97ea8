"""The events an application goes through, as the engine sees them (dates only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Channel(StrEnum):
    """How the application arrived (Reg. Art. 31, domain.md §3)."""

    IN_PERSON = "in_person"  # 当面提交 (oral applications recorded by the office likewise)
    POST_SIGNED = "post_signed"  # 挂号/快递: the day the office signs for it
    POST_UNSIGNED = "post_unsigned"  # 平信: the day the office confirms, = the day it arrives
    ONLINE = "online"  # online platform, e-mail: the day both sides confirm
    FAX = "fax"  # the day both sides confirm


class EventKind(StrEnum):
    RECEIVED = "received"
    CORRECTION_REQUESTED = "correction_requested"
    CORRECTION_RECEIVED = "correction_received"
    EXTENSION_GRANTED = "extension_granted"
    CONSULTATION_SENT = "consultation_sent"
    CONSULTATION_ANSWERED = "consultation_answered"
    FEE_NOTICE_SENT = "fee_notice_sent"
    FEE_PAID = "fee_paid"
    DEFERRED = "deferred"  # Reg. Art. 35: a reasonable later deadline replaces the statutory one
    PAUSE = "pause"  # a manual pause with explicit start and end (calculator)
    REPLIED = "replied"
    WITHDRAWN = "withdrawn"
    ABANDONED = "abandoned"


CLOSING_KINDS = frozenset({EventKind.REPLIED, EventKind.WITHDRAWN, EventKind.ABANDONED})


class ConsultationParty(StrEnum):
    THIRD_PARTY = "third_party"  # Reg. Art. 32: silence is not consent
    AGENCY = "agency"  # Reg. Art. 34: silence is consent


@dataclass(frozen=True)
class Event:
    """One dated step. Only the fields that matter for `kind` are read.

    - EXTENSION_GRANTED: `days` (1–20), `approver`
    - CONSULTATION_SENT / _ANSWERED: `party` pairs a reply with its letter (optional)
    - DEFERRED: `due` (the Art. 35 deadline)
    - PAUSE: `end` (the last paused day)
    """

    kind: EventKind
    on: date
    days: int | None = None
    due: date | None = None
    end: date | None = None
    party: str | None = None
    approver: str | None = None
    note: str = ""
    # True for an event recorded earlier and checked then: checks that depend on the calendar
    # (an extension on or before the due date) are not repeated when a new calendar moves
    # dates, so loading next year's notice never invalidates history.
    trusted: bool = False
