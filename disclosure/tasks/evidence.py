"""Evidence for a progress note: a file, or a URL with a snapshot of what it returned.

A URL is fetched before the note's transaction (a slow server holds no database lock), read
up to the store's size limit, and kept in the file store with its media type; an unreachable
URL is still recorded, with why no snapshot could be taken (this office's network may not
reach every site; the link is evidence of where the page is).
"""

from __future__ import annotations

import io
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from sqlmodel import Session

from disclosure.casefile import detect
from disclosure.errors import InvalidInput
from disclosure.storage import FileStore
from disclosure.tasks.models import TaskEvidence
from disclosure.vocabulary import EvidenceKind

_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
USER_AGENT = "disclosure-tracker evidence snapshot"


@dataclass
class EvidenceInput:
    """A file to store (`stream` and `name`), or a URL (`url`, fetched into `snapshot`)."""

    kind: EvidenceKind
    name: str = ""
    stream: BinaryIO | None = None
    url: str = ""
    snapshot: bytes | None = None
    media_type: str = ""
    fetched_at: datetime | None = None
    fetch_error: str = ""


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def from_path(path: Path) -> EvidenceInput:
    if not path.is_file():
        raise InvalidInput(f"证明材料文件不存在：{path}", field="evidence")
    stream = path.open("rb")  # its media type is read from its bytes when stored
    return EvidenceInput(EvidenceKind.FILE, name=path.name, stream=stream)


def fetch_url(url: str, *, timeout: float, max_bytes: int, now: datetime) -> EvidenceInput:
    """What `url` returns now (at most `max_bytes`), or the reason it could not be had."""
    if not is_url(url):
        raise InvalidInput(f"网址应以 http:// 或 https:// 开头：{url}", field="evidence")
    ev = EvidenceInput(EvidenceKind.URL, url=url, fetched_at=now)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # http(s) only: is_url
            data = resp.read(max_bytes + 1)
            ev.media_type = resp.headers.get_content_type() or ""
    except urllib.error.HTTPError as exc:
        ev.fetch_error = f"网页返回错误 {exc.code}"
        return ev
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        ev.fetch_error = f"无法访问该网址：{reason}"[:500]
        return ev
    if len(data) > max_bytes:
        ev.fetch_error = f"网页超过大小限制（{max_bytes // (1 << 20)} MB），未保存快照"
        return ev
    ev.snapshot = data
    if ev.media_type == "text/html":
        m = _TITLE.search(data[:65536])
        if m:
            ev.name = _decode(m.group(1)).strip()[:300]
    return ev


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def store_evidence(
    session: Session, store: FileStore, progress_id: int, ev: EvidenceInput, max_bytes: int
) -> TaskEvidence:
    """One evidence row; its file joins the session (a rollback removes it again). A file is
    accepted as a case file's document is (`casefile.detect`: by its bytes, a PDF that opens,
    no programs); a URL's snapshot is kept with the media type the server gave."""
    row = TaskEvidence(
        progress_id=progress_id,
        kind=ev.kind.value,
        name=ev.name[:300],
        url=ev.url,
        media_type=ev.media_type,
        fetched_at=ev.fetched_at,
        fetch_error=ev.fetch_error,
    )
    stream = ev.stream if ev.kind is EvidenceKind.FILE else None
    if ev.snapshot is not None:
        stream = io.BytesIO(ev.snapshot)
    if stream is not None:
        if ev.kind is EvidenceKind.FILE:
            row.name = detect.check_name(ev.name, field="evidence")
        stored = store.put_stream(stream, session=session, max_bytes=max_bytes, field="evidence")
        row.sha256, row.size = stored.sha256, stored.size
        if ev.kind is EvidenceKind.FILE:  # known by its bytes, as a case file's documents are
            if stored.size == 0:
                raise InvalidInput(f"证明材料“{row.name}”是空文件", field="evidence")
            row.media_type = detect.detect(stored.path, field="evidence", name=row.name)
    session.add(row)
    return row
