"""The database part of a backup: a consistent copy while the service runs, its check, its
row counts, and putting it back.

- SQLite: `sqlite3.Connection.backup` in one step copies every page inside one read
  transaction, so the copy is the database as of that moment; in WAL mode writers go on
  meanwhile. The copy is switched to a single self-contained file (journal_mode=DELETE) and
  checked with `PRAGMA integrity_check`.
- PostgreSQL: a REPEATABLE READ transaction exports its snapshot; the row counts are taken in
  it and `pg_dump --snapshot` dumps exactly that snapshot (custom format), so the manifest's
  counts describe the dump. Restoring renames the current `public` schema aside, restores
  into a new one in a single transaction, and drops the old one only when that succeeded.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.engine import make_url

from disclosure.db import database_url
from disclosure.errors import ConfigError, InvalidInput
from disclosure.settings import Settings

SQLITE_FILE = "database/disclosure.sqlite"
PG_FILE = "database/disclosure.pgdump"
SKIP_TABLES = frozenset({"alembic_version"})


@dataclass(frozen=True)
class Dump:
    backend: str  # "sqlite" | "postgresql"
    path: Path
    arcname: str
    revision: str | None
    counts: dict[str, int]


def backend(engine: Engine) -> str:
    return "sqlite" if engine.dialect.name == "sqlite" else "postgresql"


def sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise ConfigError("内存数据库无法备份", field="database")
    return Path(database)


# --- SQLite -----------------------------------------------------------------------------


def sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        counts = {
            n: int(conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0])
            for n in names
            if n not in SKIP_TABLES
        }
    conn.close()
    return counts


def sqlite_revision(path: Path) -> str | None:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        row = None
    finally:
        conn.close()
    return str(row[0]) if row else None


def check_sqlite(path: Path) -> None:
    """`PRAGMA integrity_check` of a copy; InvalidInput when it is not a sound database."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(f"备份中的数据库已损坏：{exc}", field="file") from exc
    if result != ["ok"]:
        raise InvalidInput(f"备份中的数据库已损坏：{'；'.join(result[:3])}", field="file")


def dump_sqlite(engine: Engine, target_dir: Path) -> Dump:
    target = target_dir / SQLITE_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(sqlite_path(engine), timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # pages=-1: all pages in one step, one read transaction
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        source.close()
    check_sqlite(target)
    return Dump("sqlite", target, SQLITE_FILE, sqlite_revision(target), sqlite_counts(target))


def restore_sqlite(engine: Engine, staged: Path) -> None:
    """Copy the staged database into the live file through the backup API (page by page,
    under the live database's own locks), creating it if needed."""
    engine.dispose()
    live = sqlite_path(engine)
    live.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{staged}?mode=ro", uri=True)
    target = sqlite3.connect(live, timeout=30)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


# --- PostgreSQL -------------------------------------------------------------------------


def pg_tool(settings: Settings, name: str) -> str:
    folder = settings.backup.pg_bin_dir
    found = str(Path(folder) / name) if folder else shutil.which(name)
    if not found or not Path(found).is_file():
        raise ConfigError(
            f"找不到 {name}：请安装 PostgreSQL 客户端（postgresql-client，版本不低于服务器），"
            "或在 [backup] pg_bin_dir 中指定其所在目录",
            field="pg_bin_dir",
        )
    return found


def pg_env(settings: Settings) -> dict[str, str]:
    """libpq variables for pg_dump/pg_restore: the password never on a command line."""
    url = make_url(database_url(settings))
    env = dict(os.environ)
    values = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGSSLMODE": url.query.get("sslmode"),
        "PGCONNECT_TIMEOUT": "10",
    }
    env.update({k: str(v) for k, v in values.items() if v})
    return env


