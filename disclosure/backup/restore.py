"""Putting a backup back (`disclosure restore FILE [--force]`).

Order: hold the restore lock, so that no service starts meanwhile, and refuse while a service
of this installation runs (`disclosure.ops.running`); verify
the whole archive and stage its files; refuse a backup of the other database
kind or of a newer schema than this version knows; refuse a database (or document store)
that already holds data unless `force` — and then first write a backup of what is about to
be replaced (`disclosure-before-restore-…`, never pruned); restore the database, the secret
key and the documents; compare every table's row count with the manifest; migrate an older
schema to this version; record the restore in the (restored) audit log.

The configuration is not put back: the server restored to may need other settings (a new
database address); the archive keeps it under config/ (docs/operations.md).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text
from sqlmodel import Session

from disclosure import audit
from disclosure.backup import database
from disclosure.backup.archive import PRE_RESTORE_PREFIX, backup_dir, verify_backup, write_backup
from disclosure.backup.parts import documents_dir
from disclosure.data_folder import secret_key_path
from disclosure.db import transaction
from disclosure.errors import Conflict, InvalidInput
from disclosure.migrate import alembic_config
from disclosure.ops import running
from disclosure.services.numbering import raise_counter
from disclosure.services.registration import APPLICATION_SERIES
from disclosure.services.setup import ensure_database
from disclosure.settings import Settings
from disclosure.vocabulary import AuditAction, AuditChannel

BACKENDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass
class Restored:
    manifest: dict[str, Any]
    replaced: Path | None  # the backup of what was there before (with --force)
    set_aside: list[Path] = field(default_factory=list)  # folders moved out of the way
    carried: list[str] = field(default_factory=list)  # counters kept past the backup's


def _known_revision(engine: Engine, revision: str | None) -> bool:
    if revision is None:
        return True
    scripts = ScriptDirectory.from_config(alembic_config(engine))
    return revision in {s.revision for s in scripts.walk_revisions()}


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() for p in folder.rglob("*"))


def occupied_text(tables: dict[str, int], docs: Path, has_files: bool) -> str:
    """What the target already holds, in users' terms (no table names): the applications
    and accounts counted, anything else as "其他数据"; "" when it is empty."""
    counted = "、".join(
        f"{label} {tables[name]} {unit}"
        for name, label, unit in (("application", "申请", "件"), ("user", "用户", "个"))
        if tables.get(name)
    )
    if counted and set(tables) - {"application", "user"}:
        counted += "及其他数据"
    out = []
    if tables:
        out.append(f"数据库中已有数据（{counted}）" if counted else "数据库中已有数据")
    if has_files:
        out.append(f"文档库中已有文件（{docs}）")
    return "，".join(out)


def restore_backup(
    engine: Engine, settings: Settings, path: Path, *, force: bool, actor: str, now: datetime
) -> Restored:
    with running.restoring(settings):  # no service starts until this restore is done
        busy = running.refusal(settings, engine)
        if busy:
            raise Conflict(f"{busy}；请先停止网页和提醒服务，再恢复")
        return _restore(engine, settings, path, force=force, actor=actor, now=now)


def _restore(
    engine: Engine, settings: Settings, path: Path, *, force: bool, actor: str, now: datetime
) -> Restored:
    with tempfile.TemporaryDirectory(prefix="disclosure-restore-") as tmp:
        staging = Path(tmp)
        manifest = verify_backup(path, settings, extract_to=staging)
        db = manifest["database"]
        here = database.backend(engine)
        if db["backend"] != here:
            raise InvalidInput(
                f"该备份来自 {BACKENDS.get(db['backend'], db['backend'])} 数据库，"
                f"当前配置的是 {BACKENDS[here]}，不能直接恢复",
                field="file",
            )
        if not _known_revision(engine, db["revision"]):
            raise InvalidInput(
                f"该备份来自更新的版本（数据库结构 {db['revision']}），请先升级本系统再恢复",
                field="file",
            )
        docs = documents_dir(settings)
        present = occupied_text(database.occupied(engine, settings), docs, _has_files(docs))
        replaced = None
        if present:
            if not force:
                raise Conflict(
                    f"目标不是空的：{present}；确需用备份覆盖，请加 "
                    "--force（将先把现有数据另行备份）"
                )
            replaced = write_backup(
                engine, settings, out_dir=backup_dir(settings), now=now, prefix=PRE_RESTORE_PREFIX
            ).path
        with engine.connect() as conn:  # numbers handed out before the restore: never again
            issued = _counters(conn)
        stamp = now.strftime("%Y%m%dT%H%M%SZ")
        staged_db = staging / db["file"]
        aside = None
        if here == "sqlite":
            database.restore_sqlite(engine, staged_db)
        else:
            aside = database.restore_postgres(engine, settings, staged_db, stamp.lower())
        differ = _differences(database.live_counts(engine), db["counts"])
        if differ:
            if aside is not None:  # PostgreSQL: the data it replaced goes back in place
                database.put_back(engine, aside)
            raise Conflict(_mismatch(len(differ), aside is not None, replaced), field="file")
        if aside is not None:
            database.keep_restored(engine, aside)
        result = Restored(manifest, replaced)
        _restore_files(settings, staging, manifest, stamp, result)  # after the data checks out
    ensure_database(engine, settings)  # an older schema is migrated to this version
    with transaction(engine) as session:
        result.carried = _carry(session, issued, settings)
        audit.record(
            session,
            actor=actor,
            action=AuditAction.RESTORED,
            target=path.name,
            details={
                "backup_created_at": manifest.get("created_at"),
                "replaced_copy": str(replaced) if replaced else "",
                "numbers_carried": result.carried,
            },
            via=AuditChannel.CLI,
            now=now,
        )
    return result


def _counters(conn: Connection) -> dict[tuple[str, int], int]:
    """Every counter's last number, by (series, year); none in a database without them."""
    if not inspect(conn).has_table("counter"):  # a database of another program, say
        return {}
    rows = conn.execute(text("SELECT series, year, last FROM counter"))
    return {(str(series), int(year)): int(last) for series, year, last in rows}


