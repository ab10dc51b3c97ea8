"""The hand-off steps: assigning with a handler (承办人), the lead department signing for a
case (签收) or sending it back (退回), and a cooperating department's answer (协办回复).

Each is an event of the log, with the acting account and the moment it was recorded. Who
signs or sends back must belong to the lead department; a case is signed for or sent back
once per assignment (a new assignment starts a new hand-off). The state is read by
`disclosure.people.handoff`; these steps resolve it on the locked row in `record`, then go
through the catalogue's one front door (`base.record`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from sqlmodel import Session

from disclosure.errors import Conflict, InvalidInput, PermissionDenied
from disclosure.models import Application, Department, User
from disclosure.people.handoff import handoff
from disclosure.services.context import Context
from disclosure.services.deadlines import events_of
from disclosure.services.departments import find_department
from disclosure.services.lookup import get_application
from disclosure.services.steps.approval_steps import find_user
from disclosure.services.steps.base import Recorded, Step, record
from disclosure.services.steps.office_steps import Assignment
from disclosure.vocabulary import EventKind


def _name(user: User) -> str:
    return user.display_name or user.username


def _department_name(session: Session, department_id: int | None) -> str:
    dept = session.get(Department, department_id) if department_id is not None else None
    return dept.name if dept else ""


@dataclass(frozen=True, kw_only=True)
class HandledAssignment(Assignment):
    """An assignment (分办) that may name the handler, who must belong to the lead department."""

    handler: str = ""  # username ("": none named; the handler is cleared)
    handler_name: str = ""  # resolved by `prepare`
    handler_id: int | None = None

    def prepare(self, session: Session, ctx: Context) -> HandledAssignment:
        step = super().prepare(session, ctx)
        assert isinstance(step, HandledAssignment)
        if not self.handler.strip():
            return replace(step, handler="", handler_name="", handler_id=None)
        user = find_user(session, self.handler, field="handler")
        if user.department_id is None or user.department_id != step.lead_id:
            dept = _department_name(session, step.lead_id)
            raise InvalidInput(
                f"承办人 {_name(user)}（{user.username}）不属于主办部门{dept}", field="handler"
            )
        return replace(step, handler=user.username, handler_name=_name(user), handler_id=user.id)

    def columns(self) -> dict[str, Any]:
        out = super().columns()
        if self.handler:
            out["data"] = {
                **out["data"],
                "handler": self.handler,
                "handler_name": self.handler_name,
            }
        return out

    def apply(self, session: Session, app: Application) -> None:
        super().apply(session, app)
        app.handler_id = self.handler_id


@dataclass(frozen=True, kw_only=True)
class _Answer(Step):
    """The lead department's answer to the assignment in force (signed for or sent back)."""

    needs_receipt = False
    by: str = ""  # username ("": the acting user, `ctx.actor`)
    by_name: str = ""  # resolved
    department: str = ""  # resolved: the lead department's code
    verb: ClassVar[str] = "签收"

    def record(self, session: Session, ctx: Context, number: str) -> Recorded:
        self.check_reason()
        app = get_application(session, number, lock=True)
        user = find_user(session, self.by or ctx.actor)  # the web: the signed-in user
        if app.lead_department_id is None:
            raise Conflict("该申请尚未分办，没有可签收或退回的部门", field="number")
        dept_name = _department_name(session, app.lead_department_id)
        if user.department_id != app.lead_department_id:
            raise PermissionDenied(
                f"{_name(user)} 不属于主办部门{dept_name}，不能{self.verb}", field="as"
            )
        state = handoff(events_of(session, app))
        if state.accepted is not None:
            raise Conflict(
                f"{dept_name}已于 {state.accepted.on} 签收，不能再{self.verb}", field="number"
            )
        if state.returned is not None:
            raise Conflict(
                f"{dept_name}已于 {state.returned.on} 退回，须重新分办后再{self.verb}",
                field="number",
            )
        if state.assigned is not None and self.on < state.assigned.on:
            raise InvalidInput(f"日期不能早于分办日期 {state.assigned.on}", field="on")
        dept = session.get(Department, app.lead_department_id)
        code = dept.code if dept else ""
        step = replace(self, by=user.username, by_name=_name(user), department=code)
        return record(session, replace(ctx, actor=user.username), number, step)

    def check_reason(self) -> None:
        """Checks of the given text, before the log is read."""

    def columns(self) -> dict[str, Any]:
        return {
            "party": self.department,
            "approver": self.by,
            "data": {"by_name": self.by_name},
        }


@dataclass(frozen=True, kw_only=True)
class Acceptance(_Answer):
    """The lead department signs for the case (签收)."""

    kind = EventKind.ACCEPTED


@dataclass(frozen=True, kw_only=True)
class Return(_Answer):
    """The lead department sends the case back to the office with a reason (退回)."""

    kind = EventKind.RETURNED
    verb = "退回"
    note_field = "reason"

    def check_reason(self) -> None:
        if not self.note.strip():
            raise InvalidInput("退回须写明理由", field="reason")

    def apply(self, session: Session, app: Application) -> None:
        app.handler_id = None  # the office assigns again, perhaps elsewhere


@dataclass(frozen=True, kw_only=True)
class CooperationAnswer(Step):
    """A cooperating department's answer to the lead department (协办回复, rulebook §6.5)."""

    kind = EventKind.COOPERATION_ANSWERED
    department: str
    by: str = ""  # username ("": the operator, not checked against the department)
    by_name: str = ""

    def record(self, session: Session, ctx: Context, number: str) -> Recorded:
        app = get_application(session, number, lock=True)
        dept = find_department(session, self.department, field="department")
        if dept.code not in (app.cooperating or []):
            names = "、".join(app.cooperating or []) or "无"
            raise InvalidInput(
                f"{dept.name}不是该申请的协办部门（协办部门：{names}）", field="department"
            )
        by, by_name = "", ""
        if self.by.strip():
            user = find_user(session, self.by)
            if user.department_id != dept.id:
                raise PermissionDenied(f"{_name(user)} 不属于协办部门{dept.name}", field="as")
            by, by_name = user.username, _name(user)
            ctx = replace(ctx, actor=user.username)
        done = [
            r
            for r in events_of(session, app)
            if r.kind == EventKind.COOPERATION_ANSWERED.value and r.party == dept.code
        ]
        if done:
            raise Conflict(f"{dept.name}已于 {done[0].on} 回复，不能重复记录", field="department")
        step = replace(self, department=dept.code, by=by, by_name=by_name)
        return record(session, ctx, number, step)

    def columns(self) -> dict[str, Any]:
        return {
            "party": self.department,
            "approver": self.by or None,
            "data": {"by_name": self.by_name},
        }
