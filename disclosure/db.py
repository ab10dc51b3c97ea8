"""Engines and transactions. Nothing is created at import time.

- SQLite (embedded default): file created under the working directory on first use, WAL mode,
  foreign keys on, and write transactions opened with BEGIN IMMEDIATE so that two clerks
  numbering at the same moment queue instead of failing.
- PostgreSQL: the same code; row locks on the counter table keep numbering gapless.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

from disclosure.settings import Settings

IMMEDIATE = "disclosure_sqlite_immediate"
PG_CONNECT_TIMEOUT = 10  # seconds


def database_url(settings: Settings) -> str:
    """The URL with a relative SQLite path resolved against the config's folder."""
    url = make_url(settings.database.url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database)
        if not path.is_absolute():
            path = settings.resolve(str(path))
        return str(url.set(database=str(path)))
    return str(url)


def make_engine(settings: Settings) -> Engine:
    url = make_url(database_url(settings))
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=settings.database.echo,
            connect_args={"timeout": 30, "check_same_thread": False},
        )
        _configure_sqlite(engine)
        return engine
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    # A server that does not answer fails the request after 10 s instead of hanging it (the
    # web list reads on the event loop); a connect_timeout in the URL wins.
    args = {} if "connect_timeout" in url.query else {"connect_timeout": PG_CONNECT_TIMEOUT}
    return create_engine(url, echo=settings.database.echo, pool_pre_ping=True, connect_args=args)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        immediate = conn.get_execution_options().get(IMMEDIATE)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def transaction(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """One unit of work: commits on success, rolls back on any exception.

    On SQLite a write transaction takes the write lock at its start (BEGIN IMMEDIATE).
    """
    with Session(engine, expire_on_commit=False) as session:
        if write and engine.dialect.name == "sqlite":
            session.connection(execution_options={IMMEDIATE: True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
