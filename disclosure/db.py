"""Engines and transactions. Nothing is created at import time.

- SQLite (embedded default): file created under the working directory on first use, WAL mode,
  foreign keys on, and write transactions opened with BEGIN IMMEDIATE so that two clerks
  numbering at the same moment queue instead of failing.
- PostgreSQL: the same code; row locks on the counter table keep numbering gapless.

Readers never wait: a read-only transaction (`write=False`) is a plain deferred BEGIN, which
in WAL mode reads a snapshot while a writer works. A writer that finds another long write
(a ledger import, a calendar reload) waits `[database] busy_timeout` seconds (SQLite's busy
timeout, PostgreSQL's `lock_timeout`) and then fails with `RegisterBusy`: one Chinese line
on the CLI, a 503 page on the web, never a driver traceback.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

from disclosure.errors import DisclosureError
from disclosure.settings import Settings

IMMEDIATE = "disclosure_sqlite_immediate"
PG_CONNECT_TIMEOUT = 10  # seconds
APPLICATION_NAME = "disclosure-tracker"  # PostgreSQL application_name prefix
SQLITE_BUSY = 5  # sqlite3's result codes SQLITE_BUSY and SQLITE_LOCKED
SQLITE_LOCKED = 6
PG_LOCK_NOT_AVAILABLE = "55P03"  # lock_timeout expired


class RegisterBusy(DisclosureError):
    """Another long write holds the register; nothing was written, try again later."""

    exit_code = 8
    http_status = 503


BUSY_MESSAGE = (
    "登记簿正忙：另一项较长的写入（如台账导入、节假日安排重算）尚未结束，"
    "本次操作未写入任何内容，请稍后重试。"
)


def is_busy(exc: BaseException) -> bool:
    """A lock wait that ran out (SQLite busy, PostgreSQL lock_timeout)."""
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)
    return getattr(orig, "sqlstate", None) == PG_LOCK_NOT_AVAILABLE


def unavailable(exc: BaseException) -> str | None:
    """A database that cannot be opened, reached or written, said in Chinese with the setting
    to check (never the driver's English); None for any other error."""
    orig = getattr(exc, "orig", exc)
    text = str(orig)
    if "unable to open database file" in text:
        return "无法打开数据库文件：请检查配置项 database.url 的路径存在，且有读写权限"
    if "readonly database" in text:
        return "数据库文件只读，无法写入：请检查数据库文件及其所在文件夹的写权限"
    if type(orig).__module__.startswith("psycopg") and getattr(orig, "sqlstate", None) is None:
        return (
            "无法连接数据库服务器：请检查配置项 database.url 的地址、端口、用户名和数据库名，"
            "以及服务器是否在运行"
        )
    return None


def database_url(settings: Settings) -> str:
    """The URL with a relative SQLite path resolved against the config's folder."""
    url = make_url(settings.database.url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database)
        if not path.is_absolute():
            path = settings.resolve(str(path))
        return str(url.set(database=str(path)))
    return str(url)


def application_name() -> str:
    """What this process's PostgreSQL connections call themselves: the product and the pid
    (`disclosure.ops.running.other_sessions` tells them from its own)."""
    return f"{APPLICATION_NAME}/{os.getpid()}"


def _create_private(path: Path) -> None:
    """A new database is the owner's only (it holds ID numbers), as backups are; SQLite
    gives its -wal and -shm files the same mode. Whatever goes wrong here (no such folder,
    no permission) is left for SQLite to report, in its words, as before."""
    with suppress(OSError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600))


def make_engine(settings: Settings) -> Engine:
    url = make_url(database_url(settings))
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            path = Path(url.database)
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() and "uri" not in url.query:
                _create_private(path)
        busy = settings.database.busy_timeout
        engine = create_engine(
            url,
            echo=settings.database.echo,
            connect_args={"timeout": busy, "check_same_thread": False},
        )
        _configure_sqlite(engine, busy)
        return engine
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    # A server that does not answer fails the request after 10 s instead of hanging it (the
    # web list reads on the event loop); a connect_timeout in the URL wins.
    args: dict[str, object] = {}
    if "connect_timeout" not in url.query:
        args["connect_timeout"] = PG_CONNECT_TIMEOUT
    if "application_name" not in url.query:  # disclosure.ops.running sees who is connected
        args["application_name"] = application_name()
    if "options" not in url.query:
        args["options"] = f"-c lock_timeout={int(settings.database.busy_timeout * 1000)}"
    return create_engine(url, echo=settings.database.echo, pool_pre_ping=True, connect_args=args)


def _configure_sqlite(engine: Engine, busy: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy * 1000)}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        immediate = conn.get_execution_options().get(IMMEDIATE)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def transaction(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """One unit of work: commits on success, rolls back on any exception.

    On SQLite a write transaction takes the write lock at its start (BEGIN IMMEDIATE). A
    lock wait that runs out becomes `RegisterBusy` (the transaction is rolled back).
    """
    with Session(engine, expire_on_commit=False) as session, _busy_refused():
        try:
            if write and engine.dialect.name == "sqlite":
                session.connection(execution_options={IMMEDIATE: True})
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def core_transaction(engine: Engine, *, write: bool = True) -> Iterator[Connection]:
    """`transaction` on a plain Core connection, without an ORM session (for a few
    statements and no objects, where a session's bookkeeping would cost more than they do):
    the same BEGIN IMMEDIATE, commit, rollback and `RegisterBusy`."""
    with engine.connect() as conn, _busy_refused():
        if write and engine.dialect.name == "sqlite":
            conn.execution_options(**{IMMEDIATE: True})
        with conn.begin():
            yield conn


@contextmanager
def _busy_refused() -> Iterator[None]:
    """A lock wait that ran out (`is_busy`) as `RegisterBusy`; any other error as it is."""
    try:
        yield
    except OperationalError as exc:
        if is_busy(exc):
            raise RegisterBusy(BUSY_MESSAGE, field="database") from exc
        raise
