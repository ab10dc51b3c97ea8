"""Outbox operations: insert-if-absent, atomic claims, and recording each delivery's result.

Exactly once: a reminder row is created at most once (UNIQUE key, `ON CONFLICT DO NOTHING`),
and a row is sent only by the process whose claim put its token on the row. The claim is one
UPDATE of `claim_token`/`claimed_at` only (the row stays `pending` until it is sent, so the
claim touches no indexed column: SQLite rewrites the row alone, PostgreSQL can update it in
place, HOT). On PostgreSQL the claim's sub-select takes row locks with `FOR UPDATE SKIP
LOCKED` and re-checks the claim condition on rows another process changed meanwhile, so a
second process skips rows being claimed; on SQLite the write transaction (BEGIN IMMEDIATE)
serializes claims. A claim left by a crashed process expires after `CLAIM_LEASE` and the
rows become claimable again.

Every query of a claim names the recipient as well as the token: the partial index
`ix_outbox_pending (recipient, next_attempt_at) WHERE status = 'pending'` finds the rows, and
it holds only what is still to be sent (sent history never slows a scan down).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Engine, and_, case, func, or_, select, update
from sqlmodel import Session

from disclosure.db import transaction
from notifier.models import OutboxItem, OutboxStatus
from notifier.policy import CALENDAR_COVERAGE

CLAIM_LEASE = timedelta(minutes=30)
RETRY_BASE = timedelta(minutes=5)  # first retry after 5 minutes, then doubling …
RETRY_CAP = timedelta(hours=12)  # … up to twelve hours between attempts
KEY = ("application_id", "clock", "threshold", "due_on", "recipient")

T = OutboxItem.__table__  # type: ignore[attr-defined]


INSERT_CHUNK = 500  # rows per INSERT statement (15 columns: 7,500 parameters)
INSERT_COLUMNS = ("application_id", "clock", "threshold", "due_on", "recipient", "number",
                  "summary", "department", "days_left", "queued_on", "status", "attempts",
                  "next_attempt_at", "last_error", "created_at")  # fmt: skip


PG_TYPES = ("integer", "text", "text", "date", "text", "text", "text", "text", "integer",
            "date", "text", "integer", "timestamptz", "text", "timestamptz")  # fmt: skip
PG_CHUNK = 5000  # rows per INSERT … SELECT FROM unnest(…) on PostgreSQL (15 parameters)


def insert_if_absent(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Queue `rows`; rows whose key exists already are ignored. Returns how many were new.

    Chunked multi-row `INSERT … ON CONFLICT (key) DO NOTHING`, sent as driver SQL (SQLAlchemy
    compiles a multi-VALUES insert afresh for every chunk, ≈0.8 ms a row here): on SQLite
    `VALUES (?, …), …` with `INSERT_CHUNK` rows; on PostgreSQL one array per column and
    `SELECT * FROM unnest(…)` (psycopg parses a long placeholder list in Python, ≈0.2 s per
    7,500 placeholders). The values go through the columns' own bind processors (dates and
    UTC timestamps stored exactly as the ORM writes them, so keys collide as they must). The
    count is the statements' rowcount: rows skipped by ON CONFLICT are not counted.
    """
    if not rows:
        return 0
    conn = session.connection()
    dialect = conn.dialect
    procs = [T.c[name].type._cached_bind_processor(dialect) for name in INSERT_COLUMNS]
    converted = [(i, _memo(proc)) for i, proc in enumerate(procs) if proc is not None]
    values_of = itemgetter(*INSERT_COLUMNS)
    postgres = dialect.name == "postgresql"
    size = PG_CHUNK if postgres else INSERT_CHUNK
    new = 0
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        tuples: list[list[Any]] = []
        for row in chunk:
            values = list(values_of(row))
            for i, convert in converted:
                values[i] = convert(values[i])
            tuples.append(values)
        if postgres:
            params = tuple(list(column) for column in zip(*tuples, strict=True))
            result = conn.exec_driver_sql(_PG_SQL, params)
        else:
            flat = tuple(v for values in tuples for v in values)
            result = conn.exec_driver_sql(_insert_sql(len(chunk)), flat)
        new += result.rowcount
    return new


