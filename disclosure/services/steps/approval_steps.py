"""The sign-off steps: a draft (拟办意见), an approval, a send-back (退回).

Each is an event of the application's log, never rewritten: a new draft supersedes the one
in force (its approvals then count no more), a send-back ends a draft's chain. Who acts is
an account (`user`, given by `--as` on the CLI) whose `approval_role` must be the chain's
next role; the state of the chain is read by `disclosure.people.approval_chain`. These steps
resolve what they need from the log in `record` (the application's row locked first), then
go through the catalogue's one front door (`base.record`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from sqlmodel import Session, select

from disclosure.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from disclosure.models import Application, Department, User
from disclosure.outcomes import OUTCOMES
from disclosure.people.approval_chain import ChainState, chains
from disclosure.services.context import Context
from disclosure.services.deadlines import events_of
from disclosure.services.lookup import get_application
from disclosure.services.steps.base import CaseState, Recorded, Step, record
from disclosure.vocabulary import ApprovalPurpose, ApprovalRole, EventKind
from rules.events import EventKind as RuleKind

MAX_EXTENSION = 20  # Reg. Art. 33 ¶2: at most 20 working days
MAX_TEXT = 5000


def find_user(session: Session, username: str, *, field: str = "as") -> User:
    """The active account acting (`--as`)."""
    name = username.strip()
    if not name:
        raise InvalidInput("须指定以哪个用户的身份操作（用户名）", field=field)
    user = session.exec(select(User).where(User.username == name)).first()
    if user is None:
        raise NotFound(f"没有用户名为 {name} 的用户", field=field)
    if not user.active:
        raise PermissionDenied(f"用户 {name} 已停用", field=field)
    return user


def _name(user: User) -> str:
    return user.display_name or user.username


def _text(value: str, field: str) -> str:
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"过长，最多 {MAX_TEXT} 个字符", field=field)
    return value.strip()


@dataclass(frozen=True, kw_only=True)
class Draft(Step):
    """The handler's draft: the proposed outcome (or extension), the facts and reasons."""

    kind = EventKind.DRAFTED
    by: str  # username
    purpose: ApprovalPurpose = ApprovalPurpose.REPLY
    code: str = ""  # reply: the proposed outcome code (Reg. Arts. 36–39, rulebook §8)
    days: int | None = None  # extension: working days
    reasons: str = ""
    by_name: str = ""  # resolved from the account
    chain: tuple[str, ...] = ()  # resolved from the settings and the case type
    supersedes: int | None = None  # the draft in force before this one

    def record(self, session: Session, ctx: Context, number: str) -> Recorded:
        app = get_application(session, number, lock=True)
        user = find_user(session, self.by)
        approval = ctx.settings.approval
        if self.purpose is ApprovalPurpose.EXTENSION:
            chain = tuple(approval.extension_chain)
        else:
            chain = tuple(approval.chain_for(app.case_type))
        before = chains(events_of(session, app)).get(self.purpose)
        step = replace(
            self,
            by=user.username,
            by_name=_name(user),
            chain=chain,
            supersedes=before.draft.event_id if before else None,
            note=_text(self.note, "facts"),
            reasons=_text(self.reasons, "reasons"),
        )
        return record(session, replace(ctx, actor=user.username), number, step)

    def check(self, case: CaseState, ctx: Context) -> None:
        if self.purpose is ApprovalPurpose.REPLY:
            if self.days is not None:
                raise InvalidInput("答复的拟办意见不填延长天数", field="days")
            if self.code not in OUTCOMES:
                raise InvalidInput(
                    f"未知的答复结果代码 {self.code!r}；可用：{'、'.join(OUTCOMES)}",
                    field="outcome",
                )
            return
        if self.code:
            raise InvalidInput("延期的拟办意见不填答复结果", field="outcome")
        if self.days is None or not 1 <= self.days <= MAX_EXTENSION:
            raise InvalidInput(
                f"延长答复期限为 1 至 {MAX_EXTENSION} 个工作日（条例第三十三条）", field="days"
            )
        if any(e.kind is RuleKind.EXTENSION_GRANTED for e in case.events):
            raise Conflict("已延长过答复期限，不能再次延期（条例第三十三条）", field="days")

    def columns(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "purpose": self.purpose.value,
            "chain": list(self.chain),
            "by_name": self.by_name,
            "reasons": self.reasons,
        }
        if self.supersedes is not None:
            data["supersedes"] = self.supersedes
        return {
            "outcome": self.code or None,
            "days": self.days,
            "approver": self.by,
            "data": data,
        }


