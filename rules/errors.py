"""The named errors of the rules engine.

Every error carries `field`, the domain name of the input it is about, so that each edge (the
CLI, the web forms, the ledger) can point at the offending input through its own map. For an
event, `field` is the `rules.events.Event` attribute at fault — `on` (the step's date),
`days`, `due`, `end`, `served`, `party`, `note`, `reason` — and `step` names the event's
kind. Messages are Chinese only (user-facing).
"""

from __future__ import annotations

from rules.events import EventKind

# The `field` of an error about a step as a whole (it cannot be taken again), not one value.
WHOLE_STEP = "step"


class RulesError(ValueError):
    """Base class: an input the rules cannot accept."""

    def __init__(self, message: str, *, field: str = "", step: EventKind | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.step = step

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class CalendarRangeError(RulesError):
    """A date before the first year of data or beyond the provisional horizon."""


class CalendarDataError(RulesError):
    """A schedule file that is malformed or contradicts itself."""


class SequenceError(RulesError):
    """An impossible sequence of events (base class)."""


class EventBeforeReceiptError(SequenceError):
    """An event dated before the legal receipt date."""


class EventAfterClosingError(SequenceError):
    """An event after the reply, withdrawal or abandonment."""


class MissingReceiptError(SequenceError):
    """The event list has no receipt, or more than one."""


class CorrectionOrderError(SequenceError):
    """A correction received before one was requested, or requested twice (Reg. Art. 30)."""


class PauseOrderError(SequenceError):
    """A pause that ends before it starts (an answer before the letter, payment before notice)."""


class ExtensionError(SequenceError):
    """An extension over 20 working days, after the due date, or a second one (Reg. Art. 33)."""


class DeferralError(SequenceError):
    """An Art. 35 deadline not later than the statutory one, or decided after it expired."""


class ServedDateError(SequenceError):
    """A served date before the letter was sent, or after the addressee already answered."""


class LatePaymentError(SequenceError):
    """A fee paid after its period without the office accepting it (rulebook §11)."""


class AbandonmentError(SequenceError):
    """Deemed abandonment without a lapsed correction or payment period (Reg. Art. 30, Fees)."""


class ReceiptDateError(RulesError):
    """A legal receipt date that does not fit the channel (Reg. Art. 31)."""


class FeeInputError(RulesError):
    """A fee question that has no answer (zero pages, both scales, …)."""
