"""Applications: push one (idempotent per external reference), list them, read one."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from operator import attrgetter
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import bindparam, insert
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from disclosure.api.auth import (
    DepartmentDenied,
    Reader,
    Writer,
    api_state,
    authorized_application,
)
from disclosure.api.bodies import AnyDict, json_answer
from disclosure.api.models import ApiExternalRef
from disclosure.api.paging import page_after
from disclosure.api.tokens import Caller
from disclosure.api.writes import write_transaction
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import InvalidInput
from disclosure.models import Application, Department
from disclosure.schemas import ApplicationCreate
from disclosure.services.context import Context
from disclosure.services.departments import find_department
from disclosure.services.office import Office
from disclosure.services.queries import ListFilter, department_names
from disclosure.services.read_model import Listed, listed_in
from disclosure.services.registration import parse_create, register_application
from disclosure.services.views import detail
from disclosure.textinput import iso_date
from disclosure.vocabulary import Stage
from disclosure.web.listing import department_labels

router = APIRouter(tags=["applications"])
MAX_REF = 100
MAX_PAGE = 500


class ApplicationIn(BaseModel):
    """The register command's fields under the same names, plus the source's reference."""

    model_config = ConfigDict(extra="forbid")

    channel: str = Field(description="收到渠道（in_person、post、online、fax、email…）")
    received: str | None = Field(None, description="法定收到日期 YYYY-MM-DD（条例第三十一条）")
    arrived: str | None = Field(None, description="送达日期 YYYY-MM-DD")
    applicant: str
    applicant_type: str = Field(description="natural | legal | other")
    content: str
    email: str = ""
    phone: str = ""
    address: str = ""
    id_number: str = ""
    department: str | None = Field(None, description="主办部门代码")
    cooperating: list[str] = Field(default_factory=list)
    form: str = Field("", description="获取信息的方式")
    case_type: str = ""
    note: str = ""
    external_ref: str | None = Field(
        None, description="来源系统的申请编号：同一来源重复推送返回已登记的申请"
    )


def _date(value: str | None, field: str) -> date | None:
    if value is None or not value.strip():
        return None
    return iso_date(value, field)  # the one date rule: "没有这一天" for 2024-02-30


def _create(body: ApplicationIn) -> ApplicationCreate:
    return parse_create(
        {
            "channel": body.channel,
            "received_on": _date(body.received, "received"),
            "arrived_on": _date(body.arrived, "arrived"),
            "applicant_name": body.applicant,
            "applicant_type": body.applicant_type,
            "content": body.content,
            "email": body.email,
            "phone": body.phone,
            "address": body.address,
            "id_number": body.id_number,
            "department": body.department or None,
            "cooperating": body.cooperating,
            "form_wanted": body.form,
            "case_type": body.case_type,
            "note": body.note,
        }
    )


def _reference(value: str | None) -> str | None:
    if value is None:
        return None
    ref = value.strip()
    if not ref or len(ref) > MAX_REF:
        raise InvalidInput(f"须为 1 至 {MAX_REF} 个字符", field="external_ref")
    return ref


def _scoped(session: Session, token: Caller, data: ApplicationCreate) -> ApplicationCreate:
    """A department token registers into its own department only."""
    if token.department_id is None:
        return data
    own = session.get(Department, token.department_id)
    assert own is not None  # a foreign key
    if data.department is None:
        return data.model_copy(update={"department": own.code})
    if find_department(session, data.department, field="department").id != own.id:
        raise DepartmentDenied("该令牌只能登记本部门的申请", field="department")
    return data


_REFS = ApiExternalRef.__table__  # type: ignore[attr-defined]  # SQLModel declares no __table__
_INSERT_REF = insert(_REFS)  # built once, values bound per push
_PUSHED = core_select(_REFS.c.application_id).where(
    _REFS.c.source == bindparam("source"), _REFS.c.external_ref == bindparam("ref")
)


def _pushed(session: Session, source: str, ref: str) -> Application | None:
    """The application pushed before under (`source`, `ref`), if any. Plain statements on the
    session's connection: every push runs them, in its write transaction."""
    app_id = session.connection().execute(_PUSHED, {"source": source, "ref": ref}).scalar()
    return session.get(Application, app_id) if app_id is not None else None


_LISTED_FIELDS = tuple(f.name for f in fields(Listed))
_LISTED_VALUES = attrgetter(*_LISTED_FIELDS)  # one C call for the tuple of every field


def _flat(item: Listed) -> dict[str, Any]:
    return dict(zip(_LISTED_FIELDS, _LISTED_VALUES(item), strict=True))


