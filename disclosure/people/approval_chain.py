"""Where a draft (拟办意见) stands in its sign-off chain, read from the event log.

A draft, each approval and each send-back is an event of the application's log (the steps
in `disclosure.services.steps.approval_steps`); nothing here writes. A draft freezes the
chain it needs when it is recorded (`[approval] chain`, per case type, or `extension_chain`),
so a later change of the configuration does not change a sign-off under way. The newest
draft of a purpose (reply, extension) is the one in force; approvals count for the draft
they name. With `[approval] required = true` the reply (step and letter) and the extension
notice wait for the last approval (`require_approved`, `letter_gate`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from disclosure.errors import Conflict
from disclosure.models import Application, EventRecord, User
from disclosure.outcomes import OUTCOMES
from disclosure.services.context import Context
from disclosure.services.deadlines import events_of
from disclosure.services.lookup import get_application
from disclosure.vocabulary import ApprovalPurpose, ApprovalRole, EventKind

SIGN_KINDS = frozenset(
    {EventKind.DRAFTED.value, EventKind.APPROVED.value, EventKind.SENT_BACK.value}
)
VERDICTS = {EventKind.DRAFTED: "拟办", EventKind.APPROVED: "同意", EventKind.SENT_BACK: "退回"}
# The letter kind (disclosure.letters.kinds) that waits for each purpose's last approval.
GATED_LETTERS = {"reply": ApprovalPurpose.REPLY, "extension": ApprovalPurpose.EXTENSION}


@dataclass(frozen=True)
class Sign:
    """One line of a sign-off: the draft, an approval or a send-back."""

    event_id: int
    kind: EventKind
    username: str
    name: str  # display name at the time (the login when the account has none)
    role: str  # ApprovalRole value; "" for the drafter
    text: str  # facts of a draft, comment of an approval, reason of a send-back
    on: date  # the office's day
    at: datetime  # UTC
    answers: int | None = None  # an approval's or send-back's draft (its event id)
    proposal: str = ""  # a draft's proposal in words (拟办意见)

    @property
    def role_label(self) -> str:
        return ApprovalRole(self.role).label if self.role else "承办人"

    @property
    def verdict(self) -> str:
        return VERDICTS[self.kind]

    @property
    def answer_words(self) -> str:
        """An approval or send-back as said: "同意公开", "同意：理由", "退回：理由", "同意"."""
        if self.text.startswith(self.verdict):  # not "同意：同意公开"
            return self.text
        return self.verdict + (f"：{self.text}" if self.text else "")


@dataclass(frozen=True)
class ChainState:
    """The draft in force for one purpose and its approvals so far."""

    purpose: ApprovalPurpose
    draft: Sign
    code: str | None  # the proposed outcome (reply)
    days: int | None  # the proposed extension (working days)
    reasons: str
    chain: tuple[str, ...]
    approvals: tuple[Sign, ...]
    sent_back: Sign | None

    @property
    def remaining(self) -> tuple[str, ...]:
        """The roles still to approve, in order (all of them once sent back)."""
        if self.sent_back is not None:
            return self.chain
        return self.chain[len(self.approvals) :]

    @property
    def approved(self) -> bool:
        return self.sent_back is None and not self.remaining

    @property
    def status(self) -> str:
        if self.sent_back is not None:
            return "退回修改"
        return "审批完毕" if self.approved else "审批中"

    @property
    def reasons_line(self) -> str:
        """The reasons as one paragraph (a letter's reasons are one line)."""
        return "".join(line.strip() for line in self.reasons.splitlines())

    @property
    def proposal(self) -> str:
        """The draft's proposal in words (拟办意见)."""
        return self.draft.proposal


def _sign(rec: EventRecord) -> Sign:
    data = rec.data or {}
    username = rec.approver or rec.actor
    return Sign(
        event_id=rec.id or 0,
        kind=EventKind(rec.kind),
        username=username,
        name=str(data.get("by_name") or username),
        role=str(data.get("role") or ""),
        text=rec.note,
        on=rec.on,
        at=rec.recorded_at,
        answers=data.get("draft"),
        proposal=_proposal(rec) if rec.kind == EventKind.DRAFTED.value else "",
    )


def _proposal(draft: EventRecord) -> str:
    if (draft.data or {}).get("purpose") == ApprovalPurpose.EXTENSION.value:
        return f"延长答复期限 {draft.days} 个工作日"
    code = draft.outcome or ""
    return f"{code} {OUTCOMES[code].label}" if code in OUTCOMES else code


def chains(records: Iterable[EventRecord]) -> dict[ApprovalPurpose, ChainState]:
    """The draft in force per purpose, with its approvals and any send-back."""
    signs = sorted((r for r in records if r.kind in SIGN_KINDS), key=lambda r: r.id or 0)
    drafts: dict[ApprovalPurpose, EventRecord] = {}
    for rec in signs:
        if rec.kind == EventKind.DRAFTED.value:
            drafts[ApprovalPurpose((rec.data or {}).get("purpose", "reply"))] = rec
    out = {}
    for purpose, draft in drafts.items():
        answers = [r for r in signs if (r.data or {}).get("draft") == draft.id]
        approvals = tuple(_sign(r) for r in answers if r.kind == EventKind.APPROVED.value)
        back = [_sign(r) for r in answers if r.kind == EventKind.SENT_BACK.value]
        data = draft.data or {}
        out[purpose] = ChainState(
            purpose=purpose,
            draft=_sign(draft),
            code=draft.outcome,
            days=draft.days,
            reasons=str(data.get("reasons", "")),
            chain=tuple(data.get("chain", ())),
            approvals=approvals,
            sent_back=back[0] if back else None,
        )
    return out


def approved_reply(
    records: Iterable[EventRecord], states: dict[ApprovalPurpose, ChainState] | None = None
) -> ChainState | None:
    """The reply draft in force when its last approval is given (what the letter says);
    `states`, the `chains` of `records`, when the caller has them already."""
    state = (chains(records) if states is None else states).get(ApprovalPurpose.REPLY)
    return state if state is not None and state.approved else None


def history(records: Iterable[EventRecord], purpose: ApprovalPurpose) -> list[Sign]:
    """Every draft, approval and send-back of `purpose`, oldest first (for the sheet)."""
    signs = sorted((r for r in records if r.kind in SIGN_KINDS), key=lambda r: r.id or 0)
    ids = {
        r.id
        for r in signs
        if r.kind == EventKind.DRAFTED.value
        and (r.data or {}).get("purpose", "reply") == purpose.value
    }
    return [_sign(r) for r in signs if r.id in ids or (r.data or {}).get("draft") in ids]


def roles_text(roles: Sequence[str], names: dict[str, list[str]] | None = None) -> str:
    """“政府信息公开工作机构负责人（李四）、分管领导” for an error message."""
    parts = []
    for role in roles:
        who = (names or {}).get(role)
        parts.append(ApprovalRole(role).label + (f"（{'、'.join(who)}）" if who else ""))
    return "、".join(parts)


def require_approved(
    states: Iterable[ChainState],
    purpose: ApprovalPurpose,
    *,
    code: str | None = None,
    days: int | None = None,
    names: dict[str, list[str]] | None = None,
    field: str = "number",
) -> ChainState:
    """The approved draft of `purpose`, or `Conflict` saying who must still approve."""
    state = next((s for s in states if s.purpose is purpose), None)
    what = purpose.label
    if state is None:
        raise Conflict(f"{what}须经审批：尚无拟办意见，请先拟办并报请审批", field=field)
    if state.sent_back is not None:
        raise Conflict(
            f"{what}的拟办意见已被{state.sent_back.name}退回（{state.sent_back.text}），"
            "须重新拟办并报请审批",
            field=field,
        )
    if state.remaining:
        raise Conflict(
            f"{what}尚未审批完毕，尚待 {roles_text(state.remaining, names)} 审批", field=field
        )
    if code is not None and state.code != code:
        raise Conflict(
            f"审批同意的答复结果为 {state.code}，与 {code} 不符；如需改变，请重新拟办",
            field="outcome",
        )
    if days is not None and state.days != days:
        raise Conflict(
            f"审批同意延长 {state.days} 个工作日，与 {days} 个工作日不符；如需改变，请重新拟办",
            field="days",
        )
    return state


def approvers_by_role(
    session: Session, roles: Sequence[str], department_id: int | None = None
) -> dict[str, list[str]]:
    """The active users holding each role (their display names), for the error message;
    department heads of other departments than `department_id` are left out."""
    stmt = select(User).where(col(User.approval_role).in_(list(roles)), User.active == True)  # noqa: E712
    out: dict[str, list[str]] = {}
    for u in session.exec(stmt.order_by(col(User.username))):
        other = department_id is not None and u.department_id not in (None, department_id)
        if u.approval_role == ApprovalRole.DEPARTMENT_HEAD.value and other:
            continue
        out.setdefault(str(u.approval_role), []).append(u.display_name or u.username)
    return out


def step_gate(
    session: Session,
    ctx: Context,
    number: str,
    purpose: ApprovalPurpose,
    *,
    code: str | None = None,
    days: int | None = None,
) -> ChainState | None:
    """Called by the reply and extension steps before they record: with `[approval]
    required`, the last approval of a draft proposing the same, naming who must still act;
    returns that draft's chain (None: no sign-off required)."""
    if not ctx.settings.approval.required:
        return None
    app = get_application(session, number, lock=True)
    states = chains(events_of(session, app)).values()
    state = next((s for s in states if s.purpose is purpose), None)
    lead = app.lead_department_id
    names = approvers_by_role(session, state.remaining, lead) if state else None
    return require_approved(states, purpose, code=code, days=days, names=names)


def signed_by(state: ChainState, name: str) -> bool:
    """Whether `name` (a display name or a login) gave one of the draft's approvals."""
    wanted = name.strip()
    return any(wanted in (a.name, a.username) for a in state.approvals)


def extension_reason(state: ChainState) -> str:
    """The signed-off 延期理由: the draft's reasons, else its facts, as one line."""
    lines = state.reasons.splitlines() or state.draft.text.splitlines()
    return "".join(line.strip() for line in lines)


def approved_extension(states: dict[ApprovalPurpose, ChainState]) -> ChainState | None:
    """The extension draft in force once its last approval is given (what the step and its
    notice take: the days, the head who approved last, the reasons)."""
    state = states.get(ApprovalPurpose.EXTENSION)
    return state if state is not None and state.approved else None


def letter_gate(
    session: Session, ctx: Context, app: Application, kind: str, records: list[EventRecord]
) -> None:
    """Called by the letter service before a 文号 is drawn: with `[approval] required`, the
    reply letter and the extension notice need the last approval of their draft."""
    purpose = GATED_LETTERS.get(kind)
    if purpose is None or not ctx.settings.approval.required:
        return
    states = chains(records).values()
    state = next((s for s in states if s.purpose is purpose), None)
    names = approvers_by_role(session, state.remaining, app.lead_department_id) if state else None
    days = None
    if purpose is ApprovalPurpose.EXTENSION:
        granted = [r for r in records if r.kind == EventKind.EXTENSION_GRANTED.value]
        days = granted[-1].days if granted else None
    require_approved(
        states,
        purpose,
        code=app.outcome if purpose is ApprovalPurpose.REPLY else None,
        days=days,
        names=names,
        field="kind",
    )
