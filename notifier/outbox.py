"""Outbox operations: insert-if-absent, atomic claims, and recording each delivery's result.

Exactly once: a reminder row is created at most once (UNIQUE key, `ON CONFLICT DO NOTHING`),
and a row is sent only by the process whose claim moved it from `pending` to `sending`. The
claim is one UPDATE: on PostgreSQL its sub-select takes row locks with `FOR UPDATE SKIP
LOCKED`, so a second process skips rows being claimed; on SQLite the write transaction
(BEGIN IMMEDIATE) serializes claims. A claim left by a crashed process expires after
`CLAIM_LEASE` and the rows become claimable again.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from disclosure.db import transaction
from notifier.models import OutboxItem, OutboxStatus

CLAIM_LEASE = timedelta(minutes=30)
RETRY_BASE = timedelta(minutes=5)  # first retry after 5 minutes, then doubling …
RETRY_CAP = timedelta(hours=12)  # … up to twelve hours between attempts
KEY = ("application_id", "clock", "threshold", "due_on", "recipient")

T = OutboxItem.__table__  # type: ignore[attr-defined]


def insert_if_absent(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Queue `rows`; rows whose key exists already are ignored. Returns how many were new."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(T).on_conflict_do_nothing(index_elements=list(KEY)).returning(T.c.id)
    return len(session.execute(stmt, list(rows)).all())


def _claimable(now: datetime):  # type: ignore[no-untyped-def]
    return or_(
        and_(T.c.status == OutboxStatus.PENDING.value, T.c.next_attempt_at <= now),
        and_(T.c.status == OutboxStatus.SENDING.value, T.c.claimed_at < now - CLAIM_LEASE),
    )


def recipients_due(engine: Engine, now: datetime) -> list[str]:
    with transaction(engine, write=False) as s:
        stmt = select(T.c.recipient).where(_claimable(now)).distinct().order_by(T.c.recipient)
        return [r for (r,) in s.execute(stmt)]


def claim(engine: Engine, recipient: str, now: datetime) -> str | None:
    """Atomically claim every due row of `recipient`; the claim token, or None if none left."""
    token = uuid.uuid4().hex
    with transaction(engine) as s:
        ids = (
            select(T.c.id)
            .where(T.c.recipient == recipient, _claimable(now))
            .with_for_update(skip_locked=True)
        )
        stmt = (
            update(T)
            .where(T.c.id.in_(ids))
            .values(status=OutboxStatus.SENDING.value, claim_token=token, claimed_at=now)
        )
        claimed = s.execute(stmt).rowcount
    return token if claimed else None


DIGEST_COLUMNS = ("clock", "threshold", "due_on", "number", "summary", "department",
                  "days_left", "queued_on")  # fmt: skip


def claimed_rows(engine: Engine, token: str) -> list[Any]:
    """The claimed rows as plain named tuples (only what a digest shows)."""
    with transaction(engine, write=False) as s:
        stmt = select(*(T.c[name] for name in DIGEST_COLUMNS)).where(T.c.claim_token == token)
        return list(s.execute(stmt))


def mark_sent(engine: Engine, token: str, now: datetime) -> int:
    with transaction(engine) as s:
        stmt = (
            update(T)
            .where(T.c.claim_token == token, T.c.status == OutboxStatus.SENDING.value)
            .values(status=OutboxStatus.SENT.value, sent_at=now, attempts=T.c.attempts + 1)
        )
        return s.execute(stmt).rowcount


def mark_failed(engine: Engine, token: str, now: datetime, error: str) -> int:
    with transaction(engine) as s:
        stmt = (
            update(T)
            .where(T.c.claim_token == token, T.c.status == OutboxStatus.SENDING.value)
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
    engine: Engine, token: str, now: datetime, error: str, max_attempts: int
) -> tuple[int, int]:
    """Release a claim after a temporary failure. Returns (to retry, given up)."""
    retry = failed = 0
    with transaction(engine) as s:
        rows = s.scalars(
            select(OutboxItem).where(OutboxItem.claim_token == token)  # type: ignore[arg-type]
        ).all()
        for row in rows:
            row.attempts += 1
            row.last_error = error[:500]
            row.claim_token = None
            if row.attempts >= max_attempts:
                row.status = OutboxStatus.FAILED.value
                failed += 1
            else:
                row.status = OutboxStatus.PENDING.value
                row.next_attempt_at = now + backoff(row.attempts)
                retry += 1
            s.add(row)
    return retry, failed


def counts(engine: Engine) -> dict[str, int]:
    with transaction(engine, write=False) as s:
        stmt = select(T.c.status, func.count()).group_by(T.c.status)
        out = {st.value: 0 for st in OutboxStatus}
        out.update({status: int(n) for status, n in s.execute(stmt)})
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