def pushed_summary(
    session: Session, app: Application, office: Office, today: date
) -> dict[str, Any]:
    """`views.summary` of `app` (the same JSON; tests/api/test_api_speed.py compares them),
    with the departments read as plain rows and the dictionary built flat (`_flat`)."""
    dep = department_labels(session).get(app.lead_department_id or -1)
    return _flat(listed_in(app, office, today, (dep.code, dep.name) if dep else None))


def external_ref_of(session: Session, app: Application) -> str | None:
    stmt = select(ApiExternalRef.external_ref).where(ApiExternalRef.application_id == app.id)
    return session.exec(stmt).first()


def _register(request: Request, token: Caller, body: ApplicationIn) -> JSONResponse:
    st = api_state(request)
    data, ref = _create(body), _reference(body.external_ref)
    with write_transaction(st) as session:
        office = st.offices.load(session)
        ctx = Context(office, st.today(), token.actor, now_utc())
        existing = _pushed(session, token.source, ref) if ref else None
        if existing is not None:
            authorized_application(session, token, existing.number)
            out, status = pushed_summary(session, existing, office, ctx.today), 200
        else:
            app = register_application(session, ctx=ctx, data=_scoped(session, token, data))
            if ref:
                # A concurrent push of the same reference fails here (the unique constraint).
                row = {
                    "source": token.source,
                    "external_ref": ref,
                    "application_id": app.id,
                    "created_at": ctx.now,
                    "created_by": token.actor,
                }
                session.connection().execute(_INSERT_REF, row)
            out, status = pushed_summary(session, app, office, ctx.today), 201
    out["external_ref"] = ref
    return JSONResponse(out, status_code=status)


@router.post("/applications", status_code=201)
def create_application(request: Request, body: ApplicationIn, token: Writer) -> JSONResponse:
    """登记一件申请（与 `disclosure register --json` 相同的结果）；`external_ref` 重复推送返回
    已登记的申请（200），首次登记返回 201。"""
    try:
        return _register(request, token, body)
    except IntegrityError:
        # Another push of the same reference committed first (PostgreSQL; SQLite writers
        # are serialised): everything of this one was rolled back, so the retry finds it.
        if body.external_ref is None:
            raise
        return _register(request, token, body)


@router.get("/applications", response_model=AnyDict)
def list_applications(
    request: Request,
    token: Reader,
    status: Annotated[str, Query(description="open（默认）| all")] = "open",
    overdue: bool = False,
    due_within: Annotated[int | None, Query(ge=0, le=10_000)] = None,
    department: str | None = None,
    stage: str | None = None,
    q: Annotated[str, Query(max_length=100)] = "",
    after: Annotated[str | None, Query(description="上一页最后一件的编号")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
) -> Response:
    """按答复期限排列的申请列表（与网页列表相同的筛选），`after` 游标分页。"""
    if status not in ("open", "all"):
        raise InvalidInput("取值应为 open 或 all", field="status")
    try:
        stage_value = Stage(stage) if stage else None
    except ValueError as exc:
        raise InvalidInput(f"未知阶段 {stage!r}；可用：{Stage.choices()}", field="stage") from exc
    st = api_state(request)
    today = st.today()
    with transaction(st.engine, write=False) as session:
        office = st.offices.load(session)
        department_id = token.department_id
        if department_id is None and department:
            department_id = find_department(session, department, field="department").id
        flt = ListFilter(
            overdue=overdue,
            due_within=due_within,
            department_id=department_id,
            stage=stage_value,
            open_only=status == "open",
            search=q.strip(),
        )
        rows, cursor = page_after(
            session,
            office=office,
            today=today,
            flt=flt,
            after=after,
            limit=limit,
            statements=st.rows.statements,  # the web list's, kept per shape
        )
        deps = department_labels(session)
        # The web's cache of list rows by value (`web.listing`), and a flat dict per row:
        # the same JSON as `Listed.as_dict` (every field is a plain value) without
        # `dataclasses.asdict`'s recursive copy — most of a list call's time otherwise.
        items = [_flat(st.rows.item(r, office, today, deps)) for r in rows]
    return json_answer({"items": items, "next_after": cursor})


@router.get("/applications/{number}", response_model=AnyDict)
def get_application(request: Request, number: str, token: Reader) -> Response:
    """一件申请的详情（与 `disclosure show --json` 相同）：期限、计算说明、办理经过。"""
    st = api_state(request)
    with transaction(st.engine, write=False) as session:
        office = st.offices.load(session)
        app = authorized_application(session, token, number)
        out = detail(session, app, office, st.today(), department_names(session))
        out["external_ref"] = external_ref_of(session, app)
    return json_answer(out)
