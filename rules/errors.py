"""The named errors of the rules engine.

Every error carries `field` (the input it is about) so that the CLI and the web layer can
point at the offending input. Messages are Chinese (user-facing) with the field name.
"""

from __future__ import annotations


class RulesError(ValueError):
    """Base class: an input the rules cannot accept."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field

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
    """A pause that ends before it starts (a reply before the letter, payment before notice)."""


class ExtensionError(SequenceError):
    """An extension over 20 working days, after the due date, or a second one (Reg. Art. 33)."""


class ReceiptDateError(RulesError):
    """A legal receipt date that does not fit the channel (Reg. Art. 31)."""


class FeeInputError(RulesError):
    """A fee question that has no answer (zero pages, both scales, …)."""
