"""The steps that close an application: the reply, a withdrawal, a deemed abandonment."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlmodel import Session, select

from disclosure.errors import Conflict, InvalidInput, NotFound
from disclosure.models import Application
from disclosure.outcomes import ABANDONED_CORRECTION, ABANDONED_FEE, OUTCOMES, WITHDRAWN
from disclosure.people.approval_chain import require_approved, step_gate
from disclosure.services.context import Context
from disclosure.services.steps.base import CaseState, Recorded, Step, record
from disclosure.vocabulary import AbandonReason, ApprovalPurpose, EventKind
from rules.engine import Deadlines
from rules.events import AbandonReason as RuleReason
from rules.events import Event
from rules.events import EventKind as RuleKind

# The annual-report row (table 三, rulebook §8) of each reason for a deemed abandonment.
ABANDON_OUTCOMES = {
    AbandonReason.CORRECTION: ABANDONED_CORRECTION,
    AbandonReason.FEE: ABANDONED_FEE,
}
REPLY_ABANDONS = {code: reason for reason, code in ABANDON_OUTCOMES.items()}
STILL_UNCLEAR, REPEATED, NO_REASONS = "4.3", "5.2", "5.4"  # outcomes with preconditions
ART35_LETTER = "art35"  # the letter asking for reasons (disclosure.letters.kinds)


@dataclass(frozen=True, kw_only=True)
class Reply(Step):
    """The reply, with its outcome code (Reg. Arts. 36–39; rulebook §8).

    Outcomes that presuppose facts refuse when the ledger lacks them (rulebook §11.8):
    4.3 a correction requested and received; 5.4 an Art. 35 request for reasons (its letter)
    and no reasons accepted (no Art. 35 deadline set); 6.1 / 6.2 an expired correction or fee
    period; 5.2 the earlier application it repeats (`repeats`), replied already.
    """

    kind = EventKind.REPLIED
    code: str
    repeats: str = ""  # 5.2: the number of the earlier application with the same request
    repeats_replied_on: date | None = None  # its reply date (resolved by `prepare`)

    def record(self, session: Session, ctx: Context, number: str) -> Recorded:
        step_gate(session, ctx, number, ApprovalPurpose.REPLY, code=self.code)  # sign-off
        return record(session, ctx, number, self)

    def prepare(self, session: Session, ctx: Context) -> Step:
        if self.code != REPEATED:
            return self
        if not self.repeats.strip():
            raise InvalidInput("重复申请须写明此前已答复的申请的登记编号", field="repeats")
        earlier = session.exec(
            select(Application).where(Application.number == self.repeats.strip())
        ).first()
        if earlier is None:
            raise NotFound(f"没有编号为 {self.repeats} 的申请", field="repeats")
        if earlier.closed_on is None or earlier.outcome is None:
            raise Conflict(f"申请 {earlier.number} 尚未答复，不能据此认定重复申请", field="repeats")
        return replace(self, repeats=earlier.number, repeats_replied_on=earlier.closed_on)

    def check(self, case: CaseState, ctx: Context) -> None:
        if self.code not in OUTCOMES:
            raise InvalidInput(
                f"未知的答复结果代码 {self.code!r}；可用：{'、'.join(OUTCOMES)}", field="outcome"
            )
        if case.outcome is not None or case.closed:
            raise Conflict(
                f"申请 {case.number} 已答复（{case.outcome}），不能重复答复", field="outcome"
            )
        if ctx.settings.approval.required and case.approvals is not None:
            require_approved(case.approvals, ApprovalPurpose.REPLY, code=self.code)
        if self.code == REPEATED and self.repeats == case.number:
            raise InvalidInput("重复申请所指的应是此前的另一件申请", field="repeats")
        kinds = {e.kind for e in case.events}
        if (
            self.code == STILL_UNCLEAR
            and not {
                RuleKind.CORRECTION_REQUESTED,
                RuleKind.CORRECTION_RECEIVED,
            }
            <= kinds
        ):
            raise Conflict(
                "答复“补正后申请内容仍不明确”（4.3）须已记录补正告知和收到补正", field="outcome"
            )
        if self.code == NO_REASONS:
            if ART35_LETTER not in case.letters:
                raise Conflict(
                    "答复“无正当理由大量反复申请”（5.4）须先出具说明理由告知书（第三十五条）",
                    field="outcome",
                )
            if RuleKind.DEFERRED in kinds:
                raise Conflict(
                    "已接受申请人的理由并确定了延迟答复期限，不能再以 5.4 不予处理",
                    field="outcome",
                )
        reason = REPLY_ABANDONS.get(self.code)
        if reason is not None:
            check_abandon(case.deadlines(ctx), reason=reason, on=self.on)

    def columns(self) -> dict[str, Any]:
        if not self.repeats:
            return {"outcome": self.code}
        data = {"repeats": self.repeats}
        if self.repeats_replied_on is not None:
            data["repeats_replied_on"] = self.repeats_replied_on.isoformat()
        return {"outcome": self.code, "data": data}

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
