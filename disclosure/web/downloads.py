"""A document the office hands out: the .docx response, and its line in the audit log."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response
from sqlmodel import Session

from disclosure import audit
from disclosure.vocabulary import AuditAction
from disclosure.web.deps import client_address
from disclosure.web.integrations import DOCX


def docx_download(name: str, content: bytes) -> Response:
    """A .docx as a download named `name`."""
    return Response(
        content,
        media_type=DOCX,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


def log_download(session: Session, request: Request, actor: str, number: str, name: str) -> None:
    """Record in the caller's transaction that `actor` downloaded file `name` of `number`."""
    audit.record(
        session,
        actor=actor,
        action=AuditAction.DOCUMENT_DOWNLOADED,
        target=number,
        details={"file": name},
        address=client_address(request),
    )
