"""Which reminders are due on a given day: a pure function of a due date, the policy,
the working-day calendar and `today` (no I/O, no clock).

Thresholds (keys are stable: they are part of the outbox's unique key):
- ``ahead:N``  — N working days left (N from `[notifier] days_ahead`, default 5, 3, 1; for the
  correction-notice clock from `correction_notice_days_ahead` instead, default 1);
- ``due``      — the due day itself (0 working days left), when `on_due_day`;
- ``overdue:<today>`` — each working day while overdue, when `daily_when_overdue`
  (keyed by the day, so a calendar change on the same day never sends it twice);
- ``escalate`` — once, to the leaders, when at least `escalate_after` working days overdue.

Days left follow `WorkingCalendar.working_days_left`: working days after `today` up to and
including `due` (today Fri 2026-03-27, due Mon 03-30 → 1), negative when overdue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from disclosure.settings import NotifierSettings, escalates
from disclosure.vocabulary import Clock
from rules.calendar import Pause, WorkingCalendar

UNCONFIRMED_ARRIVAL = "unconfirmed_arrival"  # not an engine clock: due at the end of arrival day
CALENDAR_COVERAGE = "calendar_coverage"  # office-wide: next year's holiday notice is missing
ESCALATE = "escalate"
CORRECTION_NOTICE = "correction_notice_due"
# The correction-notice date is the last day a correction may be asked for (Reg. Art. 30);
# it warns ahead and on the day only: a later notice is still allowed and flagged when it is
# recorded (rulebook §11.3), and an overdue warning would then follow, every working day, each
# case that needs no correction at all (rulebook §10.3).
NEVER_OVERDUE = frozenset({CORRECTION_NOTICE})

CLOCK_LABELS = {
    "reply_due": "答复期限",
    "internal_target": "内部办理时限",
    "correction_notice_due": "补正告知期限",
    "correction_deadline": "申请人补正期限",
    "consultation_due": "征求意见答复期限",
    "fee_payment_due": "缴费期限",
    UNCONFIRMED_ARRIVAL: "送达后尚未确认收到",
    CALENDAR_COVERAGE: "节假日安排即将用完",
    Clock.TASK_DUE.value: Clock.TASK_DUE.label,
    Clock.TASK_PROGRESS.value: Clock.TASK_PROGRESS.label,
}


@dataclass(frozen=True)
class Thresholds:
    days_ahead: tuple[int, ...] = (5, 3, 1)
    on_due_day: bool = True
    daily_when_overdue: bool = True
    escalate_after: int = 3  # 0 or less: never escalate
    # The correction-notice clock runs for every new case, but most cases never need a
    # correction: it warns only in its last days (rulebook §10.3), not `days_ahead`.
    correction_notice_ahead: tuple[int, ...] = (1,)

    @classmethod
    def from_settings(cls, s: NotifierSettings) -> Thresholds:
        return cls(
            days_ahead=_positive(s.days_ahead),
            on_due_day=s.on_due_day,
            correction_notice_ahead=_positive(s.correction_notice_days_ahead),
            daily_when_overdue=s.daily_when_overdue,
            escalate_after=s.escalate_after,
        )

    @property
    def horizon(self) -> int:
        """How many working days ahead anything can fire."""
        return max((*self.days_ahead, *self.correction_notice_ahead), default=0)

    def ahead(self, clock: str) -> tuple[int, ...]:
        """The working days ahead at which `clock` warns."""
        return self.correction_notice_ahead if clock == CORRECTION_NOTICE else self.days_ahead


def _positive(days: Iterable[int]) -> tuple[int, ...]:
    return tuple(sorted({d for d in days if d > 0}, reverse=True))


@dataclass(frozen=True)
class Hit:
    clock: str
    due: date
    threshold: str
    days_left: int  # negative: working days overdue

    @property
    def escalation(self) -> bool:
        return self.threshold == ESCALATE


def hits(
    clock: str,
    due: date,
    today: date,
    calendar: WorkingCalendar,
    th: Thresholds,
    pauses: Iterable[Pause] = (),
) -> list[Hit]:
    """The reminders for one clock on `today` (empty on a non-working day).

    An unconfirmed arrival is due at the end of its arrival day, so it only warns once
    overdue (from the first working day after it).
    """
    if not calendar.is_working_day(today):
        return []
    left = calendar.working_days_left(today, due, pauses)
    out: list[Hit] = []
    if left > 0:
        if clock != UNCONFIRMED_ARRIVAL and left in th.ahead(clock):
            out.append(Hit(clock, due, f"ahead:{left}", left))
    elif left == 0:
        if clock != UNCONFIRMED_ARRIVAL and th.on_due_day:
            out.append(Hit(clock, due, "due", 0))
    elif clock not in NEVER_OVERDUE:
        if th.daily_when_overdue or clock == UNCONFIRMED_ARRIVAL:
            out.append(Hit(clock, due, f"overdue:{today.isoformat()}", left))
        if escalates(th.escalate_after, -left):
            out.append(Hit(clock, due, ESCALATE, left))
    return out


def coverage_end(calendar: WorkingCalendar) -> date:
    """The last day covered by an official holiday notice."""
    return date(calendar.last_official_year, 12, 31)


def coverage_warning(calendar: WorkingCalendar, today: date, warning_days: int) -> Hit | None:
    """A warning when fewer than `warning_days` calendar days of official data remain."""
    end = coverage_end(calendar)
    remaining = (end - today).days
    if remaining >= warning_days:
        return None
    return Hit(CALENDAR_COVERAGE, end, "coverage", remaining)
