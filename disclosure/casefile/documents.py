"""Documents of an application: attach (bytes into the file store, a row, an event), list, get.

`attach` is one transaction's work: the bytes are streamed into the store with the caller's
session (a rollback removes a file this call created), the media type is detected from the
stored bytes, and the `document` row and its DOCUMENT_ATTACHED event are added. Any refusal
raises before the commit, so nothing of a refused upload remains, neither row nor file.
Documents can be attached at any stage, also after the reply (a service proof comes back
later): the event moves no deadline.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, BinaryIO

from sqlmodel import Session, col, select

from disclosure.casefile import detect
from disclosure.casefile.models import Document
from disclosure.errors import Conflict, InvalidInput, NotFound
from disclosure.models import Application, EventRecord
from disclosure.services.context import Context
from disclosure.services.lookup import get_application
from disclosure.storage import FileStore, file_store
from disclosure.vocabulary import DocumentKind, EventKind

LIST_BATCH = 500  # rows fetched at a time when listing (memory stays flat)


def document_kind(value: str, *, field: str = "kind") -> DocumentKind:
    try:
        return DocumentKind(value.strip())
    except ValueError as exc:
        raise InvalidInput(
            f"未知的材料种类 {value!r}；可用：{DocumentKind.choices()}", field=field
        ) from exc


def append_event(
    session: Session,
    app: Application,
    kind: EventKind,
    on: date,
    *,
    actor: str,
    now: datetime,
    party: str | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> EventRecord:
    """Append one case-file event (no deadline depends on these kinds)."""
    rec = EventRecord(
        application_id=app.id,  # type: ignore[arg-type]
        kind=kind.value,
        on=on,
        party=party,
        note=note,
        data=data or {},
        actor=actor,
        recorded_at=now,
    )
    session.add(rec)
    session.flush()
    return rec


@dataclass(frozen=True)
class Upload:
    """One file to attach: its bytes (a stream read once) and the name it came with."""

    stream: BinaryIO
    name: str
    kind: str
    event_id: int | None = None
    note: str = ""
    releasable: bool = False


def attach(
    session: Session,
    *,
    ctx: Context,
    number: str,
    upload: Upload,
    store: FileStore | None = None,
    app: Application | None = None,
) -> Document:
    """Attach `upload` to application `number`; see the module docstring."""
    settings, today, actor, now = ctx.office.settings, ctx.today, ctx.actor, ctx.now
    app = app or get_application(session, number, lock=True)
    kind = document_kind(upload.kind)
    name = detect.check_name(upload.name)
    if upload.event_id is not None:
        event = session.get(EventRecord, upload.event_id)
        if event is None or event.application_id != app.id:
            raise InvalidInput(f"事件 {upload.event_id} 不属于申请 {app.number}", field="event")
    store = store or file_store(settings)
    stored = store.put_stream(
        upload.stream, session=session, max_bytes=settings.documents.max_mb << 20, field="file"
    )
    if stored.size == 0:
        raise InvalidInput("文件为空", field="file")
    _not_again(session, app, kind, stored.sha256, upload.event_id)
    media_type = detect.detect(stored.path, name=name)
    doc = Document(
        application_id=app.id,  # type: ignore[arg-type]
        event_id=upload.event_id,
        kind=kind.value,
        original_name=name,
        media_type=media_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=actor,
        uploaded_at=now,
        releasable=upload.releasable,
        note=upload.note.strip(),
    )
    session.add(doc)
    session.flush()
    append_event(
        session,
        app,
        EventKind.DOCUMENT_ATTACHED,
        today,
        actor=actor,
        now=now,
        note=f"{kind.label}：{name}",
        data={
            "document_id": doc.id,
            "document_kind": kind.value,
            "sha256": stored.sha256,
            "for_event": upload.event_id,
        },
    )
    return doc


def _not_again(
    session: Session, app: Application, kind: DocumentKind, sha256: str, event_id: int | None
) -> None:
    """The same file as the same kind of material (for the same step) once per application:
    a scan uploaded twice would be listed twice in the 卷内目录. The same proof of service for
    two letters (posted in one envelope) is two uploads for two steps, and allowed."""
    same = session.exec(
        select(Document).where(
            Document.application_id == app.id,
            Document.sha256 == sha256,
            Document.kind == kind.value,
            col(Document.event_id).is_(None) if event_id is None else Document.event_id == event_id,
        )
    ).first()
    if same is not None:
        raise Conflict(
            f"同一文件已作为“{kind.label}”上传过（{same.original_name}），未重复上传",
            field="file",
        )


def documents_of(session: Session, application_id: int) -> Iterator[Document]:
    """The application's documents in upload order, fetched in batches (keyset by id)."""
    last = 0
    while True:
        stmt = (
            select(Document)
            .where(Document.application_id == application_id, col(Document.id) > last)
            .order_by(col(Document.id))
            .limit(LIST_BATCH)
        )
        rows = list(session.exec(stmt))
        if not rows:
            return
        for row in rows:
            session.expunge(row)  # keep the identity map (and memory) from growing
            yield row
        last = rows[-1].id  # type: ignore[assignment]


def get_document(
    session: Session, document_id: int, *, application_id: int | None = None
) -> Document:
    """The document `document_id`; with `application_id`, only if it belongs to that one
    (another application's document is reported as missing, exactly like an unknown id)."""
    doc = session.get(Document, document_id)
    if doc is None or (application_id is not None and doc.application_id != application_id):
        raise NotFound(f"没有编号为 {document_id} 的材料", field="id")
    return doc


def as_dict(doc: Document, number: str | None = None) -> dict[str, Any]:
    kind = DocumentKind(doc.kind)
    out: dict[str, Any] = {
        "id": doc.id,
        "kind": doc.kind,
        "kind_label": kind.label,
        "name": doc.original_name,
        "media_type": doc.media_type,
        "media_label": detect.label(doc.media_type),
        "size": doc.size,
        "sha256": doc.sha256,
        "event_id": doc.event_id,
        "uploaded_by": doc.uploaded_by,
        "uploaded_at": doc.uploaded_at.isoformat(),
        "releasable": doc.releasable,
        "note": doc.note,
    }
    if number is not None:
        out["number"] = number
    return out
