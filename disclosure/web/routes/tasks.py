"""The key-task ledger on the web: list, detail, progress with evidence, done, import, review.

Department users see and update only the tasks their department leads or cooperates on
(`disclosure.tasks.service.visible`); another department's task answers 404 like a missing
one. Import, review and export are the office's.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import InvalidInput
from disclosure.services.departments import find_department, list_departments
from disclosure.storage import file_store
from disclosure.tasks import service
from disclosure.tasks.evidence import EvidenceInput, fetch_url
from disclosure.tasks.importer import import_plan
from disclosure.tasks.review import review_year
from disclosure.vocabulary import EvidenceKind, TaskStatus
from disclosure.web.deps import CurrentUser, OfficeUser, department_scope, web
from disclosure.web.forms import Form, optional_date, saved_upload, text
from disclosure.web.integrations import XLSX
from disclosure.web.render import flash, render

router = APIRouter(prefix="/tasks")


@router.get("")
def tasks_page(
    request: Request, user: CurrentUser, status: str = "", department: str = "", year: str = ""
) -> Response:
    st = web(request)
    scope = department_scope(user)
    with transaction(st.engine, write=False) as session:
        dep = find_department(session, department, "department") if department else None
        chosen = int(year) if year.isdigit() else None
        rows = service.list_tasks(session, scope=scope, year=chosen, department=dep,
                                  status=status or None)  # fmt: skip
        deps = [(d.code, d.name) for d in list_departments(session)]
    return render(
        request,
        "tasks.html",
        {
            "rows": rows,
            "statuses": list(TaskStatus.labels().items()),
            "departments": deps,
            "form": {"status": status, "department": department, "year": year},
            "year": st.today().year,
        },
    )


@router.get("/export.xlsx")
def export(request: Request, user: OfficeUser, year: str = "") -> Response:
    from disclosure.tasks.ledger_xlsx import write_ledger

    st = web(request)
    chosen = int(year) if year.isdigit() else None
    with transaction(st.engine, write=False) as session:
        tasks = service.list_tasks(session, year=chosen)
        views = service.views(session, [service.get_task(session, t["id"]) for t in tasks],
                              progress=True)  # fmt: skip
    label = f"{chosen}年度" if chosen else ""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tasks.xlsx"
        write_ledger(
            views, path, title=f"{st.settings.office.agency_name}{label}政务公开工作重点任务台账"
        )
        content = path.read_bytes()
    name = f"key-tasks-{chosen or 'all'}.xlsx"
    return Response(content, media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@router.get("/evidence/{evidence_id}")
def evidence(request: Request, user: CurrentUser, evidence_id: int) -> Response:
    st = web(request)
    with transaction(st.engine, write=False) as session:
        ev = service.evidence_file(session, evidence_id, department_scope(user))
    data = file_store(st.settings).read(ev.sha256)  # type: ignore[arg-type]
    name = (ev.name or "evidence").replace('"', "")
    disposition = f"attachment; filename*=UTF-8''{_quote(name)}"
    media = ev.media_type or "application/octet-stream"
    return Response(data, media_type=media, headers={"Content-Disposition": disposition})


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@router.get("/{ref}")
def task_page(request: Request, user: CurrentUser, ref: str) -> Response:
    st = web(request)
    scope = department_scope(user)
    with transaction(st.engine, write=False) as session:
        view = service.task_view(session, service.task_id_of(session, ref), scope)
    return render(request, "task.html", {"t": view})


def _evidence_items(form, st) -> list[EvidenceInput]:  # type: ignore[no-untyped-def]
    items: list[EvidenceInput] = []
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        items.append(EvidenceInput(EvidenceKind.FILE, name=upload.filename, stream=upload.file))
    url = text(form, "url")
    if url:
        limit = st.settings.documents.max_mb << 20
        timeout = st.settings.tasks.url_timeout
        items.append(fetch_url(url, timeout=timeout, max_bytes=limit, now=now_utc()))
    return items


@router.post("/{task_id}/progress")
def progress(request: Request, user: CurrentUser, task_id: int, form: Form) -> Response:
    """A progress note (or, with done=1, the closing one); the URL is fetched first."""
    st = web(request)
    items = _evidence_items(form, st)
    with transaction(st.engine) as session:
        on = optional_date(form, "date") or st.today()
        author = user.display_name or user.username
        kw: dict[str, Any] = dict(store=file_store(st.settings), author=author,
                  today=st.today(), now=now_utc(), scope=department_scope(user),
                  max_bytes=st.settings.documents.max_mb << 20, evidence=items,
                  department_id=user.department_id)  # fmt: skip
        if text(form, "done") == "1":
            service.mark_done(session, task_id=task_id, on=on, note=text(form, "note"), **kw)
        else:
            service.add_progress(session, task_id=task_id, note=text(form, "note"), on=on, **kw)
    failed = [i.fetch_error for i in items if i.fetch_error]
    flash(request, "已记录进展" + (f"；网页快照未保存：{failed[0]}" if failed else ""))
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)


@router.post("/import")
def import_page(request: Request, user: OfficeUser, form: Form) -> Response:
    st = web(request)
    upload = form.get("file")
    year = text(form, "year")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInput("请选择分工方案文件", field="file")
    if not year.isdigit():
        raise InvalidInput("请填写年度", field="year")
    suffix = Path(upload.filename).suffix.lower()
    with tempfile.TemporaryDirectory() as tmp:
        path = saved_upload(upload, Path(tmp), f"plan{suffix}")
        with transaction(st.engine) as session:
            create = text(form, "create_departments") == "1"
            result = import_plan(session, path=path, year=int(year), settings=st.settings,
                                 today=st.today(), actor=user.username, now=now_utc(),
                                 dry_run=text(form, "dry_run") == "1",
                                 create_departments=create)  # fmt: skip
    if not result.ok or result.dry_run:
        return render(request, "tasks_import.html", {"result": result},
                      status_code=200 if result.ok else 422)  # fmt: skip
    flash(request, f"已导入 {result.imported} 项重点任务")
    return RedirectResponse(f"/tasks?year={year}", status_code=303)


@router.post("/review")
def review(request: Request, user: OfficeUser, form: Form) -> Response:
    st = web(request)
    year = text(form, "year")
    if not year.isdigit():
        raise InvalidInput("请填写年度", field="year")
    with transaction(st.engine) as session:
        result = review_year(session, year=int(year), due_on=optional_date(form, "due"),
                             today=st.today(), actor=user.username, now=now_utc())  # fmt: skip
    flash(request, f"回头看：转入 {year} 年度整改 {len(result.created)} 项")
    return RedirectResponse(f"/tasks?year={year}", status_code=303)
