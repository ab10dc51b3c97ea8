"""The names the engine's results use: clocks, states, flags, and the office's policy."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rules import periods


class Clock(StrEnum):
    """The clocks an application can run; values are stable keys (config, reminders)."""

    REPLY = "reply_due"  # Reg. Art. 33
    INTERNAL_TARGET = "internal_target"  # office practice, rulebook §10
    CORRECTION_NOTICE = "correction_notice_due"  # Reg. Art. 30
    CORRECTION_DEADLINE = "correction_deadline"  # applicant's period, office setting
    CONSULTATION = "consultation_due"  # Reg. Arts. 32, 34
    FEE_PAYMENT = "fee_payment_due"  # Fees art. 7


class ClockStatus(StrEnum):
    """Where one clock stands (rulebook §11: a clock is never shown with a guessed date)."""

    RUNNING = "running"  # started, the step that ends it not yet taken
    NOT_STARTED = "not_started"  # runs from a served date that is not recorded yet
    FINISHED = "finished"  # the step that ends it was taken (answer, payment, reply, …)


class State(StrEnum):
    """An application's state on a day; precedence in `Deadlines.state` (rulebook §11)."""

    RUNNING = "running"
    PAUSED = "paused"
    AWAITING_CORRECTION = "awaiting_correction"
    OVERDUE = "overdue"
    CLOSED_ON_TIME = "closed_on_time"
    CLOSED_LATE = "closed_late"


class FlagKind(StrEnum):
    """Late or irregular steps the law does not forbid outright: flagged, never silent."""

    # Rulebook §11: a correction notice after the 7th working day (Reg. Art. 30).
    CORRECTION_NOTICE_LATE = "correction_notice_late"
    # Rulebook §11.3a: a correction notice after the reply date itself: the date stays, and
    # the case overdue (the corrected application does not start a fresh period).
    CORRECTION_NOTICE_AFTER_DUE = "correction_notice_after_due"
    # Reg. Art. 30: the corrected application arrived after the applicant's period.
    CORRECTION_LATE = "correction_late"
    # A consultation letter, or a fee notice, sent after the reply due date (the pause it
    # starts does not move that date: rulebook §11, overdue wins).
    CONSULTATION_AFTER_DUE = "consultation_after_due"
    FEE_NOTICE_AFTER_DUE = "fee_notice_after_due"
    # Reg. Art. 33 ¶2 allows an extension up to the due date itself; flagged for review.
    EXTENSION_ON_DUE_DATE = "extension_on_due_date"
    # Rulebook §11: a payment after its period that the office recorded it accepts.
    LATE_PAYMENT_ACCEPTED = "late_payment_accepted"
    # A step checked when recorded that a calendar loaded since no longer supports
    # (`Event.trusted`): kept, and flagged for the office to review.
    EXTENSION_AFTER_DUE = "extension_after_due"
    DEFERRAL_OUT_OF_TIME = "deferral_out_of_time"
    PAYMENT_AFTER_PERIOD = "payment_after_period"
    ABANDONED_BEFORE_LAPSE = "abandoned_before_lapse"
    # Rulebook §11.4a: a reply while the fee notice's amount is unpaid (allowed: the office
    # may have decided not to charge after all; flagged, since the notice still asks for it).
    REPLIED_WITH_FEE_UNPAID = "replied_with_fee_unpaid"


@dataclass(frozen=True)
class Policy:
    """The office's own settings that the engine needs (all from config.toml)."""

    correction_period: int = periods.DEFAULT_CORRECTION_PERIOD  # rulebook §5
    fee_pauses_clock: bool = True  # rulebook §7, one named setting, default on
    target_days_before_due: int | None = None  # internal target: N working days before due
    target_within_days: int | None = None  # internal target: within N working days of receipt
