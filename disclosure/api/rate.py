"""Rate limit per token: requests counted per UTC minute in the database.

The count lives in `api_rate_window`, not in a process, so every worker of `disclosure serve
--workers N` (and every server sharing the database) sees the same count. One atomic upsert
per request (`INSERT … ON CONFLICT DO UPDATE … RETURNING`, SQLite ≥ 3.35 and PostgreSQL)
counts and reads in one statement, in the request's authentication transaction (`api.auth`).
A request over the token's `rate_per_minute` is refused with 429 and `Retry-After` (seconds
to the next minute).

Why no rate-limit library: the well-kept one, `limits` (under slowapi and Flask-Limiter),
shares its counts between processes only through Redis, Memcached, MongoDB or etcd; its
in-memory store is per process. An office runs the product on its database alone, so the
count is kept there, in the transaction that already records the call.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete
from sqlalchemy.dialects import postgresql, sqlite

from disclosure.api.models import ApiRateWindow
from disclosure.db import transaction

_TABLE = ApiRateWindow.__table__  # type: ignore[attr-defined]  # SQLModel declares no __table__
KEEP = timedelta(minutes=2)  # older windows are deleted when a token starts a new one


class RateLimited(Exception):
    def __init__(self, limit: int, retry_after: int) -> None:
        super().__init__(f"请求过于频繁：每分钟最多 {limit} 次，请 {retry_after} 秒后重试")
        self.message = str(self.args[0])
        self.retry_after = retry_after


def window_of(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def _upsert(dialect: Any) -> Any:
    c = _TABLE.c
    stmt = dialect.insert(_TABLE).values(
        token_id=bindparam("token_id", type_=c.token_id.type),
        window_start=bindparam("start", type_=c.window_start.type),
        hits=1,
    )
    return stmt.on_conflict_do_update(
        index_elements=["token_id", "window_start"], set_={"hits": c.hits + 1}
    ).returning(c.hits)


# Built once (every API request runs one): the statement per dialect, values bound per call.
_UPSERT = {"postgresql": _upsert(postgresql), "sqlite": _upsert(sqlite)}


def count(conn: Connection, *, token_id: int, now: datetime) -> int:
    """Count one request of token `token_id` at `now` in the caller's write transaction, on
    its connection."""
    start = window_of(now)
    stmt = _UPSERT["postgresql" if conn.dialect.name == "postgresql" else "sqlite"]
    hits = int(conn.execute(stmt, {"token_id": token_id, "start": start}).scalar_one())
    if hits == 1:  # the token's first request of this minute: forget old windows
        conn.execute(
            delete(_TABLE).where(
                _TABLE.c.token_id == token_id, _TABLE.c.window_start < start - KEEP
            )
        )
    return hits


def check(hits: int, *, limit: int, now: datetime) -> int:
    """`hits` unless past `limit` (then `RateLimited`, with seconds to the next minute)."""
    if hits > limit:
        start = window_of(now)
        retry = max(1, int((start + timedelta(minutes=1) - now).total_seconds()) + 1)
        raise RateLimited(limit, min(retry, 60))
    return hits


def hit(engine: Engine, *, token_id: int, limit: int, now: datetime) -> int:
    """Count one request of token `token_id` at `now`; raise `RateLimited` past `limit`."""
    with transaction(engine) as session:
        hits = count(session.connection(), token_id=token_id, now=now)
    return check(hits, limit=limit, now=now)