_PG_SQL = (
    f"INSERT INTO {T.name} ({', '.join(INSERT_COLUMNS)}) "
    f"SELECT * FROM unnest({', '.join(f'%s::{t}[]' for t in PG_TYPES)}) "
    f"ON CONFLICT ({', '.join(KEY)}) DO NOTHING"
)


def _memo(proc: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A bind processor that converts each distinct value once (dates and timestamps repeat
    across thousands of rows)."""
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            out = seen[value] = proc(value)
            return out

    return convert


_SQL_CACHE: dict[int, str] = {}


def _insert_sql(n: int) -> str:
    """SQLite: a multi-row VALUES insert of `n` rows (the text built once per `n`)."""
    sql = _SQL_CACHE.get(n)
    if sql is None:
        one = "(" + ", ".join(["?"] * len(INSERT_COLUMNS)) + ")"
        sql = (
            f"INSERT INTO {T.name} ({', '.join(INSERT_COLUMNS)}) VALUES "
            + ", ".join([one] * n)
            + f" ON CONFLICT ({', '.join(KEY)}) DO NOTHING"
        )
        _SQL_CACHE[n] = sql
    return sql


class Claim(NamedTuple):
    """One process's claim on one recipient's due rows."""

    recipient: str
    token: str


PENDING = OutboxStatus.PENDING.value


def _claimable(now: datetime):  # type: ignore[no-untyped-def]
    """Pending rows whose time has come and that nobody holds (or whose claim expired)."""
    return and_(
        T.c.status == PENDING,
        T.c.next_attempt_at <= now,
        or_(T.c.claim_token.is_(None), T.c.claimed_at < now - CLAIM_LEASE),
    )


def _held(c: Claim):  # type: ignore[no-untyped-def]
    """The rows of claim `c` (the recipient and status lead the query to the partial index)."""
    return and_(T.c.status == PENDING, T.c.recipient == c.recipient, T.c.claim_token == c.token)


def recipients_due(engine: Engine, now: datetime) -> list[str]:
    with transaction(engine, write=False) as s:
        stmt = select(T.c.recipient).where(_claimable(now)).distinct().order_by(T.c.recipient)
        return [r for (r,) in s.execute(stmt)]


def claim(engine: Engine, recipient: str, now: datetime) -> Claim | None:
    """Atomically claim every due row of `recipient`; None if none is left to claim."""
    c = Claim(recipient, uuid.uuid4().hex)
    with transaction(engine) as s:
        ids = (
            select(T.c.id)
            .where(T.c.recipient == recipient, _claimable(now))
            .with_for_update(skip_locked=True)
        )
        stmt = update(T).where(T.c.id.in_(ids)).values(claim_token=c.token, claimed_at=now)
        claimed = s.execute(stmt).rowcount
    return c if claimed else None


DIGEST_COLUMNS = ("clock", "threshold", "due_on", "number", "summary", "department",
                  "days_left", "queued_on")  # fmt: skip


def _digest_order() -> list[Any]:
    """Rows of one claim, most urgent first: notices (office-wide), then by due date. A total
    order (number, clock, threshold and due date are unique within one recipient's claim), so
    `claimed_rows(limit=n)` and `claimed_rest(offset=n)` split the claim exactly."""
    notice_first = case((T.c.clock == CALENDAR_COVERAGE, 0), else_=1)
    return [notice_first, T.c.due_on, T.c.days_left, T.c.number, T.c.clock, T.c.threshold]


def claimed_rows(engine: Engine, c: Claim, limit: int | None = None) -> Iterator[Any]:
    """The first `limit` claimed rows as plain named tuples (only what a digest shows), most
    urgent first, streamed in batches (a server-side cursor on PostgreSQL)."""
    stmt = select(*(T.c[name] for name in DIGEST_COLUMNS)).where(_held(c)).order_by(*_digest_order())
    if limit is not None:
        stmt = stmt.limit(limit)
    with transaction(engine, write=False) as s:
        yield from s.execute(stmt.execution_options(yield_per=2000))


def claimed_rest(engine: Engine, c: Claim, offset: int, today: date) -> list[Any]:
    """Counts per department of the claimed rows after the first `offset`: (department,
    count, overdue, first due date). Overdue means due before `today` (a working day)."""
    rest = select(T.c.department, T.c.due_on).where(_held(c)).order_by(*_digest_order())
    sub = rest.offset(offset).subquery()
    stmt = select(
        sub.c.department,
        func.count(),
        func.coalesce(func.sum(case((sub.c.due_on < today, 1), else_=0)), 0),
        func.min(sub.c.due_on),
    ).group_by(sub.c.department)
    with transaction(engine, write=False) as s:
        return list(s.execute(stmt))


def mark_sent(engine: Engine, c: Claim, now: datetime) -> int:
    with transaction(engine) as s:
        stmt = (
            update(T)
            .where(_held(c))
            .values(status=OutboxStatus.SENT.value, sent_at=now, attempts=T.c.attempts + 1)
        )
        return s.execute(stmt).rowcount


def mark_failed(engine: Engine, c: Claim, now: datetime, error: str) -> int:
    with transaction(engine) as s:
        stmt = (
            update(T)
            .where(_held(c))
            .values(
                status=OutboxStatus.FAILED.value,
                attempts=T.c.attempts + 1,
                last_error=error[:500],
                claim_token=None,
            )
        )
        return s.execute(stmt).rowcount


def backoff(attempts: int) -> timedelta:
    """Delay before attempt `attempts + 1`: 5 min, 10 min, 20 min, … capped at 12 h."""
    return min(RETRY_BASE * (2 ** max(attempts - 1, 0)), RETRY_CAP)


def mark_retry(
    engine: Engine, c: Claim, now: datetime, error: str, max_attempts: int
) -> tuple[int, int]:
    """Release a claim after a temporary failure. Returns (to retry, given up).

    Set-based: one UPDATE per distinct attempt count among the claimed rows (the back-off
    depends on it), not one ORM object per row.
    """
    retry = failed = 0
    base = _held(c)
    with transaction(engine) as s:
        done = [a for (a,) in s.execute(select(T.c.attempts).where(base).distinct())]
        for attempts in done:
            n = attempts + 1
            values: dict[str, Any] = {"attempts": n, "last_error": error[:500], "claim_token": None}
            if n >= max_attempts:
                values["status"] = OutboxStatus.FAILED.value
            else:
                values["next_attempt_at"] = now + backoff(n)
            changed = s.execute(update(T).where(base, T.c.attempts == attempts).values(**values))
            if n >= max_attempts:
                failed += changed.rowcount
            else:
                retry += changed.rowcount
    return retry, failed


def counts(engine: Engine) -> dict[str, int]:
    """Rows per status; `sending` = pending rows that a process holds a claim on."""
    held = T.c.claim_token.is_not(None)
    with transaction(engine, write=False) as s:
        stmt = select(T.c.status, held, func.count()).group_by(T.c.status, held)
        out = {st.value: 0 for st in OutboxStatus}
        for status, claimed, n in s.execute(stmt):
            key = OutboxStatus.SENDING.value if status == PENDING and claimed else status
            out[key] += int(n)
        return out


def problems(engine: Engine, limit: int = 50) -> list[OutboxItem]:
    """Failed rows, newest first, then rows waiting for a retry."""
    with transaction(engine, write=False) as s:
        stmt = (
            select(OutboxItem)
            .where(
                or_(
                    OutboxItem.status == OutboxStatus.FAILED.value,  # type: ignore[arg-type]
                    and_(OutboxItem.status == OutboxStatus.PENDING.value, OutboxItem.attempts > 0),  # type: ignore[arg-type]
                )
            )
            .order_by(OutboxItem.status, OutboxItem.id.desc())  # type: ignore[union-attr]
            .limit(limit)
        )
        return list(s.scalars(stmt))
