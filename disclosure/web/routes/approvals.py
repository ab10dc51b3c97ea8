"""Sign-off on the web: the handler's draft (拟办), the approver's queue (approve or send
back), and the printable approval sheet.

The same steps as `disclosure draft` / `approve` / `send-back` (`approval_steps`), acting as
the signed-in account; a refusal (out of turn, twice, own draft) is the step's own error.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import InvalidInput
from disclosure.outcomes import OUTCOMES
from disclosure.people.approval_chain import chains
from disclosure.people.approval_queue import waiting_for
from disclosure.people.approval_sheet import TITLE, approval_sheet
from disclosure.services import steps
from disclosure.services.context import Context
from disclosure.services.deadlines import events_of
from disclosure.services.lookup import get_application
from disclosure.vocabulary import ApprovalPurpose, ApprovalRole
from disclosure.web.deps import AuthorizedNumber, CurrentUser, web
from disclosure.web.downloads import docx_download, log_download
from disclosure.web.forms import Form, optional_int, text, values
from disclosure.web.people_view import sign_off_rows
from disclosure.web.render import flash, render

router = APIRouter(prefix="/approvals")


@router.get("")
def queue(request: Request, user: CurrentUser) -> Response:
    return _queue_page(request, user)


def _queue_page(
    request: Request,
    user: CurrentUser,
    errors: dict[str, str] | None = None,
    number: str = "",
    comment: str = "",
    status: int = 200,
) -> Response:
    """The queue; a refused answer shows beside the comment of its application's card."""
    st = web(request)
    with transaction(st.engine, write=False) as session:
        rows = waiting_for(session, user, st.settings)
    role = ApprovalRole(user.approval_role).label if user.approval_role else ""
    context = {
        "rows": rows,
        "role_label": role,
        "errors": errors or {},
        "failed": number,
        "comment": comment,
    }
    return render(request, "approvals.html", context, status)


def _purpose(value: str) -> ApprovalPurpose:
    try:
        return ApprovalPurpose(value)
    except ValueError as exc:
        raise InvalidInput("审批事项无效", field="purpose") from exc


def _draft_page(
    request: Request,
    number: str,
    form: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    st = web(request)
    with transaction(st.engine, write=False) as session:
        app = get_application(session, number)
        states = chains(events_of(session, app))
        context = {
            "number": app.number,
            "applicant": app.applicant_name,
            "content": app.content,
            "reply_due": app.reply_due.isoformat() if app.reply_due else "",
            "is_open": app.is_open,
        }
    tz = st.settings.office.timezone
    context |= {
        "sign_off": [sign_off_rows(s, tz) for s in states.values()],
        "outcomes": [(code, f"{code} {o.label}") for code, o in OUTCOMES.items()],
        "purposes": list(ApprovalPurpose),
        "form": form,
        "errors": errors,
    }
    return render(request, "approval_draft.html", context, status)


@router.get("/{number}/draft")
def draft_page(request: Request, number: AuthorizedNumber, user: CurrentUser) -> Response:
    return _draft_page(request, number, {"purpose": ApprovalPurpose.REPLY.value}, {})


@router.post("/{number}/draft")
def draft(request: Request, number: AuthorizedNumber, user: CurrentUser, form: Form) -> Response:
    """The handler's draft (拟办意见): a new one supersedes the draft in force."""
    st = web(request)
    shown = values(form)
    request.state.rerender = lambda errors, status: _draft_page(
        request, number, shown, errors, status
    )
    purpose = _purpose(text(form, "purpose"))
    extension = purpose is ApprovalPurpose.EXTENSION
    if not extension and not text(form, "outcome"):
        raise InvalidInput("请选择拟办的答复结果", field="outcome")
    today = st.today()
    step = steps.Draft(
        on=today,
        by=user.username,
        purpose=purpose,
        code="" if extension else text(form, "outcome"),
        days=optional_int(text(form, "days"), "days", minimum=1) if extension else None,
        note=text(form, "facts"),
        reasons=text(form, "reasons"),
    )
    with transaction(st.engine) as session:
        office = st.offices.load(session)
        step.record(session, Context(office, today, user.username, now_utc()), number)
    flash(request, f"{number}：已拟办{purpose.label}意见，报请审批")
    return RedirectResponse(f"/applications/{number}#sign-off", status_code=303)


@router.get("/{number}/sheet")
def sheet(
    request: Request, number: AuthorizedNumber, user: CurrentUser, purpose: str = "reply"
) -> Response:
    """The printable 政府信息公开申请办理审批表 (.docx), made from the event log."""
    st = web(request)
    chosen = _purpose(purpose)
    with transaction(st.engine) as session:
        ctx = Context(st.offices.load(session), st.today(), user.username, now_utc())
        content = approval_sheet(session, ctx, number, chosen)
        name = f"{number}-{TITLE}.docx"
        log_download(session, request, user.username, number, name)
    return docx_download(name, content)


@router.post("/{number}")
def answer(request: Request, number: AuthorizedNumber, user: CurrentUser, form: Form) -> Response:
    st = web(request)
    action = text(form, "action")
    purpose = _purpose(text(form, "purpose"))
    comment = text(form, "comment")
    request.state.rerender = lambda errors, status: _queue_page(
        request, user, errors, number, comment, status
    )
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
