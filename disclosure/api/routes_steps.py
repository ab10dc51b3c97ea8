"""Steps of an application and its issued letters.

A step is built exactly as the web page builds it (`web.actions.ACTIONS`, from the JSON
turned into the form those builders read) and recorded through the catalogue
(`step.record`), so the API runs every check the CLI and the web run. The JSON names the
step's date `on`, as the domain does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import FormData, UploadFile

from disclosure import audit
from disclosure.api.auth import (
    DepartmentDenied,
    Reader,
    Writer,
    api_state,
    authorized_application,
)
from disclosure.api.bodies import AnyDict, json_answer
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import NotFound
from disclosure.letters.records import listing
from disclosure.letters.service import letters_of
from disclosure.services import steps
from disclosure.services.context import Context
from disclosure.services.queries import department_names
from disclosure.services.views import summary
from disclosure.storage import file_store
from disclosure.vocabulary import AuditAction, AuditChannel, Stage
from disclosure.web.actions import ACTIONS, may_record
from disclosure.web.integrations import DOCX, stored_letter_docx

router = APIRouter(tags=["steps"])

# The CLI's steps the web page has no form for (they need only a note, or nothing).
EXTRA: dict[str, Callable[[FormData, date], steps.Step]] = {
    "note": lambda f, today: steps.Note(on=today, note=str(f.get("note") or "")),
    "archive": lambda f, today: steps.StageMove(
        on=today, to=Stage.ARCHIVED, note=str(f.get("note") or "")
    ),
}
STEP_NAMES = (*ACTIONS, *EXTRA)


class StepIn(BaseModel):
    """The fields of every step; each step reads the ones it needs (see `STEP_NAMES`)."""

    model_config = ConfigDict(extra="forbid")

    on: str | None = Field(None, description="该步骤的日期 YYYY-MM-DD")
    served: str | None = Field(None, description="送达日期 YYYY-MM-DD")
    days: int | str | None = None
    approver: str | None = None
    party: str | None = None
    party_kind: str | None = Field(None, description="third_party | agency")
    amount: int | str | None = None
    accept_late: str | None = None
    due: str | None = None
    outcome: str | None = None
    repeats: str | None = None
    reason: str | None = None
    to: str | None = Field(None, description="阶段：review | handling | archived")
    department: str | None = None
    cooperating: list[str] = Field(default_factory=list)
    note: str | None = None
    # a receipt correction (`receipt`, rulebook §3.3)
    channel: str | None = Field(None, description="提交方式（更正收到日期时）")
    arrived: str | None = Field(None, description="送达日期 YYYY-MM-DD（更正收到日期时）")
    received: str | None = Field(None, description="法定收到日期 YYYY-MM-DD（更正收到日期时）")


def as_form(body: StepIn) -> FormData:
    """The JSON as the form the web actions read (the date is the form field `date`)."""
    pairs: list[tuple[str, str | UploadFile]] = []
    for name, value in body.model_dump(exclude={"cooperating"}).items():
        if value is not None:
            pairs.append(("date" if name == "on" else name, str(value)))
    pairs.extend(("cooperating", c) for c in body.cooperating)
    return FormData(pairs)


def build_step(
    name: str, body: StepIn, today: date, *, department_token: bool, allowed: list[str]
) -> steps.Step:
    """The step `name` built from `body`; a department token may record what a department
    handler may record on the web page (`web.actions.may_record`)."""
    action = ACTIONS.get(name)
    if action is None:
        extra = EXTRA.get(name)
        if extra is None:
            raise NotFound(f"没有该步骤：{name}；可用：{'、'.join(STEP_NAMES)}", field="step")
        return extra(as_form(body), today)
    if not may_record(name, action, department_user=department_token, allowed=allowed):
        raise DepartmentDenied("部门令牌不能进行此操作（由政府信息公开工作机构记录）", field="step")
    return action.build(as_form(body), today)


@router.post("/applications/{number}/steps/{step}", status_code=201)
def record_step(
    request: Request, number: str, step: str, body: StepIn, token: Writer
) -> JSONResponse:
    """记录一个办理步骤（与命令行、网页相同的校验）；返回申请的当前状态。"""
    st = api_state(request)
    today = st.today()
    built = build_step(
        step,
        body,
        today,
        department_token=token.department_id is not None,
        allowed=list(st.settings.web.department_may_record),
    )
    with transaction(st.engine) as session:
        office = st.offices.load(session)
        authorized_application(session, token, number)
        recorded = built.record(session, Context(office, today, token.actor, now_utc()), number)
        out = summary(recorded.application, office, today, department_names(session))
        out["event"] = {"id": recorded.event.id, "kind": recorded.event.kind}
        out["warnings"] = recorded.warnings
    return JSONResponse(out, status_code=201)


@router.get("/applications/{number}/letters", tags=["letters"], response_model=AnyDict)
def list_letters(request: Request, number: str, token: Reader) -> Response:
    """已出具的文书（含更正关系），按出具顺序。"""
    with transaction(api_state(request).engine, write=False) as session:
        authorized_application(session, token, number)
        rows = letters_of(session, number)
        items = [{"id": r.id, **x.as_dict()} for r, x in zip(rows, listing(rows), strict=True)]
    return json_answer({"items": items})


@router.get(
    "/applications/{number}/letters/{letter_id}",
    tags=["letters"],
    response_class=Response,
    responses={200: {"content": {DOCX: {}}, "description": "存档的 .docx，逐字节相同"}},
)
def get_letter(request: Request, number: str, letter_id: int, token: Reader) -> Response:
    """下载一份已出具文书的存档 .docx（逐字节相同）。"""
    st = api_state(request)
    with transaction(st.engine) as session:
        authorized_application(session, token, number)
        name, content = stored_letter_docx(session, file_store(st.settings), number, letter_id)
        audit.record(
            session,
            actor=token.actor,
            action=AuditAction.DOCUMENT_DOWNLOADED,
            target=number,
            details={"file": name},
            address=request.client.host if request.client else "",
            via=AuditChannel.API,
        )
    return Response(
        content,
        media_type=DOCX,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )
