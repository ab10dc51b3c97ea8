"""An approver's queue: the open applications whose draft waits for this person's role.

Read from the event log of open applications that have a draft (one query for the drafts'
applications, one for their sign-off events); the same rules as the steps decide whose turn
it is (`approval_steps`): the next role of the chain, not the drafter (unless the office
allows it), and for a department head only the applications their department leads.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, or_, select

from disclosure.models import Application, EventRecord, User
from disclosure.people.approval_chain import SIGN_KINDS, chains
from disclosure.people.approval_sheet import local_time
from disclosure.settings import Settings
from disclosure.vocabulary import ApprovalRole, EventKind


def sign_events(session: Session, ids: list[int]) -> dict[int, list[EventRecord]]:
    """Application id → its sign-off events in recorded order (one query for all `ids`)."""
    events: dict[int, list[EventRecord]] = {i: [] for i in ids}
    stmt = select(EventRecord).where(
        col(EventRecord.application_id).in_(ids), col(EventRecord.kind).in_(list(SIGN_KINDS))
    )
    for ev in session.exec(stmt.order_by(col(EventRecord.id))):
        events[ev.application_id].append(ev)
    return events


def waiting_for(session: Session, user: User, settings: Settings) -> list[dict[str, Any]]:
    """What `user` is to approve now, the longest waiting first."""
    role = user.approval_role
    if role is None:
        return []
    drafted = (
        select(EventRecord.application_id)
        .join(Application, col(Application.id) == col(EventRecord.application_id))
        .where(EventRecord.kind == EventKind.DRAFTED.value, Application.is_open == True)  # noqa: E712
    )
    if role == ApprovalRole.DEPARTMENT_HEAD.value and user.department_id is not None:
        drafted = drafted.where(Application.lead_department_id == user.department_id)
    ids = sorted(set(session.exec(drafted)))
    if not ids:
        return []
    apps = {a.id: a for a in session.exec(select(Application).where(col(Application.id).in_(ids)))}
    events = sign_events(session, ids)
    tz = settings.office.timezone
    own_ok = settings.approval.drafter_may_approve
    out: list[tuple[datetime, dict[str, Any]]] = []
    for app_id, records in events.items():
        app = apps[app_id]
        for s in chains(records).values():
            if s.sent_back is not None or not s.remaining or s.remaining[0] != role:
                continue
            if s.draft.username == user.username and not own_ok:
                continue
            out.append(
                (
                    s.draft.at,
                    {
                        "number": app.number,
                        "applicant": app.applicant_name,
                        "content": app.content,
                        "reply_due": app.reply_due.isoformat() if app.reply_due else "",
                        "purpose": s.purpose.value,
                        "purpose_label": s.purpose.label,
                        "proposal": s.proposal,
                        "facts": s.draft.text,
                        "reasons": s.reasons,
                        "drafter": s.draft.name,
                        "drafted_at": local_time(s.draft.at, tz),
                        "approvals": [f"{a.role_label} {a.name}" for a in s.approvals],
                        # The office's day this step became due (the draft or the
                        # last approval): `[approval] warn_after_days` counts from it.
                        "waiting_since": (s.approvals[-1] if s.approvals else s.draft).on,
                    },
                )
            )
    out.sort(key=lambda pair: pair[0])
    return [row for _at, row in out]


def sent_back_to(session: Session, user: User) -> list[dict[str, Any]]:
    """The drafts of `user` (拟办人) that an approver sent back and nobody has redrafted: the
    drafter's to redo (the reason and who gave it), the latest first. Looked for among the
    open cases `user` handles or their department leads (indexed columns: the dashboard
    asks on every visit, so it never scans the whole event log)."""
    theirs = col(Application.handler_id) == user.id
    if user.department_id is not None:
        theirs = or_(theirs, col(Application.lead_department_id) == user.department_id)
    cases = select(Application.id).where(Application.is_open == True, theirs)  # noqa: E712
    mine = select(EventRecord.application_id).where(
        col(EventRecord.application_id).in_(cases),
        EventRecord.kind == EventKind.DRAFTED.value,
        EventRecord.approver == user.username,
    )
    ids = sorted(set(session.exec(mine)))
    if not ids:
        return []
    numbers = dict(
        session.exec(
            select(Application.id, Application.number).where(col(Application.id).in_(ids))
        ).all()
    )
    events = sign_events(session, ids)
    out = [
        {
            "number": numbers[app_id],
            "purpose_label": s.purpose.label,
            "by": s.sent_back.name,
            "reason": s.sent_back.text,
            "on": s.sent_back.on.isoformat(),
        }
        for app_id, records in events.items()
        for s in chains(records).values()
        if s.sent_back is not None and s.draft.username == user.username
    ]
    return sorted(out, key=lambda r: r["on"], reverse=True)
