"""Writing and verifying backup archives.

An archive is a gzip-compressed tar (readable with the standard `tar`) holding:

    database/disclosure.sqlite | database/disclosure.pgdump
    secret_key, documents/…, config/<name>.toml     (the parts present: backup.parts)
    manifest.json     format, time, database backend and schema revision, row counts per
                      table, and the size and SHA-256 of every file above
    manifest.sha256   the SHA-256 of manifest.json

It is written under a temporary name with mode 0600 (it holds the secret key and personal
data), renamed into place when complete, and verified before it counts as a good backup.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from sqlalchemy import Engine

from disclosure.backup import database
from disclosure.backup.parts import backup_parts
from disclosure.errors import InvalidInput
from disclosure.settings import Settings

FORMAT = "disclosure-tracker-backup"
VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"
BACKUP_PREFIX = "disclosure-backup-"
PRE_RESTORE_PREFIX = "disclosure-before-restore-"
SUFFIX = ".tar.gz"
COMPRESSLEVEL = 1  # SQLite pages compress 4-5x even at level 1; higher levels cost CPU
CHUNK = 1024 * 1024
MAX_MANIFEST = 64 * 1024 * 1024
log = logging.getLogger(__name__)
BAD = "备份文件已损坏或不是本系统的备份"


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    sha256: str  # of the archive file itself
    manifest: dict[str, Any]

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.manifest["database"]["counts"])


def backup_dir(settings: Settings) -> Path:
    return settings.resolve(settings.backup.dir)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


class _Hashing(io.RawIOBase):
    """Reads through to `raw`, hashing what tarfile reads."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(datetime.now().timestamp())
    return info


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str, files: dict[str, Any]) -> None:
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        reader = _Hashing(fh)
        tar.addfile(_info(arcname, size), reader)
    files[arcname] = {"sha256": reader.digest.hexdigest(), "size": reader.size}


def _add_bytes(tar: tarfile.TarFile, arcname: str, data: bytes) -> None:
    tar.addfile(_info(arcname, len(data)), io.BytesIO(data))


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            path = Path(root) / name
            if path.is_file() and not path.is_symlink():
                yield path


def _final_name(out_dir: Path, prefix: str, now: datetime) -> Path:
    stem = f"{prefix}{now.strftime('%Y%m%dT%H%M%SZ')}"
    path, n = out_dir / f"{stem}{SUFFIX}", 1
    while path.exists():
        n += 1
        path = out_dir / f"{stem}-{n}{SUFFIX}"
    return path


def write_backup(
    engine: Engine, settings: Settings, *, out_dir: Path, now: datetime, prefix: str = BACKUP_PREFIX
) -> Backup:
    """Write an archive of this installation into `out_dir` and verify it."""
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    final = _final_name(out_dir, prefix, now)
    partial = out_dir / f".{final.name}.partial"
    files: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".staging-") as tmp:
        dump = database.dump(engine, settings, Path(tmp))
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with (
                os.fdopen(fd, "wb") as raw,
                tarfile.open(fileobj=raw, mode="w:gz", compresslevel=COMPRESSLEVEL) as tar,
            ):
                _add_file(tar, dump.path, dump.arcname, files)
                parts = []
                for part in backup_parts(settings):
                    parts.append({"name": part.name, "kind": part.kind, "restore": part.restore})
                    if part.kind == "file":
                        _add_file(tar, part.path, f"{part.name}/{part.path.name}", files)
                    else:
                        for path in _walk(part.path):
                            rel = path.relative_to(part.path).as_posix()
                            _add_file(tar, path, f"{part.name}/{rel}", files)
                manifest = {
                    "format": FORMAT,
                    "version": VERSION,
                    "created_at": now.isoformat(),
                    "database": {
                        "backend": dump.backend,
                        "file": dump.arcname,
                        "revision": dump.revision,
                        "counts": dump.counts,
                    },
                    "parts": parts,
                    "files": files,
                }
                body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                _add_bytes(tar, MANIFEST, body)
                _add_bytes(tar, MANIFEST_SUM, (hashlib.sha256(body).hexdigest() + "\n").encode())
                tar.close()  # writes the end of the archive and the gzip trailer
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
    checked = verify_backup(final, settings)
    return Backup(final, final.stat().st_size, _sha256_file(final), checked)


def _safe_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in name:
        raise InvalidInput(f"{BAD}：不允许的路径 {name!r}", field="file")
    return path.as_posix()


