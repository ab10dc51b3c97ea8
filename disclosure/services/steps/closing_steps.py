"""The steps that close an application: the reply, a withdrawal, a deemed abandonment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from disclosure.errors import Conflict, InvalidInput
from disclosure.outcomes import ABANDONED_CORRECTION, ABANDONED_FEE, OUTCOMES, WITHDRAWN
from disclosure.services.context import Context
from disclosure.services.steps.base import CaseState, Step
from disclosure.vocabulary import AbandonReason, EventKind
from rules.engine import Deadlines
from rules.events import AbandonReason as RuleReason
from rules.events import Event
from rules.events import EventKind as RuleKind

# The annual-report row (table 三, rulebook §8) of each reason for a deemed abandonment.
ABANDON_OUTCOMES = {
    AbandonReason.CORRECTION: ABANDONED_CORRECTION,
    AbandonReason.FEE: ABANDONED_FEE,
}


@dataclass(frozen=True, kw_only=True)
class Reply(Step):
    """The reply, with its outcome code (Reg. Arts. 36–39; rulebook §8)."""

    kind = EventKind.REPLIED
    code: str

    def check(self, case: CaseState, ctx: Context) -> None:
        if self.code not in OUTCOMES:
            raise InvalidInput(
                f"未知的答复结果代码 {self.code!r}；可用：{'、'.join(OUTCOMES)}", field="outcome"
            )
        if case.outcome is not None or case.closed:
            raise Conflict(
                f"申请 {case.number} 已答复（{case.outcome}），不能重复答复", field="outcome"
            )

    def columns(self) -> dict[str, Any]:
        return {"outcome": self.code}

    def rule_event(self) -> Event:
        return Event(RuleKind.REPLIED, self.on, note=self.note)

    def outcome(self, case: CaseState) -> str | None:
        return self.code


@dataclass(frozen=True, kw_only=True)
class Withdrawal(Step):
    """The applicant withdraws the application (outcome 6.3, rulebook §11)."""

    kind = EventKind.WITHDRAWN

    def columns(self) -> dict[str, Any]:
        return {"outcome": WITHDRAWN}

    def rule_event(self) -> Event:
        return Event(RuleKind.WITHDRAWN, self.on, note=self.note)

    def outcome(self, case: CaseState) -> str | None:
        return WITHDRAWN


@dataclass(frozen=True, kw_only=True)
class Abandonment(Step):
    """Deemed abandoned (视为放弃): no correction (Reg. Art. 30) or no payment (Fees)."""

    kind = EventKind.ABANDONED
    reason: AbandonReason

    def check(self, case: CaseState, ctx: Context) -> None:
        check_abandon(case.deadlines(ctx), reason=self.reason, on=self.on)

    def columns(self) -> dict[str, Any]:
        return {"outcome": ABANDON_OUTCOMES[self.reason]}

    def rule_event(self) -> Event:
        return Event(
            RuleKind.ABANDONED, self.on, note=self.note, reason=RuleReason(self.reason.value)
        )

    def field_for(self, engine_field: str) -> str:
        return "reason" if engine_field == "reason" else "on"

    def outcome(self, case: CaseState) -> str | None:
        return ABANDON_OUTCOMES[self.reason]


def parse_reason(value: str) -> AbandonReason:
    try:
        return AbandonReason(value)
    except ValueError as exc:
        raise InvalidInput(f"原因须为 {AbandonReason.choices()}", field="reason") from exc


def check_abandon(d: Deadlines | None, *, reason: AbandonReason, on: Any) -> None:
    """Deemed abandoned only once the applicant's period has run out (`d`: the case before)."""
    if d is None or d.closed:
        return
    if reason is AbandonReason.CORRECTION:
        lapse = d.correction_deadline
        if lapse is None:
            raise Conflict("该申请不在等待补正状态", field="reason")
    else:
        lapse = d.fee_payment_due
        if lapse is None:
            raise Conflict("没有待缴费的收费通知", field="reason")
    if on <= lapse:
        raise InvalidInput(f"期限 {lapse.isoformat()} 届满后才能视为放弃申请", field="on")
