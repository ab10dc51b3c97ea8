"""Outbox operations: insert-if-absent, atomic claims, and recording each delivery's result.

Exactly once: a reminder row is created at most once (UNIQUE key, `ON CONFLICT DO NOTHING`),
and a row is sent only by the run whose token is on the row. A run stamps the rows it
creates with its own token as it inserts them (pre-claimed: no UPDATE is needed for the bulk
of a day's reminders); rows that nobody holds (retries) or whose claim expired are claimed
with one UPDATE of `claim_token`/`claimed_at` only. The row stays `pending` until it is
sent, so a claim touches no indexed column. On PostgreSQL the claim's sub-select takes row
locks with `FOR UPDATE SKIP LOCKED` and re-checks the claim condition on rows another
process changed meanwhile; on SQLite the write transaction (BEGIN IMMEDIATE) serializes
claims. Rows inserted by a concurrent run collide on the key and stay that run's. A claim
left by a crashed process expires after `CLAIM_LEASE` and the rows become claimable again.

Every query of a claim names the recipient as well as the token: the partial index
`ix_outbox_pending (recipient, next_attempt_at) WHERE status = 'pending'` finds the rows, and
it holds only what is still to be sent (sent history never slows a scan down).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Engine,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    tuple_,
    update,
)
from sqlmodel import col

from disclosure.db import transaction
from notifier.models import OutboxItem, OutboxStatus
from notifier.outbox_insert import INSERT_COLUMNS as INSERT_COLUMNS  # the outbox's own API
from notifier.outbox_insert import KEY as KEY
from notifier.outbox_insert import insert_if_absent as insert_if_absent
from notifier.outbox_insert import insert_values as insert_values
from notifier.policy import CALENDAR_COVERAGE

CLAIM_LEASE = timedelta(minutes=30)
RETRY_BASE = timedelta(minutes=5)  # first retry after 5 minutes, then doubling …
RETRY_CAP = timedelta(hours=12)  # … up to twelve hours between attempts
T = OutboxItem.__table__  # type: ignore[attr-defined]


class Claim(NamedTuple):
    """One process's claim on one recipient's due rows."""

    recipient: str
    token: str


PENDING = OutboxStatus.PENDING.value


def _claimable(now: datetime, token: str | None = None) -> ColumnElement[bool]:
    """Pending rows whose time has come and that nobody holds (or whose claim expired), and
    with `token` also the rows held by it. `status = 'pending'` stays a top-level term so
    that both databases use the partial index."""
    free = [T.c.claim_token.is_(None), T.c.claimed_at < now - CLAIM_LEASE]
    if token is not None:
        free.append(T.c.claim_token == token)
    return and_(T.c.status == PENDING, T.c.next_attempt_at <= now, or_(*free))


def _held(c: Claim) -> ColumnElement[bool]:
    """The rows of claim `c` (the recipient and status lead the query to the partial index)."""
    return and_(T.c.status == PENDING, T.c.recipient == c.recipient, T.c.claim_token == c.token)


def new_token() -> str:
    """A claim token: 64 random bits (tokens only need to differ between live runs)."""
    return secrets.token_hex(8)


def recipients_due(engine: Engine, now: datetime, token: str | None = None) -> list[str]:
    """Recipients with rows to claim now or held by `token` (the run's pre-claimed rows)."""
    with transaction(engine, write=False) as s:
        stmt = select(T.c.recipient).where(_claimable(now, token)).distinct()
        stmt = stmt.order_by(T.c.recipient)
        return [r for (r,) in s.execute(stmt)]


def claim(engine: Engine, recipient: str, now: datetime, token: str | None = None) -> Claim | None:
    """Atomically claim every due row of `recipient` that nobody holds, under `token` (a new
    one if not given). The claim, or None if it holds no row (another run has them all)."""
    c = Claim(recipient, token or new_token())
    free = select(T.c.id).where(T.c.recipient == recipient, _claimable(now)).limit(1)
    with transaction(engine, write=False) as s:  # a reader: never waits for a writer
        if s.execute(free).first() is None:  # nothing to take (this run's rows carry its
            # token already): no write transaction, so no wait for another one's lock
            return c if s.execute(select(T.c.id).where(_held(c)).limit(1)).first() else None
    with transaction(engine) as s:
        ids = (
            select(T.c.id)
            .where(T.c.recipient == recipient, _claimable(now))
            .with_for_update(skip_locked=True)
        )
        stmt = update(T).where(T.c.id.in_(ids)).values(claim_token=c.token, claimed_at=now)
        claimed = s.exec(stmt).rowcount
        if not claimed:  # rows this run queued carry its token already
            claimed = s.execute(select(T.c.id).where(_held(c)).limit(1)).first() is not None
    return c if claimed else None


class Span(NamedTuple):
    """The outbox rows a claim holds: lowest and highest id and how many (a digest's
    Message-ID is made of them, see `mail.message_id`)."""

    first: int
    last: int
    rows: int


def claim_span(engine: Engine, c: Claim) -> Span | None:
    """The span of claim `c`, or None when it holds no row."""
    stmt = select(func.min(T.c.id), func.max(T.c.id), func.count()).where(_held(c))
    with transaction(engine, write=False) as s:
        first, last, n = s.execute(stmt).one()
    return Span(int(first), int(last), int(n)) if n else None


DIGEST_COLUMNS = ("clock", "threshold", "due_on", "number", "summary", "department",
                  "days_left", "queued_on")  # fmt: skip


def _digest_order() -> list[Any]:
    """Rows of one claim, most urgent first: notices (office-wide), then by due date. A total
    order (number, clock, threshold and due date are unique within one recipient's claim), so
    `claimed_rows(limit=n)` and `claimed_rest(after=its last row)` split it exactly."""
    notice_first = case((T.c.clock == CALENDAR_COVERAGE, 0), else_=1)
    return [notice_first, T.c.due_on, T.c.days_left, T.c.number, T.c.clock, T.c.threshold]


def claimed_rows(engine: Engine, c: Claim, limit: int | None = None) -> Iterator[Any]:
    """The first `limit` claimed rows as plain named tuples (only what a digest shows), most
    urgent first, streamed in batches (a server-side cursor on PostgreSQL)."""
    columns = (T.c[name] for name in DIGEST_COLUMNS)
    stmt = select(*columns).where(_held(c)).order_by(*_digest_order())
    if limit is not None:
        stmt = stmt.limit(limit)
    with transaction(engine, write=False) as s:
        yield from s.execute(stmt.execution_options(yield_per=2000))


def claimed_rest(engine: Engine, c: Claim, after: Any, today: date) -> list[Any]:
    """Counts per department of the claimed rows that come after `after` (the last row
    `claimed_rows` streamed) in the digest order: (department, count, overdue, first due
    date). Overdue means due before `today` (a working day). The rows are selected by
    comparing their sort key with `after`'s (the order is total), so the database counts
    them without sorting the whole claim (an OFFSET sorted ~86,000 rows per office digest)."""
    order = _digest_order()
    notice = 0 if after.clock == CALENDAR_COVERAGE else 1
    last = (notice, after.due_on, after.days_left, after.number, after.clock, after.threshold)
    bound = (literal(v, type_=e.type) for v, e in zip(last, order, strict=True))
    later = tuple_(*order) > tuple_(*bound)
    stmt = (
        select(
            T.c.department,
            func.count(),
            func.coalesce(func.sum(case((T.c.due_on < today, 1), else_=0)), 0),
            func.min(T.c.due_on),
        )
        .where(_held(c), later)
        .group_by(T.c.department)
    )
    with transaction(engine, write=False) as s:
        return list(s.execute(stmt))


def release(engine: Engine, token: str) -> int:
    """Give back every row still held by `token` (a run that stops before delivering them)."""
    with transaction(engine) as s:
        stmt = (
            update(T)
            .where(T.c.status == PENDING, T.c.claim_token == token)
            .values(claim_token=None, claimed_at=None)
        )
        return s.exec(stmt).rowcount


def mark_sent(engine: Engine, c: Claim, now: datetime) -> int:
    with transaction(engine) as s:
        stmt = (
            update(T)
            .where(_held(c))
            .values(
                status=OutboxStatus.SENT.value,
                sent_at=now,
                last_attempt_at=now,
                attempts=T.c.attempts + 1,
            )
        )
        return s.exec(stmt).rowcount


def mark_failed(engine: Engine, c: Claim, now: datetime, error: str) -> int:
    with transaction(engine) as s:
        stmt = (
            update(T)
            .where(_held(c))
            .values(
                status=OutboxStatus.FAILED.value,
                attempts=T.c.attempts + 1,
                last_error=error[:500],
                last_attempt_at=now,
                claim_token=None,
            )
        )
        return s.exec(stmt).rowcount


def backoff(attempts: int) -> timedelta:
    """Delay before attempt `attempts + 1`: 5 min, 10 min, 20 min, … capped at 12 h."""
    return min(RETRY_BASE * (1 << max(attempts - 1, 0)), RETRY_CAP)


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
            values: dict[str, Any] = {
                "attempts": n,
                "last_error": error[:500],
                "last_attempt_at": now,
                "claim_token": None,
            }
            if n >= max_attempts:
                values["status"] = OutboxStatus.FAILED.value
            else:
                values["next_attempt_at"] = now + backoff(n)
            changed = s.exec(update(T).where(base, T.c.attempts == attempts).values(**values))
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
                    col(OutboxItem.status) == OutboxStatus.FAILED.value,
                    and_(
                        col(OutboxItem.status) == OutboxStatus.PENDING.value,
                        col(OutboxItem.attempts) > 0,
                    ),
                )
            )
            .order_by(col(OutboxItem.status), col(OutboxItem.id).desc())
            .limit(limit)
        )
        return list(s.scalars(stmt))