def _stream(member: IO[bytes], target: Path | None) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    out = target.open("wb") if target is not None else None
    try:
        for block in iter(lambda: member.read(CHUNK), b""):
            digest.update(block)
            size += len(block)
            if out is not None:
                out.write(block)
    finally:
        if out is not None:
            out.close()
    return digest.hexdigest(), size


def verify_backup(
    path: Path, settings: Settings, *, extract_to: Path | None = None
) -> dict[str, Any]:
    """Check an archive end to end and return its manifest; InvalidInput(field="file") if
    anything is missing, extra, altered or unreadable. Files are extracted into
    `extract_to` when given (the database always, to check it, into a temporary folder)."""
    if not path.is_file():
        raise InvalidInput(f"备份文件不存在：{path}", field="file")
    with tempfile.TemporaryDirectory(prefix="disclosure-verify-") as tmp:
        staging = extract_to or Path(tmp)
        try:
            seen, body, body_sum = _read_members(path, staging, extract_all=extract_to is not None)
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            # the library's words (English) stay in the log; the user reads Chinese only
            log.info("backup %s unreadable: %s", path, exc)
            raise InvalidInput(f"{BAD}（无法解压或读取）", field="file") from exc
        manifest = _check_manifest(body, body_sum, seen)
        db = manifest["database"]
        db_path = staging / db["file"]
        if db["backend"] == "sqlite":
            database.check_sqlite(db_path)
            if database.sqlite_counts(db_path) != db["counts"]:
                raise InvalidInput(f"{BAD}：数据库行数与清单不符", field="file")
        else:
            database.check_pg_dump(settings, db_path)
    return manifest


def _read_members(
    path: Path, staging: Path, *, extract_all: bool
) -> tuple[dict[str, tuple[str, int]], bytes | None, bytes | None]:
    seen: dict[str, tuple[str, int]] = {}
    body = body_sum = None
    with tarfile.open(path, mode="r|gz") as tar:
        for member in tar:
            if member.isdir():
                continue
            name = _safe_name(member.name)
            if not member.isfile():
                raise InvalidInput(f"{BAD}：含有不允许的条目 {name!r}", field="file")
            fh = tar.extractfile(member)
            assert fh is not None
            if name in (MANIFEST, MANIFEST_SUM):
                data = fh.read(MAX_MANIFEST + 1)
                if len(data) > MAX_MANIFEST:
                    raise InvalidInput(f"{BAD}：清单过大", field="file")
                body, body_sum = (data, body_sum) if name == MANIFEST else (body, data)
                continue
            if name in seen:
                raise InvalidInput(f"{BAD}：重复的条目 {name!r}", field="file")
            target = None
            if extract_all or name.startswith("database/"):
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
            seen[name] = _stream(fh, target)
    return seen, body, body_sum


def _check_manifest(
    body: bytes | None, body_sum: bytes | None, seen: dict[str, tuple[str, int]]
) -> dict[str, Any]:
    if body is None or body_sum is None:
        raise InvalidInput(f"{BAD}：缺少清单 {MANIFEST}", field="file")
    if hashlib.sha256(body).hexdigest() != body_sum.decode("ascii", "replace").strip():
        raise InvalidInput(f"{BAD}：清单的校验值不符", field="file")
    try:
        manifest = json.loads(body)
        files = manifest["files"]
        db = manifest["database"]
        ok = manifest["format"] == FORMAT and isinstance(files, dict) and db["file"] in files
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(f"{BAD}：清单无法读取", field="file") from exc
    if not ok or manifest.get("version") != VERSION:
        raise InvalidInput(f"{BAD}：清单格式或版本不符", field="file")
    missing = sorted(set(files) - set(seen))
    extra = sorted(set(seen) - set(files))
    if missing or extra:
        which = "缺少" if missing else "多出"
        raise InvalidInput(f"{BAD}：{which}文件 {(missing or extra)[0]}", field="file")
    for name, (digest, size) in seen.items():
        if files[name].get("sha256") != digest or files[name].get("size") != size:
            raise InvalidInput(f"{BAD}：{name} 的 SHA-256 与清单不符", field="file")
    return dict(manifest)


def prune(out_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups (named by time) in `out_dir`; returns them.
    Copies kept by a restore (`PRE_RESTORE_PREFIX`) are never deleted here."""
    found = sorted(out_dir.glob(f"{BACKUP_PREFIX}*{SUFFIX}"), key=lambda p: p.name)
    doomed = found[: max(0, len(found) - keep)]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed
