"""The steps that move a deadline: corrections, extension, consultation, fees, Art. 35."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlmodel import Session

from disclosure.errors import InvalidInput
from disclosure.people.applicants import ITEM_FEE_COUNTED, item_fee
from disclosure.people.approval_chain import (
    extension_reason,
    require_approved,
    signed_by,
    step_gate,
)
from disclosure.services.context import Context
from disclosure.services.lookup import get_application
from disclosure.services.steps.base import CaseState, Line, Recorded, Step, record
from disclosure.vocabulary import ApprovalPurpose, EventKind, PartyKind
from rules import periods
from rules.events import Event
from rules.events import EventKind as RuleKind

# Largest fee amount a notice may state (CNY): far above any scale's result, it only keeps
# a typing slip from becoming an absurd record.
MAX_FEE_YUAN = 10_000_000


def _text(value: str, field: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput(f"请填写{what}", field=field)
    return value


@dataclass(frozen=True, kw_only=True)
class LetterStep(Step):
    """A step announced by a letter whose addressee's period runs from its service
    (rulebook §11). `served` is given when the letter reached its addressee at once (handed
    over in person); otherwise its service is recorded later (`disclosure serve-letter`)."""

    served: date | None = None

    def served_data(self) -> dict[str, Any]:
        return {"served_on": self.served.isoformat()} if self.served else {}

    def engine_served(self) -> date | None:
        return self.served

    def check(self, case: CaseState, ctx: Context) -> None:
        if self.served is not None and self.served > ctx.today:
            raise InvalidInput(f"送达日期 {self.served} 晚于今天 {ctx.today}", field="served")

    def field_for(self, engine_field: str) -> str:
        return "served" if engine_field == "served" else "on"


@dataclass(frozen=True, kw_only=True)
class CorrectionRequested(LetterStep):
    """The office asks once for everything to correct (Reg. Art. 30, rulebook §5)."""

    kind = EventKind.CORRECTION_REQUESTED

    def columns(self) -> dict[str, Any]:
        data = self.served_data()
        return {"data": data} if data else {}

    def rule_event(self) -> Event:
        return Event(
            RuleKind.CORRECTION_REQUESTED, self.on, note=self.note, served=self.engine_served()
        )


@dataclass(frozen=True, kw_only=True)
class CorrectionReceived(Step):
    """The corrected application arrives; the reply period runs afresh (Reg. Art. 30)."""

    kind = EventKind.CORRECTION_RECEIVED

    def check(self, case: CaseState, ctx: Context) -> None:
        # The engine walks in date order and would find no notice given yet: say why.
        d = case.deadlines(ctx)
        req = d.correction if d is not None and d.corrected is None else None
        if req is not None and self.on < req.on:
            raise InvalidInput(
                f"收到补正申请的日期 {self.on.isoformat()} 早于补正告知日期 {req.on.isoformat()}",
                field="on",
            )

    def rule_event(self) -> Event:
        return Event(RuleKind.CORRECTION_RECEIVED, self.on, note=self.note)


@dataclass(frozen=True, kw_only=True)
class Extension(Step):
    """One extension of at most 20 working days, approved by the office head (Reg. Art. 33)."""

    kind = EventKind.EXTENSION_GRANTED
    days: int
    approver: str

    def check(self, case: CaseState, ctx: Context) -> None:
        if not 1 <= self.days <= periods.MAX_EXTENSION:
            raise InvalidInput(
                f"延长期限为 1 至 {periods.MAX_EXTENSION} 个工作日（条例第三十三条）",
                field="days",
            )
        _text(self.approver, "approver", "延期批准人（条例第三十三条）")
        if ctx.settings.approval.required and case.approvals is not None:  # sign-off first
            state = require_approved(case.approvals, ApprovalPurpose.EXTENSION, days=self.days)
            if not signed_by(state, self.approver):
                names = list(dict.fromkeys(a.name for a in state.approvals))
                who = names[0] if len(names) == 1 else f"{'、'.join(names)} 之一"
                raise InvalidInput(
                    f"批准人应为审批同意延期的 {who}，与审批记录一致", field="approver"
                )

    def record(self, session: Session, ctx: Context, number: str) -> Recorded:
        state = step_gate(session, ctx, number, ApprovalPurpose.EXTENSION, days=self.days)
        step = self
        reason = extension_reason(state) if state is not None else ""
        if reason and not self.note.strip():
            # The signed-off reasons are the notice's 延期理由 unless the clerk wrote one.
            step = replace(self, note=reason)
        return record(session, ctx, number, step)

    def columns(self) -> dict[str, Any]:
        return {"days": self.days, "approver": self.approver.strip()}

    def rule_event(self) -> Event:
        return Event(
            RuleKind.EXTENSION_GRANTED,
            self.on,
            days=self.days,
            approver=self.approver.strip(),
            note=self.note,
        )

    def field_for(self, engine_field: str) -> str:
        return "days" if engine_field in ("extend", "days") else "on"


@dataclass(frozen=True, kw_only=True)
class ConsultationSent(LetterStep):
    """A third party (Reg. Art. 32) or another agency (Art. 34) is consulted in writing."""

    kind = EventKind.CONSULTATION_SENT
    party: str
    party_kind: PartyKind = PartyKind.THIRD_PARTY

    def check(self, case: CaseState, ctx: Context) -> None:
        super().check(case, ctx)
        _text(self.party, "party", "征求意见对象")
        # One letter waits per party: a second one would pause the clock twice for one
        # opinion, and its answer could not tell which letter it answers (rulebook §6.4).
        d = case.deadlines(ctx)
        party = self.party.strip()
        for c in d.consultations if d else ():
            if c.answer is None and c.party.strip() == party and self.on.toordinal() <= c.lapse:
                raise InvalidInput(
                    f"已于 {c.event.on.isoformat()} 向{party}征求意见，尚未收到答复"
                    f"（答复期限 {date.fromordinal(c.lapse).isoformat()}）；"
                    "收到答复或期限届满后才能再次向其征求意见",
                    field="party",
                )

    def columns(self) -> dict[str, Any]:
        data = {"party_kind": self.party_kind.value, **self.served_data()}
        return {"party": self.party.strip(), "data": data}

    def rule_event(self) -> Event:
        return Event(
            RuleKind.CONSULTATION_SENT,
            self.on,
            party=self.party.strip(),
            note=self.note,
            served=self.engine_served(),
        )


@dataclass(frozen=True, kw_only=True)
class ConsultationAnswered(Step):
    """The consulted party's written opinion arrives (Reg. Arts. 32, 34)."""

    kind = EventKind.CONSULTATION_ANSWERED
    party: str | None = None  # which consultation, when several are open

    def check(self, case: CaseState, ctx: Context) -> None:
        d = case.deadlines(ctx)  # the engine's pairing of the answers so far with their letters
        open_letters = [c.event for c in d.consultations if c.answer is None] if d else []
        party = (self.party or "").strip()
        mine = [e for e in open_letters if not party or e.party == party]
        if mine and all(e.on > self.on for e in mine):
            # The engine walks in date order and would find no letter sent yet: say why.
            first = min(e.on for e in mine)
            raise InvalidInput(
                f"收到意见的日期 {self.on.isoformat()} 早于征求意见书的发出日期 "
                f"{first.isoformat()}",
                field="on",
            )
        # The engine takes an answer naming no party for the first open letter (rulebook
        # §6), which old records rely on; a new one must say whose it is when several wait.
        if party:
            return
        waiting = [e.party or "" for e in open_letters]
        if len(waiting) > 1:
            raise InvalidInput(
                f"有 {len(waiting)} 件征求意见待答复（{'、'.join(waiting)}），"
                "请指明收到的是哪一方的意见",
                field="party",
            )

    def columns(self) -> dict[str, Any]:
        return {"party": (self.party or "").strip() or None}

    def rule_event(self) -> Event:
        party = (self.party or "").strip() or None
        return Event(RuleKind.CONSULTATION_ANSWERED, self.on, party=party, note=self.note)

    def field_for(self, engine_field: str) -> str:
        return "party" if engine_field == "party" else "on"


