"""The API's write transactions: on SQLite, one at a time per process, queued on a lock.

SQLite lets one writer in at a time; a connection that finds the database locked waits in
SQLite's busy handler, which sleeps 1, 2, 5, 10, 15, 20, 25 … ms between tries and so wakes
late, after the writer before it has long committed. Every API call writes (its audit entry
and rate count, `api.auth`; a push writes again), so with ten clients the worker threads of
one process spent most of a push's latency asleep there. Here they wait on a lock of the web
state instead and each is woken as soon as the one before commits. Between processes
(`serve --workers N`) the one thread of each process that holds that lock then waits on an
exclusive `flock` of a file beside the database (`LOCK_SUFFIX`), which the kernel hands on
as soon as it is released (and releases when a process dies); the web pages' and commands'
writes still meet the API's in SQLite's own lock. The wait in this process is bounded by the
same `[database] busy_timeout`, then `RegisterBusy`, as a lock wait in the database is; the
`flock` is held only for one API transaction, which that timeout bounds too.
PostgreSQL locks rows, not the database: nothing to queue there.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from disclosure.db import BUSY_MESSAGE, IMMEDIATE, RegisterBusy, is_busy, transaction
from disclosure.web.state import WebState


@contextmanager
def _turn(state: WebState) -> Iterator[None]:
    """This process's turn to write (SQLite); at once on PostgreSQL."""
    if state.engine.dialect.name != "sqlite":
        yield
        return
    if not state.api_writes.acquire(timeout=state.settings.database.busy_timeout):
        raise RegisterBusy(BUSY_MESSAGE, field="database")
    try:
        with _across_processes(state.engine.url.database):
            yield
    finally:
        state.api_writes.release()


LOCK_SUFFIX = "-apilock"  # beside the database file: `register.db-apilock`


@contextmanager
def _across_processes(database: str | None) -> Iterator[None]:
    """This process's turn among the processes serving the API on database file `database`
    (none to take for an in-memory database)."""
    if not database or database == ":memory:":
        yield
        return
    fd = os.open(database + LOCK_SUFFIX, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock


@contextmanager
def write_transaction(state: WebState) -> Iterator[Session]:
    """`db.transaction(state.engine)`, queued behind this process's other API writers on
    SQLite (see the module docstring)."""
    with _turn(state), transaction(state.engine) as session:
        yield session


@contextmanager
def write_connection(state: WebState) -> Iterator[Connection]:
    """The same write transaction on a plain Core connection, without an ORM session (the
    authentication of every call: a few statements, no objects): BEGIN IMMEDIATE on SQLite,
    commit on success, rollback on any exception, a lock wait that ran out `RegisterBusy`."""
    with _turn(state), state.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.execution_options(**{IMMEDIATE: True})
        try:
            with conn.begin():
                yield conn
        except OperationalError as exc:
            if is_busy(exc):
                raise RegisterBusy(BUSY_MESSAGE, field="database") from exc
            raise
