"""The list, the registration form, the application page and its actions."""

from __future__ import annotations

from collections.abc import Callable
from math import ceil
from typing import TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import InvalidInput, PermissionDenied
from disclosure.models import Role, Stage, User
from disclosure.people.accounts import user_named
from disclosure.people.handoff import handoff_detail
from disclosure.services.context import Context
from disclosure.services.deadlines import events_of
from disclosure.services.departments import find_department, list_departments
from disclosure.services.lookup import get_application
from disclosure.services.queries import (
    SORTABLE,
    ListFilter,
    count_applications,
    department_names,
    list_application_rows,
)
from disclosure.services.users import list_users
from disclosure.services.views import detail
from disclosure.storage import file_store
from disclosure.vocabulary import ListState
from disclosure.web import integrations
from disclosure.web.actions import ACTIONS, lookup, may_record, missing
from disclosure.web.casefile_view import casefile_section
from disclosure.web.deps import (
    AuthorizedNumber,
    CurrentUser,
    department_scope,
    signed_in,
    web,
)
from disclosure.web.downloads import docx_download, log_download
from disclosure.web.forms import Form, optional_int, text, values
from disclosure.web.listing import department_labels
from disclosure.web.people_view import people_section
from disclosure.web.render import flash, render

router = APIRouter(prefix="/applications")
_V = TypeVar("_V")

FILTER_KEYS = (
    "status", "overdue", "due_within", "department", "handler", "stage", "state", "q", "order",
    "desc",
)  # fmt: skip


def _filter(
    session: Session, request: Request, scope: int | None, page_size: int
) -> tuple[ListFilter, int, dict[str, str], dict[str, str]]:
    """The list's filter from the query, the page, the values chosen and the values refused
    (input name → message; `_form` for the page number): a refused value filters nothing,
    and the page shows its message beside the filter's input."""
    p = request.query_params
    chosen = {k: p.get(k, "").strip() for k in FILTER_KEYS}
    errors: dict[str, str] = {}
    due_within = _checked(errors, "due_within", _working_days, chosen["due_within"])
    page = _checked(errors, "_form", _page_number, p.get("page", "").strip()) or 1
    stage = _checked(errors, "stage", _stage, chosen["stage"])
    state = _checked(errors, "state", _state, chosen["state"])
    department_id = scope
    if scope is None:
        department_id = _checked(
            errors,
            "department",
            lambda ref: find_department(session, ref, field="department").id,
            chosen["department"],
        )
    order = chosen["order"] if chosen["order"] in SORTABLE else "reply_due"
    flt = ListFilter(
        overdue=chosen["overdue"] == "1",
        due_within=due_within,
        department_id=department_id,
        handler_id=user_named(session, chosen["handler"], field="handler").id
        if chosen["handler"]
        else None,
        stage=stage,
        open_only=chosen["status"] != "all",
        search=chosen["q"][:100],
        limit=page_size,
        offset=(page - 1) * page_size,
        order=order,
        descending=chosen["desc"] == "1",
        state=state,
    )
    return flt, page, chosen, errors


def _checked(
    errors: dict[str, str], name: str, parse: Callable[[str], _V | None], value: str
) -> _V | None:
    """`parse(value)`; None for a blank value, and for a refused one (`InvalidInput`), whose
    message goes into `errors[name]`."""
    if not value:
        return None
    try:
        return parse(value)
    except InvalidInput as exc:
        errors[name] = exc.message
        return None


def _working_days(value: str) -> int | None:
    return optional_int(value, "due_within")


def _page_number(value: str) -> int | None:
    try:
        return optional_int(value, "page", minimum=1)
    except InvalidInput as exc:
        raise InvalidInput(f"页码{exc.message}", field="page") from exc


def _stage(value: str) -> Stage:
    try:
        return Stage(value)
    except ValueError as exc:
        raise InvalidInput(f"未知阶段 {value!r}", field="stage") from exc