def _carry(session: Session, issued: dict[tuple[str, int], int], settings: Settings) -> list[str]:
    """Raise each restored counter to where it stood before the restore: a number handed out
    after the backup (on a receipt, in a letter's 文号) is not handed out a second time."""
    restored = _counters(session.connection())
    carried = []
    for (series, year), last in sorted(issued.items()):
        if restored.get((series, year), 0) < last:
            raise_counter(session, series=series, year=year, to=last)
            carried.append(f"{year} 年{_series_label(series, settings)}自 {last + 1} 号起")
    return carried


def _series_label(series: str, settings: Settings) -> str:
    if series == APPLICATION_SERIES:
        return "登记编号"
    word = settings.letters.series.get(series.removeprefix("letter:"), series)
    return f"“{word}”文号"


def _differences(live: dict[str, int], listed: dict[str, int]) -> list[str]:
    return sorted(k for k in set(live) | set(listed) if live.get(k) != listed.get(k))


def _mismatch(n: int, put_back: bool, replaced: Path | None) -> str:
    """The refusal when the restored rows do not match the manifest, saying what is there."""
    said = f"恢复后的数据与备份清单不符（{n} 类数据的条数不一致），该备份不能使用"
    if put_back:
        return said + "；数据库已还原为恢复前的数据，未作任何改动"
    if replaced is not None:
        return said + f"；恢复前的数据已另行备份于 {replaced}，可用它恢复"
    return said


def _restore_files(
    settings: Settings, staging: Path, manifest: dict[str, Any], stamp: str, result: Restored
) -> None:
    parts = {p["name"]: p for p in manifest.get("parts", [])}
    if "secret_key" in parts:
        staged = next((staging / "secret_key").iterdir())
        target = secret_key_path(settings)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(staged, 0o600)
        shutil.move(str(staged), str(target))
    if "documents" in parts:
        docs = documents_dir(settings)
        if docs.exists():
            aside = docs.with_name(f"{docs.name}.before-restore-{stamp}")
            n = 1
            while aside.exists():  # a second restore within the same second keeps both
                n += 1
                aside = docs.with_name(f"{docs.name}.before-restore-{stamp}-{n}")
            docs.rename(aside)
            result.set_aside.append(aside)
        docs.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging / "documents"), str(docs))
