"""Inserting outbox rows: many thousands per write transaction, each key at most once.

`insert_values` (tuples in `INSERT_COLUMNS` order) and `insert_if_absent` (dicts) are what
`notifier.outbox` offers as its own; see `insert_values` for how each database is fed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection
from sqlmodel import Session

from notifier.models import OutboxItem

KEY = ("application_id", "clock", "threshold", "due_on", "recipient")
T = OutboxItem.__table__  # type: ignore[attr-defined]

INSERT_CHUNK = 500  # rows per INSERT statement on SQLite (17 columns: 8,500 parameters)
INSERT_COLUMNS = ("application_id", "clock", "threshold", "due_on", "recipient", "number",
                  "summary", "department", "days_left", "queued_on", "status", "attempts",
                  "next_attempt_at", "claim_token", "claimed_at", "last_error",
                  "created_at")  # fmt: skip


def insert_if_absent(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Queue `rows` (dicts with the `INSERT_COLUMNS`); see `insert_values`."""
    return insert_values(session, list(map(itemgetter(*INSERT_COLUMNS), rows)))


def insert_values(session: Session, rows: Sequence[tuple[Any, ...]]) -> int:
    """Queue `rows`, tuples in `INSERT_COLUMNS` order; rows whose key exists already are
    ignored. Returns how many were new.

    PostgreSQL: `COPY` into a temporary table, then one `INSERT … SELECT … ON CONFLICT (key)
    DO NOTHING` (psycopg formats COPY rows in C; binding 280,000 rows as parameters cost
    seconds in Python). SQLite: chunked multi-row `INSERT … ON CONFLICT DO NOTHING`, sent as
    driver SQL (SQLAlchemy compiles a multi-VALUES insert afresh for every chunk, ≈0.8 ms a
    row here), the values put through the columns' own bind processors (dates and UTC
    timestamps stored exactly as the ORM writes them, so keys collide as they must). The
    columns with a processor go last in the statement, and their values are converted once
    per distinct combination (the due date varies, the run's timestamps do not). The count
    is the statements' rowcount: rows skipped by ON CONFLICT are not counted.
    """
    if not rows:
        return 0
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        return _copy_insert(conn, iter(rows))
    dialect = conn.dialect
    procs = [
        T.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in INSERT_COLUMNS
    ]
    plain = [i for i, proc in enumerate(procs) if proc is None]
    converted = [i for i, proc in enumerate(procs) if proc is not None]
    convert = [proc for proc in procs if proc is not None]
    names = tuple(INSERT_COLUMNS[i] for i in plain + converted)
    plain_of, converted_of = _getter(plain), _getter(converted)
    seen: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    new = 0
    for start, size in _chunks(len(rows)):
        flat: list[Any] = []
        for row in rows[start : start + size]:
            flat.extend(plain_of(row))
            raw = converted_of(row)
            values = seen.get(raw)
            if values is None:
                values = seen[raw] = tuple(f(v) for f, v in zip(convert, raw, strict=True))
            flat.extend(values)
        new += conn.exec_driver_sql(_insert_sql(names, size), tuple(flat)).rowcount
    return new


def _getter(indexes: list[int]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """The values at `indexes`, always as a tuple (`itemgetter` of one index is not)."""
    if len(indexes) == 1:
        only = indexes[0]
        return lambda row: (row[only],)
    if not indexes:
        return lambda row: ()
    return itemgetter(*indexes)


_COLUMNS = ", ".join(INSERT_COLUMNS)
_PG_STAGE = (
    f"CREATE TEMPORARY TABLE IF NOT EXISTS outbox_in ON COMMIT DELETE ROWS AS "
    f"SELECT {_COLUMNS} FROM {T.name} WITH NO DATA"
)
_PG_MOVE = (
    f"INSERT INTO {T.name} ({_COLUMNS}) SELECT {_COLUMNS} FROM outbox_in "
    f"ON CONFLICT ({', '.join(KEY)}) DO NOTHING"
)


def _copy_insert(conn: Connection, tuples: Iterator[tuple[Any, ...]]) -> int:
    """PostgreSQL: stage the rows with COPY (in this transaction), then insert the new ones.

    A binary COPY, its column types those of the staging table (read from an empty SELECT):
    a quarter of the client's work of the text format per row (psycopg then formats each
    value by its column's type, not by looking at the Python value). Aware datetimes only,
    as the ORM's `UTCDateTime` demands (a naive one fails the COPY)."""
    conn.exec_driver_sql(_PG_STAGE)
    raw = conn.connection.driver_connection  # the psycopg connection, same transaction
    assert raw is not None  # a checked-out connection always has its driver connection
    with raw.cursor() as cur:
        cur.execute(f"SELECT {_COLUMNS} FROM outbox_in LIMIT 0")
        assert cur.description is not None  # a SELECT describes its columns
        types = [column.type_code for column in cur.description]
        with cur.copy(f"COPY outbox_in ({_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for values in tuples:
                copy.write_row(values)
        cur.execute(_PG_MOVE)
        new: int = cur.rowcount
        cur.execute("TRUNCATE outbox_in")
    return new


_SQL_CACHE: dict[tuple[tuple[str, ...], int], str] = {}


def _chunks(n: int) -> Iterator[tuple[int, int]]:
    """(start, size) of the statements that insert `n` rows: full chunks of `INSERT_CHUNK`,
    then the remainder as powers of two. So only a dozen distinct statements ever exist; one
    per remainder would leave a new prepared statement (hundreds of kilobytes for hundreds
    of rows) in the driver's statement cache for every page, memory growing with N."""
    start = 0
    while n - start >= INSERT_CHUNK:
        yield start, INSERT_CHUNK
        start += INSERT_CHUNK
    bit = 1 << (INSERT_CHUNK.bit_length() - 1)
    while start < n:
        while bit > n - start:
            bit >>= 1
        yield start, bit
        start += bit


def _insert_sql(names: tuple[str, ...], n: int) -> str:
    """SQLite: a multi-row VALUES insert of `n` rows of the columns `names` (the text built
    once per `n`)."""
    sql = _SQL_CACHE.get((names, n))
    if sql is None:
        one = "(" + ", ".join(["?"] * len(names)) + ")"
        sql = (
            f"INSERT INTO {T.name} ({', '.join(names)}) VALUES "
            + ", ".join([one] * n)
            + f" ON CONFLICT ({', '.join(KEY)}) DO NOTHING"
        )
        _SQL_CACHE[(names, n)] = sql
    return sql