def _state(value: str) -> ListState:
    try:
        return ListState(value)
    except ValueError as exc:
        known = "、".join(s.label for s in ListState)
        raise InvalidInput(f"未知情形 {value!r}；可选：{known}", field="state") from exc


@router.get("")
async def list_page(request: Request) -> Response:
    """The list ordered by reply deadline without a text search runs on the event loop: its
    work is bounded by the indexes (one page of rows, one indexed count, no writes and so no
    lock waits), a few milliseconds, less than the round trip through the thread pool costs
    under load (docs/bench-notes/web.md). A search or another order reads or sorts every
    row, a dashboard tile's state (`?state=`) filters every open one: that goes to the
    thread pool, like every page that can take long.

    The sign-in check (`deps.signed_in`) runs in the page's own transaction."""
    p = request.query_params
    if p.get("q", "").strip() or p.get("order", "reply_due") != "reply_due" or p.get("state"):
        return await run_in_threadpool(_list_page, request)
    return _list_page(request)


def _list_page(request: Request) -> Response:
    st = web(request)
    today = st.today()
    size = st.settings.web.page_size
    with transaction(st.engine, write=False) as session:
        scope = department_scope(signed_in(request, session))
        office = st.offices.load(session)
        flt, page, chosen, errors = _filter(session, request, scope, size)
        kept = st.rows.statements
        total = count_applications(session, office=office, today=today, flt=flt, statements=kept)
        deps = department_labels(session)
        rows = [
            st.rows.item(row, office, today, deps)
            for row in list_application_rows(
                session, office=office, today=today, flt=flt, statements=kept
            )
        ]
        departments = sorted(deps.values(), key=lambda d: d.code) if scope is None else []
    return render(
        request,
        "list.html",
        {
            "table": st.rows.table(st.templates.env, rows),
            "total": total,
            "page": page,
            "pages": max(1, ceil(total / size)),
            "filters": st.rows.filters_form(st.templates.env, chosen, departments, errors),
            "query": urlencode({k: v for k, v in chosen.items() if v and k not in errors}),
            "errors": errors,
        },
        400 if errors else 200,
    )


