"""The approver's page: drafts waiting for the signed-in user's role, approve or send back.

The same steps as `disclosure approve` / `send-back` (`approval_steps`), acting as the
signed-in account; a refusal (out of turn, twice, own draft) is the step's own error.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import InvalidInput
from disclosure.people.approval_queue import waiting_for
from disclosure.services import steps
from disclosure.services.context import Context
from disclosure.vocabulary import ApprovalPurpose, ApprovalRole
from disclosure.web.deps import AuthorizedNumber, CurrentUser, web
from disclosure.web.forms import Form, text
from disclosure.web.render import flash, render

router = APIRouter(prefix="/approvals")


@router.get("")
def queue(request: Request, user: CurrentUser) -> Response:
    st = web(request)
    with transaction(st.engine, write=False) as session:
        rows = waiting_for(session, user, st.settings)
    role = ApprovalRole(user.approval_role).label if user.approval_role else ""
    return render(request, "approvals.html", {"rows": rows, "role_label": role})


@router.post("/{number}")
def answer(request: Request, number: AuthorizedNumber, user: CurrentUser, form: Form) -> Response:
    st = web(request)
    action = text(form, "action")
    try:
        purpose = ApprovalPurpose(text(form, "purpose"))
    except ValueError as exc:
        raise InvalidInput("审批事项无效", field="purpose") from exc
    comment = text(form, "comment")
    today = st.today()
    step: steps.Step
    if action == "approve":
        step = steps.Approval(on=today, by=user.username, purpose=purpose, note=comment)
    elif action == "send_back":
        step = steps.SendBack(on=today, by=user.username, purpose=purpose, note=comment)
    else:
        raise InvalidInput("操作无效", field="action")
    with transaction(st.engine) as session:
        office = st.offices.load(session)
        step.record(session, Context(office, today, user.username, now_utc()), number)
    flash(request, f"{number}：{'已审批同意' if action == 'approve' else '已退回'}")
    return RedirectResponse("/approvals", status_code=303)
