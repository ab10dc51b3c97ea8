"""The case file on the application page: documents (upload, preview, download), service of
letters, and the archive package. Every route sits behind `AuthorizedNumber`, and a document
or volume is looked up *within* that application, so another department's file answers 404
like a missing one, also when its id is guessed."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from disclosure.casefile import detect
from disclosure.casefile.archive import archive_case, read_volume, volumes_of
from disclosure.casefile.documents import Upload, attach, get_document
from disclosure.casefile.service_records import ServiceInput, serve_letter, unserved_reply_warning
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import InvalidInput, NotFound, PermissionDenied
from disclosure.models import Role, User
from disclosure.services.context import Context
from disclosure.services.lookup import get_application
from disclosure.storage import file_store
from disclosure.vocabulary import DocumentKind
from disclosure.web.deps import AuthorizedNumber, CurrentUser, web
from disclosure.web.forms import Form, optional_date, optional_int, text, values
from disclosure.web.render import flash
from disclosure.web.routes.applications import _detail_page

router = APIRouter(prefix="/applications")


def _upload(form: FormData, name: str) -> UploadFile | None:
    value = form.get(name)
    if isinstance(value, UploadFile) and value.filename:
        return value
    return None


def _back(number: str, anchor: str) -> RedirectResponse:
    return RedirectResponse(f"/applications/{number}#{anchor}", status_code=303)


def _rerender(request: Request, user: User, number: str, action: str, form: FormData) -> None:
    shown = values(form)
    request.state.rerender = lambda errors, status: _detail_page(
        request, user, number, errors, action, shown, status
    )


@router.post("/{number}/documents")
def upload(request: Request, number: AuthorizedNumber, user: CurrentUser, form: Form) -> Response:
    st = web(request)
    _rerender(request, user, number, "document", form)
    file = _upload(form, "file")
    if file is None:
        raise InvalidInput("请选择要上传的文件", field="file")
    event_id = optional_int(text(form, "event"), "event", minimum=1)
    item = Upload(
        file.file,
        file.filename or "",
        text(form, "kind"),
        event_id,
        text(form, "note"),
        text(form, "releasable") == "1",
    )
    with transaction(st.engine) as session:
        ctx = Context(st.offices.load(session), st.today(), user.username, now_utc())
        doc = attach(session, ctx=ctx, number=number, upload=item)
        label = DocumentKind(doc.kind).label
    flash(request, f"已上传：{label} {doc.original_name}")
    return _back(number, "documents")


@router.get("/{number}/documents/{document_id}")
def document_file(
    request: Request, number: AuthorizedNumber, document_id: int, download: int = 0
) -> Response:
    """The stored bytes with the detected type; PDFs and images inline unless `download`."""
    st = web(request)
    with transaction(st.engine, write=False) as session:
        app = get_application(session, number)
        doc = get_document(session, document_id, application_id=app.id)
    inline = doc.media_type in detect.PREVIEWABLE and not download
    name = doc.original_name
    disposition = f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(name)}"
    headers = {
        "Content-Disposition": disposition,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, max-age=0",
    }
    if inline:
        # The application page previews PDFs and images in a frame of this site: the file may
        # be framed by the site itself, never by another one, and runs nothing of its own.
        headers["Content-Security-Policy"] = PREVIEW_CSP
        headers["X-Frame-Options"] = "SAMEORIGIN"
    return FileResponse(
        file_store(st.settings).path(doc.sha256), media_type=doc.media_type, headers=headers
    )


PREVIEW_CSP = "default-src 'none'; img-src 'self'; object-src 'self'; frame-ancestors 'self'"


@router.post("/{number}/service")
def record_service(
    request: Request, number: AuthorizedNumber, user: CurrentUser, form: Form
) -> Response:
    st = web(request)
    _rerender(request, user, number, "serve", form)
    proof = _upload(form, "proof")
    item = ServiceInput(
        letter=text(form, "letter"),
        method=text(form, "method") or None,
        on=optional_date(form, "date"),
        tracking=text(form, "tracking") or None,
        signed=optional_date(form, "signed"),
        proof=Upload(proof.file, proof.filename or "", "service_proof") if proof else None,
        corrects=optional_int(text(form, "corrects"), "corrects", minimum=1),
        note=text(form, "note"),
    )
    with transaction(st.engine) as session:
        office = st.offices.load(session)
        ctx = Context(office, st.today(), user.username, now_utc())
        rec, _state = serve_letter(session, ctx=ctx, number=number, service=item)
        note = rec.note
    flash(request, f"已记录送达：{note}")
    return _back(number, "service")


@router.post("/{number}/archive")
def make_archive(
    request: Request, number: AuthorizedNumber, user: CurrentUser, form: Form
) -> Response:
    if user.role == Role.DEPARTMENT.value:
        raise PermissionDenied("部门经办人不能归档", field="role")
    st = web(request)
    _rerender(request, user, number, "archive", form)
    with transaction(st.engine) as session:
        office = st.offices.load(session)
        result = archive_case(
            session,
            ctx=Context(office, st.today(), user.username, now_utc()),
            number=number,
            note=text(form, "note"),
        )
        v = result.volume
        unserved = unserved_reply_warning(session, get_application(session, number))
    label = "正卷" if v.volume == 0 else f"补充卷 {v.volume}"
    flash(request, f"{label}{'已生成' if result.created else '无变化'}：{v.pages} 页")
    if unserved:
        flash(request, unserved, "warn")
    return _back(number, "archive")


@router.get("/{number}/archive/{volume}.{ext}")
def archive_file(request: Request, number: AuthorizedNumber, volume: int, ext: str) -> Response:
    st = web(request)
    if ext not in ("pdf", "zip"):
        raise NotFound("页面不存在", field="ext")
    with transaction(st.engine, write=False) as session:
        app = get_application(session, number)
        found = [v for v in volumes_of(session, app.id) if v.volume == volume]  # type: ignore[arg-type]
    if not found or (ext == "zip" and not found[0].zip_sha256):
        raise NotFound(f"申请 {number} 没有该卷", field="volume")
    result = read_volume(file_store(st.settings), found[0], number)
    base = f"{number}-案卷" + ("" if volume == 0 else f"-补充卷{volume}")
    data, media = (result.pdf, detect.PDF) if ext == "pdf" else (result.zip, "application/zip")
    return Response(
        data,
        media_type=media,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(base + '.' + ext)}",
            "X-Content-Type-Options": "nosniff",
        },
    )
