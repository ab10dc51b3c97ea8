"""The file store: content-addressed by SHA-256, so the same bytes are stored once.

Files live under the store's root as ``ab/cd/abcd…`` (the hex digest). A file is written to a
temporary name, flushed to disk and then moved into place, so a reader never sees half a file
and a crash leaves at most a temporary file behind (removed by `FileStore.sweep`).

Writes join the caller's database transaction: `put(…, session=s)` remembers the files it
created in that session, and a rollback of the session removes them again, so a failed
mutation leaves no orphan file. (Bytes that were already stored are never removed.)
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from disclosure.errors import Conflict, InvalidInput
from disclosure.settings import Settings

CHUNK = 1 << 20  # bytes read at a time: memory stays flat whatever the file's size
_NEW_FILES = "disclosure_storage_new_files"


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int
    path: Path
    created: bool  # False when the same bytes were stored before


def file_store(settings: Settings) -> FileStore:
    """The office's store (`[documents] dir`, relative to the config file's folder)."""
    return FileStore(settings.resolve(settings.documents.dir))


class FileStore:
    """A folder of files named by their SHA-256 (see the module docstring)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise InvalidInput("文件摘要格式不正确", field="sha256")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, data: bytes, *, session: Session | None = None) -> Stored:
        """Store `data`; see `put_stream`."""
        return self.put_stream(io.BytesIO(data), session=session)

    def put_stream(
        self,
        stream: BinaryIO,
        *,
        session: Session | None = None,
        max_bytes: int | None = None,
        field: str = "file",
    ) -> Stored:
        """Store what `stream` holds, reading it in chunks.

        More than `max_bytes` raises `InvalidInput` naming `field`, and nothing is kept. With
        `session`, a file this call created is removed again if the session rolls back.
        """
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="put-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise InvalidInput(
                            f"文件超过大小限制（{max_bytes // (1 << 20)} MB）", field=field
                        )
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            final = self.path(sha)
            if final.is_file():
                tmp.unlink()
                return Stored(sha, size, final, created=False)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, final)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        if session is not None:
            _remember(session, final)
        return Stored(sha, size, final, created=True)

    def read(self, sha256: str) -> bytes:
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise self.missing(sha256) from None

    def open(self, sha256: str) -> BinaryIO:
        try:
            return self.path(sha256).open("rb")
        except FileNotFoundError:
            raise self.missing(sha256) from None

    def missing(self, sha256: str, what: str = "") -> Conflict:
        """The error for a stored file that is not there (`what`: e.g. "文书 X 的存档文件").

        A store folder that does not exist at all is most often the wrong folder, not a loss:
        a relative `documents.dir` is read against the config file's folder, and without a
        config file against the current one."""
        name = what or "存储的文件"
        if not self.root.is_dir():
            return Conflict(
                f"找不到{name}：文件库目录 {self.root} 不存在。请在本机关的工作目录中运行，"
                "或用 --config 指定配置文件（配置项 documents.dir 的相对路径按配置文件所在"
                "目录解析）；确已丢失的，请从备份恢复文件库",
                field="documents.dir",
            )
        return Conflict(
            f"{name}缺失（文件库 {self.root} 中没有 {sha256[:12]}…），请从备份恢复文件库",
            field="documents.dir",
        )

    def verify(self, sha256: str) -> bool:
        """True when the stored file still has the digest it is named by."""
        digest = hashlib.sha256()
        with self.open(sha256) as f:
            while chunk := f.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest() == sha256

    def digests(self) -> Iterator[str]:
        """Every stored digest (for backups and checks)."""
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if len(first.name) != 2 or not first.is_dir():
                continue
            for second in sorted(first.iterdir()):
                for f in sorted(second.iterdir()):
                    if len(f.name) == 64:
                        yield f.name

    def sweep(self) -> int:
        """Remove temporary files left by a crash; returns how many."""
        tmp_dir = self.root / "tmp"
        removed = 0
        if tmp_dir.is_dir():
            for f in tmp_dir.iterdir():
                f.unlink(missing_ok=True)
                removed += 1
        return removed


def _remember(session: Session, path: Path) -> None:
    """Remove `path` if `session` rolls back; forget it once the session commits."""
    if not session.in_transaction():
        session.begin()  # so that a rollback without any statement is still seen
    created: list[Path] | None = session.info.get(_NEW_FILES)
    if created is None:
        created = session.info[_NEW_FILES] = []
        # Listeners stay for the session's life (removing them while they run is not
        # allowed); with nothing remembered they do nothing.
        event.listen(session, "after_soft_rollback", _undo)
        event.listen(session, "after_commit", _forget)
    created.append(path)


def _undo(session: Session, previous: SessionTransaction) -> None:
    if previous.nested or previous.parent is not None:
        return  # a savepoint: the outer transaction may still commit
    created: list[Path] = session.info.get(_NEW_FILES, [])
    for path in created:
        path.unlink(missing_ok=True)
    created.clear()


def _forget(session: Session) -> None:
    session.info.get(_NEW_FILES, []).clear()
