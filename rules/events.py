"""The events an application goes through, as the engine sees them (dates only)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import NamedTuple


class Channel(StrEnum):
    """How the application arrived (Reg. Art. 31, rulebook §3)."""

    IN_PERSON = "in_person"  # 当面提交 (oral applications recorded by the office likewise)
    POST_SIGNED = "post_signed"  # 挂号/快递: the day the office signs for it
    POST_UNSIGNED = "post_unsigned"  # 平信: the day the office confirms, = the day it arrives
    ONLINE = "online"  # online platform, e-mail: the day both sides confirm
    FAX = "fax"  # the day both sides confirm


class EventKind(StrEnum):
    RECEIVED = "received"  # the legal receipt date (Reg. Art. 31)
    CORRECTION_REQUESTED = "correction_requested"  # Reg. Art. 30; `served` starts the period
    CORRECTION_RECEIVED = "correction_received"  # the corrected application (Reg. Art. 30)
    EXTENSION_GRANTED = "extension_granted"  # Reg. Art. 33 ¶2
    CONSULTATION_SENT = "consultation_sent"  # Reg. Arts. 32, 34; `served` starts the 15 days
    CONSULTATION_ANSWERED = "consultation_answered"
    FEE_NOTICE_SENT = "fee_notice_sent"  # Fees art. 7; `served` starts the 20 days
    LATE_PAYMENT_ACCEPTED = (
        "late_payment_accepted"  # rulebook §11: the office accepts, reason in `note`
    )
    FEE_PAID = "fee_paid"
    DEFERRED = "deferred"  # Reg. Art. 35: a reasonable later deadline replaces the statutory one
    PAUSE = "pause"  # a manual pause with explicit start and end (calculator)
    REPLIED = "replied"
    WITHDRAWN = "withdrawn"
    ABANDONED = "abandoned"  # deemed abandoned (视为放弃申请); `reason` says which period lapsed


CLOSING_KINDS = frozenset({EventKind.REPLIED, EventKind.WITHDRAWN, EventKind.ABANDONED})


class ConsultationParty(StrEnum):
    THIRD_PARTY = "third_party"  # Reg. Art. 32: silence is not consent
    AGENCY = "agency"  # Reg. Art. 34: silence is consent


class AbandonReason(StrEnum):
    """Why an application is deemed abandoned (annual report 三(六)1 and 三(六)2)."""

    CORRECTION = "correction"  # Reg. Art. 30: no correction within the period
    FEE = "fee"  # Fees art. 7: not paid within the payment period


class Event(NamedTuple):
    """One dated step, immutable. Only the fields that matter for `kind` are read.

    A named tuple rather than a frozen dataclass: the service builds one per logged record
    for every recompute (a calendar load recomputes a whole year's cases), and a named tuple
    is built about four times faster.

    - CORRECTION_REQUESTED, CONSULTATION_SENT, FEE_NOTICE_SENT: `served`, the day the letter
      reached its addressee (rulebook §11); the addressee's period runs from it, and until it
      is known that period has not started.
    - EXTENSION_GRANTED: `days` (1–20), `approver`
    - CONSULTATION_SENT / _ANSWERED: `party` pairs an answer with its letter (optional)
    - DEFERRED: `due` (the Art. 35 deadline)
    - LATE_PAYMENT_ACCEPTED: `note`, the office's reason (required)
    - PAUSE: `end` (the last paused day)
    - ABANDONED: `reason` (`AbandonReason`)
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
    # (an extension on or before the due date, a payment within its period, …) are not
    # repeated when a new calendar moves dates, so loading next year's notice never
    # invalidates history; a step that no longer fits is flagged instead.
    trusted: bool = False
    served: date | None = None
    reason: AbandonReason | None = None
