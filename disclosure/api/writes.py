"""The API's write transactions: on SQLite, one at a time per process, queued on a lock.

SQLite lets one writer in at a time; a connection that finds the database locked waits in
SQLite's busy handler, which sleeps 1, 2, 5, 10, 15, 20, 25 … ms between tries and so wakes
late, after the writer before it has long committed. Every API call writes (its audit entry
and rate count, `api.auth`; a push writes again), so with ten clients the worker threads of
one process spent most of a push's latency asleep there. Here they wait on a lock of the web
state instead and each is woken as soon as the one before commits. Between processes
(`serve --workers N`) the one thread of each process that holds that lock then takes an
exclusive `flock` of a file beside the database (`LOCK_SUFFIX`), trying every `LOCK_POLL`
seconds (the kernel releases it when a holder dies); the web pages' and commands' writes
still meet the API's in SQLite's own lock. Both waits together are bounded by the same
`[database] busy_timeout`, then `RegisterBusy`, as a lock wait in the database is.
PostgreSQL locks rows, not the database: nothing to queue there.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlmodel import Session

from disclosure.db import BUSY_MESSAGE, RegisterBusy, core_transaction, transaction
from disclosure.web.state import WebState


@contextmanager
def _turn(state: WebState) -> Iterator[None]:
    """This process's turn to write (SQLite); at once on PostgreSQL."""
    if state.engine.dialect.name != "sqlite":
        yield
        return
    timeout = state.settings.database.busy_timeout
    deadline = time.monotonic() + timeout
    if not state.api_writes.acquire(timeout=timeout):
        raise RegisterBusy(BUSY_MESSAGE, field="database")
    try:
        with _across_processes(state.engine.url.database, deadline):
            yield
    finally:
        state.api_writes.release()


LOCK_SUFFIX = "-apilock"  # beside the database file: `register.db-apilock`
LOCK_POLL = 0.0005  # seconds between tries of the flock (a turn is a few milliseconds)


@contextmanager
def _across_processes(database: str | None, deadline: float) -> Iterator[None]:
    """This process's turn among the processes serving the API on database file `database`
    (none to take for an in-memory database), waited for until `deadline` (monotonic),
    then `RegisterBusy`."""
    if not database or database == ":memory:":
        yield
        return
    path = database + LOCK_SUFFIX
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(path, flags, 0o600)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise RegisterBusy(BUSY_MESSAGE, field="database") from None
                time.sleep(LOCK_POLL)
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
    """The same write transaction on a plain Core connection (`db.core_transaction`), for the
    authentication of every call: a few statements, no objects."""
    with _turn(state), core_transaction(state.engine) as conn:
        yield conn
