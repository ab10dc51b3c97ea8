"""Writing the recomputed deadline columns of many applications, the fast way per database.

- SQLite: per batch, one executemany `UPDATE application SET <changed columns> WHERE id = ?`
  per shape of change (usually a handful: the reply and internal-target dates and the
  provisional flag), so indexes of columns that did not change are left alone; on the
  sqlite3 cursor, with the values as read (ISO dates, 0/1), no SQLAlchemy parameter
  processing per row.
- PostgreSQL: per batch and shape of change, one `UPDATE … FROM unnest(<an array per
  changed column>)` sent in psycopg's pipeline mode without waiting for it: the server
  updates the batch (through every index of `application`) while the client computes the
  next one
  (`recompute_open` reads a batch ahead before flushing); the pipeline is synced, and any
  error raised, at `finish`. Before: COPY into a temporary table and one `UPDATE … FROM` at
  the end, whose server time added to the client's (`_CopyWriter`: still used where libpq
  is older than 14 and has no pipeline mode).
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any, Protocol

from sqlalchemy import Connection, bindparam, text, update

from disclosure.models import Application

APP = Application.__table__  # type: ignore[attr-defined]
TEMP = "calendar_recompute_rows"


class RowWriter(Protocol):
    def add(self, row_id: int, changed: dict[str, Any], full: tuple[Any, ...]) -> None: ...
    def flush(self) -> None: ...  # end of a batch
    def finish(self) -> None: ...  # end of the recompute
    def close(self) -> None: ...  # always, after `finish` or an error


def writer_for(conn: Connection, stored: list[str]) -> RowWriter:
    """Values are given in the driver's raw form, as read (`notices.reads.Codec`)."""
    if conn.dialect.name == "postgresql":
        if pipeline_supported():
            return _PipelineWriter(conn, stored)
        return _CopyWriter(conn, stored)
    return _ExecutemanyWriter(conn)


def pipeline_supported() -> bool:
    """Pipeline mode needs libpq 14 or newer; with an older libpq the COPY writer is used."""
    from psycopg import Pipeline

    return bool(Pipeline.is_supported())


class _ExecutemanyWriter:
    """On the DB-API cursor of the connection (the values are already the driver's)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.shapes: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        self.statements: dict[tuple[str, ...], str] = {}
        self.cursor: Any = None

    def add(self, row_id: int, changed: dict[str, Any], full: tuple[Any, ...]) -> None:
        rows = self.shapes.get(keys := tuple(changed))
        if rows is None:
            rows = self.shapes[keys] = []
        rows.append((*changed.values(), row_id))

    def flush(self) -> None:
        if not self.shapes:
            return
        if self.cursor is None:
            raw = self.conn.connection.driver_connection
            assert raw is not None
            self.cursor = raw.cursor()
        for keys, rows in self.shapes.items():
            self.cursor.executemany(self._statement(keys), rows)
        self.shapes.clear()

    def finish(self) -> None:
        self.flush()

    def close(self) -> None:
        if self.cursor is not None:
            self.cursor.close()

    def _statement(self, keys: tuple[str, ...]) -> str:
        """`UPDATE application SET <keys> WHERE id = ?`, compiled by Core; its parameters
        are the keys' values in order, then the id."""
        found = self.statements.get(keys)
        if found is None:
            stmt = update(APP).where(APP.c.id == bindparam("b_id"))
            stmt = stmt.ordered_values(*((APP.c[k], bindparam(k)) for k in keys))
            compiled = stmt.compile(dialect=self.conn.dialect)
            order = tuple(compiled.positiontup or ())
            if order != (*keys, "b_id"):
                raise AssertionError(f"unexpected parameter order {order}")
            found = self.statements[keys] = compiled.string
        return found


class _CopyWriter:
    def __init__(self, conn: Connection, stored: list[str]) -> None:
        self.conn, self.stored = conn, stored
        self.rows: list[tuple[Any, ...]] = []
        self.started = False

    def _start(self) -> None:
        cols = ", ".join(
            f"{name} {APP.c[name].type.compile(dialect=self.conn.dialect)}" for name in self.stored
        )
        self.conn.execute(
            text(f"CREATE TEMP TABLE IF NOT EXISTS {TEMP} (id integer, {cols}) ON COMMIT DROP")
        )
        self.conn.execute(text(f"TRUNCATE {TEMP}"))
        self.started = True

    def add(self, row_id: int, changed: dict[str, Any], full: tuple[Any, ...]) -> None:
        self.rows.append((row_id, *full))

    def flush(self) -> None:
        if not self.rows:
            return
        if not self.started:
            self._start()
        raw = self.conn.connection.driver_connection  # psycopg: COPY has no Core form
        assert raw is not None
        columns = ", ".join(("id", *self.stored))
        with raw.cursor() as cur, cur.copy(f"COPY {TEMP} ({columns}) FROM STDIN") as copy:
            for row in self.rows:
                copy.write_row(row)
        self.rows.clear()

    def finish(self) -> None:
        self.flush()
        if self.started:
            sets = ", ".join(f"{name} = u.{name}" for name in self.stored)
            self.conn.execute(
                text(f"UPDATE application AS a SET {sets} FROM {TEMP} AS u WHERE a.id = u.id")
            )
            self.conn.execute(text(f"TRUNCATE {TEMP}"))

    def close(self) -> None:
        pass


class _PipelineWriter:
    """Per batch and per shape of change (the changed columns), one `UPDATE … FROM
    unnest(…)` of those columns, in pipeline mode (not waited for)."""

    def __init__(self, conn: Connection, stored: list[str]) -> None:
        self.shapes: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        self.statements: dict[tuple[str, ...], str] = {}
        self.types = {n: APP.c[n].type.compile(dialect=conn.dialect).lower() for n in stored}
        self.types["id"] = "integer"
        self.raw: Any = conn.connection.driver_connection
        self.pipeline: Any = None
        self.cursor: Any = None

    def add(self, row_id: int, changed: dict[str, Any], full: tuple[Any, ...]) -> None:
        rows = self.shapes.get(keys := tuple(changed))
        if rows is None:
            rows = self.shapes[keys] = []
        rows.append((row_id, *changed.values()))

    def _statement(self, keys: tuple[str, ...]) -> str:
        found = self.statements.get(keys)
        if found is None:
            names = ("id", *keys)
            arrays = ", ".join(f"%s::{self.types[n]}[]" for n in names)
            sets = ", ".join(f"{n} = u.{n}" for n in keys)
            found = self.statements[keys] = (
                f"UPDATE application AS a SET {sets} FROM unnest({arrays})"
                f" AS u({', '.join(names)}) WHERE a.id = u.id"
            )
        return found

    def flush(self) -> None:
        if not self.shapes:
            return
        if self.pipeline is None:
            self.pipeline = self.raw.pipeline()
            self.pipeline.__enter__()
            self.cursor = self.raw.cursor()
        for keys, rows in self.shapes.items():
            columns = [list(c) for c in zip(*rows, strict=True)]
            self.cursor.execute(self._statement(keys), columns)
        self.shapes.clear()

    def finish(self) -> None:
        self.flush()
        if self.pipeline is not None:  # waits for the updates; raises their error
            pipeline, self.pipeline = self.pipeline, None
            pipeline.__exit__(None, None, None)

    def close(self) -> None:
        if self.pipeline is not None:  # after an error: leave pipeline mode
            pipeline, self.pipeline = self.pipeline, None
            with suppress(Exception):  # the first error is the one raised
                pipeline.__exit__(None, None, None)
        if self.cursor is not None:
            self.cursor.close()