@dataclass(frozen=True, kw_only=True)
class FeeNotice(LetterStep):
    """The fee notice (Fees measures; rulebook §7): its amount, and how it was reached."""

    kind = EventKind.FEE_NOTICE_SENT
    amount: int | None  # None only for a ledger imported without the amount
    basis: dict[str, Any] | None = None  # e.g. {"fee_basis": "volume", "pages": 250}

    def record(self, session: Session, ctx: Context, number: str) -> Recorded:
        if self.amount is None and self.basis == ITEM_FEE_COUNTED:  # 按件, n from the register
            app = get_application(session, number, lock=True)
            amount, basis = item_fee(session, app)
            return record(session, ctx, number, replace(self, amount=amount, basis=basis))
        return record(session, ctx, number, self)

    def check(self, case: CaseState, ctx: Context) -> None:
        super().check(case, ctx)
        if self.amount is not None and not 1 <= self.amount <= MAX_FEE_YUAN:
            raise InvalidInput(f"收费金额须在 1 至 {MAX_FEE_YUAN} 元之间", field="amount")

    def columns(self) -> dict[str, Any]:
        return {"amount_yuan": self.amount, "data": {**(self.basis or {}), **self.served_data()}}

    def rule_event(self) -> Event:
        return Event(RuleKind.FEE_NOTICE_SENT, self.on, note=self.note, served=self.engine_served())


@dataclass(frozen=True, kw_only=True)
class FeePaid(Step):
    """The applicant pays the fee (Fees measures). A payment after the period is refused
    unless the office accepts it: `accept_late` is its reason, recorded as an event of its
    own before the payment (rulebook §11)."""

    kind = EventKind.FEE_PAID
    accept_late: str = ""

    def check(self, case: CaseState, ctx: Context) -> None:
        d = case.deadlines(ctx)  # as CorrectionReceived: a date before the notice, in words
        fee = d.fee if d is not None and d.fee_paid is None else None
        if fee is not None and self.on < fee.on:
            raise InvalidInput(
                f"缴费日期 {self.on.isoformat()} 早于收费通知的发出日期 {fee.on.isoformat()}",
                field="on",
            )

    def lines(self) -> tuple[Line, ...]:
        paid = Line(self.kind, self.on, self.note, {}, Event(RuleKind.FEE_PAID, self.on))
        reason = self.accept_late.strip()
        if not reason:
            return (paid,)
        accepted = Event(RuleKind.LATE_PAYMENT_ACCEPTED, self.on, note=reason)
        return (Line(EventKind.LATE_PAYMENT_ACCEPTED, self.on, reason, {}, accepted), paid)

    def field_for(self, engine_field: str) -> str:
        return "accept_late" if engine_field == "note" else "on"


@dataclass(frozen=True, kw_only=True)
class Deferral(Step):
    """Art. 35: a reasonable later deadline replaces the statutory one."""

    kind = EventKind.DEFERRED
    due: date

    def columns(self) -> dict[str, Any]:
        return {"due_on": self.due}

    def rule_event(self) -> Event:
        return Event(RuleKind.DEFERRED, self.on, due=self.due, note=self.note)

    def field_for(self, engine_field: str) -> str:
        return "due" if engine_field in ("deferred_due", "due") else "on"