@dataclass(frozen=True, kw_only=True)
class _Answer(Step):
    """An approver's answer to the draft in force: approval or send-back."""

    by: str
    purpose: ApprovalPurpose | None = None  # None: the one draft waiting
    role: str = ""  # resolved: the chain position answered
    by_name: str = ""
    draft: int = 0  # resolved: the draft's event id
    verb: ClassVar[str] = "审批"
    text_field: ClassVar[str] = "comment"

    def record(self, session: Session, ctx: Context, number: str) -> Recorded:
        self.check_text()
        app = get_application(session, number, lock=True)
        user = find_user(session, self.by)
        state = self._pending(chains(events_of(session, app)))
        role = self._turn(session, ctx, app, user, state)
        if self.on < state.draft.on:
            raise InvalidInput(f"日期不能早于拟办日期 {state.draft.on}", field="on")
        step = replace(
            self,
            by=user.username,
            by_name=_name(user),
            role=role,
            draft=state.draft.event_id,
            purpose=state.purpose,
            note=_text(self.note, self.text_field),
        )
        return record(session, replace(ctx, actor=user.username), number, step)

    def _pending(self, states: dict[ApprovalPurpose, ChainState]) -> ChainState:
        waiting = [s for s in states.values() if s.remaining and s.sent_back is None]
        if self.purpose is not None:
            state = states.get(self.purpose)
            if state is None:
                raise Conflict(f"没有{self.purpose.label}的拟办意见", field="for")
            if state.sent_back is not None:
                raise Conflict("该拟办意见已退回，须重新拟办后再审批", field="for")
            if not state.remaining:
                raise Conflict(f"{self.purpose.label}的拟办意见已审批完毕", field="for")
            return state
        if not waiting:
            if any(s.sent_back for s in states.values()):
                raise Conflict("拟办意见已退回，须重新拟办后再审批", field="number")
            if states:
                raise Conflict("拟办意见已审批完毕，没有待审批的事项", field="number")
            raise Conflict("尚无拟办意见，请先拟办", field="number")
        if len(waiting) > 1:
            raise InvalidInput(
                "有答复和延期两项待审批，请指定审批哪一项（reply 或 extension）", field="for"
            )
        return waiting[0]

    def _turn(
        self, session: Session, ctx: Context, app: Application, user: User, state: ChainState
    ) -> str:
        """The role `user` answers in, or the error saying why it is not their turn."""
        who = _name(user)
        if any(a.username == user.username for a in state.approvals):
            raise Conflict(f"{who} 已审批过该拟办意见，不能重复审批", field="as")
        if state.draft.username == user.username and not ctx.settings.approval.drafter_may_approve:
            raise PermissionDenied(f"{who} 是该意见的拟办人，不能审批自己的拟办意见", field="as")
        step = state.remaining[0]
        label = ApprovalRole(step).label
        if user.approval_role is None:
            raise PermissionDenied(f"{who} 没有审批职责；现在应由{label}{self.verb}", field="as")
        if user.approval_role != step:
            mine = ApprovalRole(user.approval_role).label
            raise Conflict(f"尚未轮到{mine}{self.verb}：现在应由{label}{self.verb}", field="as")
        if (
            step == ApprovalRole.DEPARTMENT_HEAD.value
            and user.department_id is not None
            and app.lead_department_id is not None
            and user.department_id != app.lead_department_id
        ):
            dept = session.get(Department, app.lead_department_id)
            name = dept.name if dept else ""
            raise PermissionDenied(f"{who} 不是主办部门{name}的负责人", field="as")
        return step

    def check_text(self) -> None:
        """Checks of the given text, before the chain is read."""

    def check(self, case: CaseState, ctx: Context) -> None:
        self.check_text()

    def columns(self) -> dict[str, Any]:
        assert self.purpose is not None
        return {
            "approver": self.by,
            "data": {
                "draft": self.draft,
                "purpose": self.purpose.value,
                "role": self.role,
                "by_name": self.by_name,
            },
        }


@dataclass(frozen=True, kw_only=True)
class Approval(_Answer):
    """The next approver of the chain agrees (with an optional comment)."""

    kind = EventKind.APPROVED


@dataclass(frozen=True, kw_only=True)
class SendBack(_Answer):
    """The next approver sends the draft back with a reason; a new draft starts again."""

    kind = EventKind.SENT_BACK
    verb = "退回"
    text_field = "reason"

    def check_text(self) -> None:
        if not self.note.strip():
            raise InvalidInput("退回须写明理由", field="reason")
