"""The office's own steps, which move no deadline: confirmation, hand-off, stage, note."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlmodel import Session

from disclosure.errors import Conflict, InvalidInput
from disclosure.models import Application
from disclosure.services.context import Context
from disclosure.services.departments import find_department
from disclosure.services.steps.base import CaseState, Line, Step
from disclosure.services.workflow import check_transition
from disclosure.vocabulary import EventKind, Stage
from rules.errors import ReceiptDateError
from rules.events import Channel, Event
from rules.events import EventKind as RuleKind
from rules.receipt import check_receipt


@dataclass(frozen=True, kw_only=True)
class Confirmation(Step):
    """Both sides confirm an arrival: its legal receipt date (Reg. Art. 31, rulebook §3)."""

    kind = EventKind.CONFIRMED
    needs_receipt = False

    def check(self, case: CaseState, ctx: Context) -> None:
        if case.received_on is not None:
            raise Conflict(f"已于 {case.received_on} 确认收到", field="number")
        try:
            check_receipt(Channel(case.channel), self.on, case.arrived_on)
        except ReceiptDateError as exc:
            raise InvalidInput(exc.message, field="on") from exc

    def lines(self) -> tuple[Line, ...]:
        return (
            Line(EventKind.CONFIRMED, self.on, self.note, {}, None),
            Line(EventKind.RECEIVED, self.on, "", {}, Event(RuleKind.RECEIVED, self.on)),
        )


@dataclass(frozen=True, kw_only=True)
class Assignment(Step):
    """The office assigns the lead department and any cooperating ones (分办)."""

    kind = EventKind.ASSIGNED
    needs_receipt = False
    when_closed = True
    department: str
    cooperating: tuple[str, ...] = ()
    lead_id: int | None = None  # resolved by `prepare`

    def prepare(self, session: Session, ctx: Context) -> Assignment:
        lead = find_department(session, self.department, field="department")
        for code in self.cooperating:
            find_department(session, code, field="cooperating")
        return replace(self, department=lead.code, lead_id=lead.id)

    def columns(self) -> dict[str, Any]:
        return {"party": self.department, "data": {"cooperating": list(self.cooperating)}}

    def apply(self, session: Session, app: Application) -> None:
        app.lead_department_id = self.lead_id
        app.cooperating = list(self.cooperating)


@dataclass(frozen=True, kw_only=True)
class StageMove(Step):
    """Along the workflow (审核, 办理, 归档); closing happens through a closing step."""

    kind = EventKind.STAGE_MOVED
    needs_receipt = False
    when_closed = True
    to: Stage

    def check(self, case: CaseState, ctx: Context) -> None:
        if self.to is Stage.REPLIED:
            raise Conflict("请记录答复（答复结果和日期），而不是直接转入答复阶段", field="to")
        check_transition(case.stage, self.to)

    def columns(self) -> dict[str, Any]:
        return {"data": {"to": self.to.value}}

    def stage_after(self, case: CaseState) -> Stage:
        return self.to


@dataclass(frozen=True, kw_only=True)
class Note(Step):
    """A remark on the timeline."""

    kind = EventKind.NOTE
    needs_receipt = False
    when_closed = True

    def check(self, case: CaseState, ctx: Context) -> None:
        if not self.note.strip():
            raise InvalidInput("请填写备注内容", field="note")