def _run(args: list[str], env: Mapping[str, str], what: str) -> None:
    done = subprocess.run(args, env=dict(env), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        raise ConfigError(
            f"{what}失败：{lines[-1] if lines else done.returncode}", field="database"
        )


def _pg_counts(conn: Connection) -> dict[str, int]:
    names = inspect(conn).get_table_names(schema="public")
    return {
        n: int(conn.execute(text(f'SELECT count(*) FROM public."{n}"')).scalar_one())
        for n in sorted(names)
        if n not in SKIP_TABLES
    }


def _pg_revision(conn: Connection) -> str | None:
    if "alembic_version" not in inspect(conn).get_table_names(schema="public"):
        return None
    return conn.execute(text("SELECT version_num FROM public.alembic_version")).scalar()


def dump_postgres(engine: Engine, settings: Settings, target_dir: Path) -> Dump:
    target = target_dir / PG_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    tool = pg_tool(settings, "pg_dump")
    options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    with engine.connect().execution_options(**options) as conn, conn.begin():
        snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        counts = _pg_counts(conn)
        revision = _pg_revision(conn)
        _run(
            [tool, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            pg_env(settings),
            "pg_dump 导出数据库",
        )
    return Dump("postgresql", target, PG_FILE, revision, counts)


def check_pg_dump(settings: Settings, path: Path) -> None:
    """`pg_restore --list`: the dump's table of contents reads back."""
    tool = pg_tool(settings, "pg_restore")
    done = subprocess.run([tool, "--list", str(path)], capture_output=True, check=False)
    if done.returncode != 0:
        raise InvalidInput("备份中的数据库导出文件已损坏（pg_restore 无法读取）", field="file")


def restore_postgres(engine: Engine, settings: Settings, staged: Path, stamp: str) -> str:
    """Restore the dump into a new `public` schema; the one it replaces is renamed aside and
    its name returned, kept until the caller has checked the restored data (`keep_restored`
    or `put_back`). A failed pg_restore puts it back at once."""
    tool = pg_tool(settings, "pg_restore")
    aside = f"public_before_restore_{stamp}"
    with engine.begin() as conn:
        conn.execute(text(f'ALTER SCHEMA public RENAME TO "{aside}"'))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    try:
        _run(
            [
                tool,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={make_url(database_url(settings)).database}",
                str(staged),
            ],
            pg_env(settings),
            "pg_restore 恢复数据库",
        )
    except BaseException:
        put_back(engine, aside)
        raise
    return aside


def put_back(engine: Engine, aside: str) -> None:
    """Undo `restore_postgres`: the restored schema dropped, the one set aside back."""
    engine.dispose()
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text(f'ALTER SCHEMA "{aside}" RENAME TO public'))


def keep_restored(engine: Engine, aside: str) -> None:
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{aside}" CASCADE'))


# --- either database --------------------------------------------------------------------


def dump(engine: Engine, settings: Settings, target_dir: Path) -> Dump:
    if backend(engine) == "sqlite":
        return dump_sqlite(engine, target_dir)
    return dump_postgres(engine, settings, target_dir)


def live_counts(engine: Engine) -> dict[str, int]:
    """Rows per table of the live database (as `Dump.counts`)."""
    if backend(engine) == "sqlite":
        path = sqlite_path(engine)
        return sqlite_counts(path) if path.is_file() else {}
    with engine.connect() as conn:
        return _pg_counts(conn)


def occupied(engine: Engine, settings: Settings) -> dict[str, int]:
    """The tables holding more than what the service writes by itself on a fresh start (the
    schema, the departments of config.toml, the audit entry of that sync), with their rows;
    empty when a restore may go ahead without `--force`. The names are internal: the
    restore's refusal says it in users' terms (`restore.occupied_text`)."""
    counts = live_counts(engine)
    seeded = {
        "department": len(settings.departments),
        "audit_log": _seed_audit_rows(engine) if counts.get("audit_log") else 0,
    }
    return {name: n for name, n in counts.items() if n > seeded.get(name, 0)}


def _seed_audit_rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM audit_log "
                    "WHERE action = 'department_changed' AND via = 'service'"
                )
            ).scalar_one()
        )
