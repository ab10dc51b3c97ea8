"""The working-day calendar page: the years in force, loading a notice (upload → preview →
confirm), the history of loaded versions and reverting to one (preview → confirm).

Nothing is written before the confirm step. The preview page carries the checked file's
text, and the versions in force when it was made (`basis`), in its confirm form: the
confirm step checks the text again from scratch and refuses if the calendar changed
meanwhile, so what is written is exactly what was previewed.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import InvalidInput
from disclosure.models import User
from disclosure.notices import service
from disclosure.notices.versions import format_sample, history, in_force, summary
from disclosure.services import calendar_years
from disclosure.web.deps import AdminUser, client_address, web
from disclosure.web.forms import Form, required_int, text
from disclosure.web.render import flash, render
from rules.errors import RulesError
from rules.notice_file import MAX_FILE_BYTES

router = APIRouter()
PASTED = "网页粘贴"


def _calendar_page(
    request: Request, errors: dict[str, str], status: int = 200, pasted: str = ""
) -> Response:
    """The page; after a refused check, the pasted text comes back to be corrected."""
    st = web(request)
    today = st.today()
    years: list[dict[str, Any]] = []
    with transaction(st.engine, write=False) as session:
        for year in (today.year, today.year + 1):
            try:
                years.append(calendar_years.year_overview(session, settings=st.settings, year=year))
            except RulesError as exc:  # a year outside the data: shown as such
                years.append({"year": year, "error": exc.message})
        current = {v.id for v in in_force(session).values()}
        tz = ZoneInfo(st.settings.office.timezone)
        versions = [summary(v, in_force=v.id in current, tz=tz) for v in history(session)]
    versions.reverse()  # newest first
    context = {
        "years": years,
        "versions": versions,
        "errors": errors,
        "max_kb": MAX_FILE_BYTES // 1024,
        "pasted": pasted,
    }
    return render(request, "calendar.html", context, status)


@router.get("/calendar")
def calendar_page(request: Request, user: AdminUser) -> Response:
    return _calendar_page(request, {})


@router.get("/calendar/sample.toml")
def calendar_sample(request: Request, user: AdminUser) -> Response:
    """The load format, as the newest shipped notice written in it."""
    return Response(
        format_sample(),
        media_type="text/plain; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="calendar-sample.toml"'},
    )


def _preview_page(request: Request, report: service.Report, hidden: dict[str, str]) -> Response:
    moved = [m.as_dict() for m in report.result.moved[: service.MAX_SHOWN]]
    by_clock = Counter(m.clock_label for m in report.result.moved)
    context = {
        "report": report,
        "what": service.describe(report),
        "moved": moved,
        "more": len(report.result.moved) - len(moved),
        "by_clock": by_clock.most_common(),
        "states": report.plan.states,
        "hidden": hidden,
        "confirm_url": "/calendar/confirm" if "content" in hidden else "/calendar/revert",
    }
    return render(request, "calendar_preview.html", context)


async def _uploaded(form: FormData) -> tuple[str, str]:
    """(text, source name) of the uploaded file or the pasted text."""
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        raw = await upload.read(MAX_FILE_BYTES + 1)
        return service.decode_file(raw), upload.filename
    pasted = form.get("text")
    if isinstance(pasted, str) and pasted.strip():
        return service.decode_file(pasted.encode("utf-8")), PASTED
    raise InvalidInput("请选择节假日安排文件（.toml），或粘贴文件内容", field="file")


@router.post("/calendar/preview")
async def calendar_preview(request: Request, user: AdminUser, form: Form) -> Response:
    upload = form.get("file")
    pasted = "" if isinstance(upload, UploadFile) and upload.filename else text(form, "text")
    request.state.rerender = lambda errors, status: _calendar_page(
        request, {("text" if pasted and k == "file" else k): v for k, v in errors.items()},
        status, pasted
    )  # fmt: skip
    content, source = await _uploaded(form)
    st = web(request)

    def run() -> service.Report:
        with transaction(st.engine, write=False) as session:
            plan = service.plan_load(
                session,
                settings=st.settings,
                raw=content.encode("utf-8"),
                source_name=source,
                today=st.today(),
                accept_unusual=accept_unusual,
            )
            return service.preview(session, plan)

    accept_unusual = text(form, "accept_unusual") == "1"
    report = await run_in_threadpool(run)
    hidden = {"content": content, "source_name": source, "basis": report.plan.basis}
    if accept_unusual:
        hidden["accept_unusual"] = "1"
    return await run_in_threadpool(_preview_page, request, report, hidden)


@router.post("/calendar/confirm")
def calendar_confirm(request: Request, user: AdminUser, form: Form) -> Response:
    request.state.rerender = lambda errors, status: _calendar_page(request, errors, status)
    content = form.get("content")
    if not isinstance(content, str) or not content.strip():
        raise InvalidInput("缺少要载入的内容，请重新上传并预览", field="file")
    st = web(request)
    with transaction(st.engine) as session:
        plan = service.plan_load(
            session,
            settings=st.settings,
            raw=service.decode_file(content.encode("utf-8")).encode("utf-8"),
            source_name=text(form, "source_name")[:300] or PASTED,
            today=st.today(),
            accept_unusual=text(form, "accept_unusual") == "1",
        )
        report = _apply(request, user, form, session, plan)
    _flash_done(request, report)
    return RedirectResponse("/calendar", status_code=303)


@router.post("/calendar/revert/preview")
def calendar_revert_preview(request: Request, user: AdminUser, form: Form) -> Response:
    request.state.rerender = lambda errors, status: _calendar_page(request, errors, status)
    year, to = required_int(form, "year", minimum=2000), required_int(form, "to")
    st = web(request)
    with transaction(st.engine, write=False) as session:
        plan = service.plan_revert(session, settings=st.settings, year=year, to=to)
        report = service.preview(session, plan)
    hidden = {"year": str(year), "to": str(to), "basis": plan.basis}
    return _preview_page(request, report, hidden)


@router.post("/calendar/revert")
def calendar_revert(request: Request, user: AdminUser, form: Form) -> Response:
    request.state.rerender = lambda errors, status: _calendar_page(request, errors, status)
    year, to = required_int(form, "year", minimum=2000), required_int(form, "to")
    st = web(request)
    with transaction(st.engine) as session:
        plan = service.plan_revert(session, settings=st.settings, year=year, to=to)
        report = _apply(request, user, form, session, plan)
    _flash_done(request, report)
    return RedirectResponse("/calendar", status_code=303)


def _apply(
    request: Request, user: User, form: FormData, session: Session, plan: service.Plan
) -> service.Report:
    """Write a confirmed load or revert: as the signed-in admin, from the client's address,
    refused when the calendar changed since the preview (`basis`)."""
    return service.apply(
        session,
        plan,
        actor=user.username,
        now=now_utc(),
        basis=text(form, "basis"),
        address=client_address(request),
    )


def _flash_done(request: Request, report: service.Report) -> None:
    r = report.result
    flash(
        request,
        f"已{service.describe(report)}；重新计算 {r.recomputed} 件未办结申请，"
        f"{r.moved_applications} 件申请的 {len(r.moved)} 个期限变动。",
    )