def _detail_page(
    request: Request,
    user: User,
    number: str,
    errors: dict[str, str],
    open_action: str = "",
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    st = web(request)
    today = st.today()
    with transaction(st.engine, write=False) as session:
        office = st.offices.load(session)
        app = get_application(session, number)
        info = detail(session, app, office, today, department_names(session))
        info.update(handoff_detail(session, app, office))  # handler, 签收, 协办 (issue 16)
        departments = list_departments(session, active_only=True)
        records = events_of(session, app)  # read once for the page's sections
        letters = integrations.letters_for(session, app, st.settings.letters.delivery, records)
        casefile = casefile_section(
            session, app, user=user, office=office, records=records, today=today
        )
        # The timeline names people, not login names (issue 18).
        names = {u.username: u.display_name for u in list_users(session) if u.display_name}
        people = people_section(session, app, user, st.settings, records)
    office_user = user.role != Role.DEPARTMENT.value
    allowed = st.settings.web.department_may_record
    actions = {
        k: a
        for k, a in ACTIONS.items()
        if may_record(k, a, department_user=not office_user, allowed=allowed)
    }
    if info.get("received_on"):  # receipt already confirmed: nothing left to confirm
        actions.pop("confirm", None)
    if info["stage"] == Stage.ARCHIVED.value:
        actions = {}
    elif info["stage"] == Stage.REPLIED.value:
        actions = {"stage": ACTIONS["stage"]}
    return render(
        request,
        "detail.html",
        {
            "app": info,
            "errors": errors,
            "open_action": open_action,
            "form": form or {},
            "actions": actions,
            "departments": departments,
            "letters": letters,
            "casefile": casefile,
            "actor_names": names,
            "people": people,
        },
        status,
    )


def placed(errors: dict[str, str], inputs: dict[str, str]) -> dict[str, str]:
    """`errors` with each one about something the form has no input for (the case itself,
    a value the step derives) said on the form's own line, never dropped."""
    out = {k: v for k, v in errors.items() if k in inputs}
    lost = [v for k, v in errors.items() if k not in inputs]  # `_form` is never an input
    if lost:
        out["_form"] = "；".join(lost)
    return out


@router.get("/{number}")
def detail_page(request: Request, number: AuthorizedNumber, user: CurrentUser) -> Response:
    return _detail_page(request, user, number, {})


@router.post("/{number}/actions/{action}")
def act(
    request: Request, number: AuthorizedNumber, action: str, user: CurrentUser, form: Form
) -> Response:
    st = web(request)
    chosen = lookup(action)
    department_user = user.role == Role.DEPARTMENT.value
    allowed = st.settings.web.department_may_record
    if not may_record(action, chosen, department_user=department_user, allowed=allowed):
        raise PermissionDenied(
            "部门经办人不能进行此操作（由政府信息公开工作机构记录）", field="role"
        )
    shown = values(form)
    request.state.rerender = lambda errors, status: _detail_page(
        request, user, number, placed(errors, shown), action, shown, status
    )
    empty = missing(chosen, form)
    if empty:  # every empty required input at once, as on the registration form
        return _detail_page(request, user, number, empty, action, shown, 400)
    today = st.today()
    step = chosen.build(form, today)
    with transaction(st.engine) as session:
        office = st.offices.load(session)
        recorded = step.record(session, Context(office, today, user.username, now_utc()), number)
    flash(request, f"已记录：{chosen.label}")
    for warning in recorded.warnings:  # a late step is recorded, and said to be late
        flash(request, f"⚠ {warning}", "warn")
    return RedirectResponse(f"/applications/{number}", status_code=303)


@router.get("/{number}/letters/{letter_id}")
def letter_file(
    request: Request, number: AuthorizedNumber, letter_id: int, user: CurrentUser
) -> Response:
    """An issued letter's stored .docx, byte for byte (a corrected one too)."""
    st = web(request)
    with transaction(st.engine) as session:
        name, content = integrations.stored_letter_docx(
            session, file_store(st.settings), number, letter_id
        )
        log_download(session, request, user.username, number, name)
    return docx_download(name, content)


@router.post("/{number}/letters/{letter_id}/correct")
def correct_letter(
    request: Request, number: AuthorizedNumber, letter_id: int, user: CurrentUser, form: Form
) -> Response:
    """Issue the correction of an issued letter: the new .docx comes back as a download."""
    st = web(request)
    shown = values(form)
    request.state.rerender = lambda errors, status: _detail_page(
        request, user, number, errors, "letter", shown, status
    )
    with transaction(st.engine) as session:
        office = st.offices.load(session)
        name, content = integrations.correct_letter_docx(
            session,
            ctx=Context(office, st.today(), user.username, now_utc()),
            number=number,
            letter_id=letter_id,
            fields=shown,
        )
    return docx_download(name, content)


@router.post("/{number}/letters")
def issue_letter(
    request: Request, number: AuthorizedNumber, user: CurrentUser, form: Form
) -> Response:
    """Issue (or download again) a letter: the .docx comes back as a download."""
    st = web(request)
    shown = values(form)
    request.state.rerender = lambda errors, status: _detail_page(
        request, user, number, errors, "letter", shown, status
    )
    kind, delivery = text(form, "kind"), st.settings.letters.delivery
    with transaction(st.engine, write=False) as session:
        problems = integrations.letter_problems(session, number, kind, shown, delivery)
    if problems:  # every problem at once, as on the registration form
        return _detail_page(request, user, number, problems, "letter", shown, 400)
    with transaction(st.engine) as session:
        office = st.offices.load(session)
        name, content = integrations.issue_letter_docx(
            session,
            ctx=Context(office, st.today(), user.username, now_utc()),
            number=number,
            kind=kind,
            fields=shown,
        )
        log_download(session, request, user.username, number, name)
    return docx_download(name, content)
