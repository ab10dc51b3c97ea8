"""The registration form (登记申请): its page, its checks and the registration itself.

A form sent twice (the browser's back button and 登记 again, two clerks registering one
posted letter) would register the same application twice: a registration identical to one
already made (`people.applicants.registered_already`) is shown back with a link to that one,
and registered only once the clerk ticks 仍然登记 (`again`, which names the registration it
was shown: one tick registers once). Similar earlier requests of the
same applicant are only warned about after registering, as the CLI does (Reg. Art. 36(6)). An
application handed in at the counter on a day the office is closed is asked about first
(收到日期无误, `day_ok`; the CLI only says so).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.models import Application
from disclosure.people.accounts import shown_name
from disclosure.people.applicants import duplicate_warning, possible_duplicates, registered_already
from disclosure.schemas import ApplicationCreate
from disclosure.services.context import Context
from disclosure.services.departments import list_departments
from disclosure.services.office import Office
from disclosure.services.read_model import listed_in
from disclosure.services.registration import parse_create, register_application
from disclosure.services.views import receipt_day_hint, registration_warning
from disclosure.timefmt import local_time
from disclosure.vocabulary import ApplicantType, Channel, Labelled
from disclosure.web.deps import OfficeUser, web
from disclosure.web.forms import Form, optional_date, text, values
from disclosure.web.register_form import CREDIT_CODE_TYPES, case_type_choices, default_case_label
from disclosure.web.render import flash, render

router = APIRouter(prefix="/applications")


def _register_page(
    request: Request,
    form: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    same: Application | None = None,
) -> Response:
    st = web(request)
    with transaction(st.engine, write=False) as session:
        departments = list_departments(session, active_only=True)
    return render(
        request,
        "register.html",
        {
            "form": form,
            "errors": errors,
            "departments": departments,
            "case_types": case_type_choices(st.settings.targets),
            "default_case": default_case_label(st.settings.targets),
            "credit_code_types": CREDIT_CODE_TYPES,
            "same": same,
        },
        status,
    )


# The registration form's required fields (form name → label); the service checks the rest.
REQUIRED = {"applicant": "申请人姓名或名称", "applicant_type": "申请人类型", "content": "申请内容"}


# The registration form's choice lists: a value not offered is named by the labels shown.
CHOICES: dict[str, type[Labelled]] = {"channel": Channel, "applicant_type": ApplicantType}


def _missing(form: FormData) -> dict[str, str]:
    errors = {name: f"请填写{label}" for name, label in REQUIRED.items() if not text(form, name)}
    for name, kind in CHOICES.items():
        if text(form, name) and text(form, name) not in kind.labels():
            errors[name] = f"请从列表中选择：{'、'.join(kind.labels().values())}"
    if not text(form, "received") and not text(form, "arrived"):
        errors["received"] = "须填写收到日期，尚未确认收到的须填写送达日期"
    if errors:
        errors["_form"] = f"请补全标出的 {len(errors)} 项后再登记。"
    return errors


def _data(form: FormData) -> ApplicationCreate:
    return parse_create(
        {
            "channel": text(form, "channel"),
            "received_on": optional_date(form, "received"),
            "arrived_on": optional_date(form, "arrived"),
            "applicant_name": text(form, "applicant"),
            "applicant_type": text(form, "applicant_type"),
            "content": text(form, "content"),
            "email": text(form, "email"),
            "phone": text(form, "phone"),
            "address": text(form, "address"),
            "id_number": text(form, "id_number"),
            "credit_code": text(form, "credit_code"),
            "department": text(form, "department") or None,
            "cooperating": [v for v in form.getlist("cooperating") if isinstance(v, str) and v],
            "form_wanted": text(form, "form"),
            "case_type": text(form, "case_type"),
            "note": text(form, "note"),
        }
    )


def _same_text(same: Application, who: str, tz: str) -> str:
    when = local_time(same.created_at, tz)
    who = f"由 {who} " if who else ""
    return (
        f"与已登记的申请 {same.number}（{when} {who}登记）的申请人、提交方式、日期和申请内容"
        "完全相同，可能是重复提交，未登记。若确为另一件申请，请勾选“仍然登记”后再提交。"
    )


def _questions(
    session: Session,
    form: FormData,
    data: ApplicationCreate,
    same: Application | None,
    office: Office,
    tz: str,
) -> dict[str, str]:
    """What must be confirmed before registering, as the form's errors (none: register).

    仍然登记 (`again`) confirms one registration: the box carries the number of the one it was
    shown with, so the ticked form sent again meets a newer one and is asked about again. A
    closed day at the counter (`day_ok`, rulebook §2.2) carries the date it confirms, so a
    corrected date is checked afresh."""
    said: list[str] = []
    errors: dict[str, str] = {}
    if same is not None and text(form, "again") != same.number:
        said.append(_same_text(same, shown_name(session, same.created_by), tz))
        errors["again"] = "请确认是否另行登记"
    day_hint = receipt_day_hint(data.channel.value, data.received_on, office)
    received = data.received_on.isoformat() if data.received_on else ""
    if day_hint and text(form, "day_ok") != received:
        said.append(day_hint)
        errors["day_ok"] = "请核对收到日期，无误请勾选"
    if errors:
        errors["_form"] = "".join(said)
    return errors


@router.get("/new")
def new_page(request: Request, user: OfficeUser) -> Response:
    today = web(request).today().isoformat()
    return _register_page(request, {"channel": "in_person", "received": today}, {})


@router.post("/new")
def create(request: Request, user: OfficeUser, form: Form) -> Response:
    st = web(request)
    shown = values(form)
    request.state.rerender = lambda errors, status: _register_page(request, shown, errors, status)
    missing = _missing(form)
    if missing:  # every empty required field at once, not one per attempt (issue 18)
        return _register_page(request, shown, missing, 400)
    data = _data(form)
    with transaction(st.engine) as session:
        same = registered_already(session, data)
        office = st.offices.load(session)
        asked = _questions(session, form, data, same, office, st.settings.office.timezone)
        if asked:  # both questions at once: one answer must not lose the other's
            return _register_page(request, shown, asked, 409, same if "again" in asked else None)
        ctx = Context(office, st.today(), user.username, now_utc())
        app = register_application(session, ctx=ctx, data=data)
        number, due, provisional = app.number, app.reply_due, app.provisional
        now = listed_in(app, office, ctx.today, None)
        similar = possible_duplicates(session, app)
    due_text = f"，答复期限 {due.isoformat()}{'（临时）' if provisional else ''}" if due else ""
    flash(request, f"已登记：{number}{due_text}")
    warning = registration_warning(now.state, now.working_days_left)
    if warning:
        flash(request, warning[1], warning[0])
    for d in similar:
        flash(request, duplicate_warning(d), "warn")
    return RedirectResponse(f"/applications/{number}", status_code=303)
