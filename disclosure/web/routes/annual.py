"""The annual report on the web: enter section 二 and the texts, download, lock (office only)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import InvalidInput
from disclosure.report import annual_inputs as inputs
from disclosure.report.annual_full import compute_full, default_year
from disclosure.report.annual_lock import attach_publication, latest_lock, lock_year
from disclosure.report.annual_render import render as render_report
from disclosure.web.deps import OfficeUser, client_address, web
from disclosure.web.forms import Form, saved_upload, text
from disclosure.web.render import flash, render

router = APIRouter(prefix="/annual")
MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}


def _year(value: str | int | None, fallback: int) -> int:
    if value in (None, ""):
        return fallback
    if isinstance(value, int) or str(value).isdigit():
        year = int(value)
        if 1990 <= year <= 2999:
            return year
    raise InvalidInput(f"年度不合理：{value}", field="year")


@router.get("")
def annual_page(request: Request, user: OfficeUser, year: str = "") -> Response:
    st = web(request)
    chosen = _year(year, default_year(st.today()))
    with transaction(st.engine, write=False) as session:
        values = inputs.current_values(session, chosen)
        texts = inputs.suggestions(session, chosen)
        lock = latest_lock(session, chosen)
        report = attach_publication(
            session,
            compute_full(session, year=chosen, agency=st.settings.office.agency_name),
            tz=st.settings.office.timezone,
        )
    form = {**values, **{k: v for k, v in texts.items() if k not in values}}
    return render(
        request,
        "annual.html",
        {
            "year": chosen,
            "chosen_by_default": not year,
            "figures": inputs.FIGURES,
            "texts": inputs.TEXTS,
            "form": form,
            "offered": {k for k in texts if k not in values and texts[k]},
            "lock": lock,
            "report": report,
            "formats": list(MEDIA),
        },
    )


@router.post("/{year}")
def save(request: Request, user: OfficeUser, year: int, form: Form) -> Response:
    st = web(request)
    chosen = _year(year, year)
    values = {k: text(form, k) for k in inputs.KEYS if text(form, k) != "" or k in form}
    values = {k: v for k, v in values.items() if v != "" or inputs.KEYS[k].kind == "text"}
    with transaction(st.engine) as session:
        changed = inputs.set_many(session, year=chosen, values=values, source="web",
                                  actor=user.username, now=now_utc())  # fmt: skip
    flash(request, f"已保存 {chosen} 年度报告填报内容（{changed} 项有变化）")
    return RedirectResponse(f"/annual?year={chosen}", status_code=303)


@router.get("/{year}/report.{fmt}")
def download(request: Request, user: OfficeUser, year: int, fmt: str) -> Response:
    st = web(request)
    if fmt not in MEDIA:
        raise InvalidInput(f"未知格式 {fmt}", field="format")
    with transaction(st.engine, write=False) as session:
        report = attach_publication(
            session,
            compute_full(session, year=_year(year, year), agency=st.settings.office.agency_name),
            tz=st.settings.office.timezone,
        )
    content = render_report(report, fmt, st.settings)
    name = f"annual-report-{year}.{fmt}"
    return Response(content, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@router.get("/{year}/template.xlsx")
def template(request: Request, user: OfficeUser, year: int) -> Response:
    st = web(request)
    with tempfile.TemporaryDirectory() as tmp, transaction(st.engine, write=False) as session:
        path = Path(tmp) / "template.xlsx"
        inputs.write_template(
            session, _year(year, year), path, agency=st.settings.office.agency_name
        )
        content = path.read_bytes()
    disposition = f'attachment; filename="annual-{year}-form.xlsx"'
    return Response(content, media_type=MEDIA["xlsx"], headers={"Content-Disposition": disposition})


@router.post("/{year}/template")
def load(request: Request, user: OfficeUser, year: int, form: Form) -> Response:
    st = web(request)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInput("请选择填好的填报表", field="file")
    with tempfile.TemporaryDirectory() as tmp:
        path = saved_upload(upload, Path(tmp), "form.xlsx")
        values = inputs.read_template(path)
    with transaction(st.engine) as session:
        changed = inputs.set_many(session, year=_year(year, year), values=values, source="xlsx",
                                  actor=user.username, now=now_utc())  # fmt: skip
    flash(request, f"已导入填报表：{len(values)} 项，其中 {changed} 项有变化")
    return RedirectResponse(f"/annual?year={year}", status_code=303)


@router.post("/{year}/lock")
def lock(request: Request, user: OfficeUser, year: int, form: Form) -> Response:
    st = web(request)
    with transaction(st.engine) as session:
        report = compute_full(
            session, year=_year(year, year), agency=st.settings.office.agency_name
        )
        row = lock_year(session, report=report, actor=user.username, now=now_utc(),
                        tz=st.settings.office.timezone, address=client_address(request),
                        republish=text(form, "republish") == "1")  # fmt: skip
        digest, corrected = row.sha256, row.supersedes_id is not None
    done = "更正发布" if corrected else "锁定"
    flash(request, f"已{done} {year} 年度报告（SHA-256 {digest[:16]}…）")
    return RedirectResponse(f"/annual?year={year}", status_code=303)
