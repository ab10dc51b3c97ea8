"""Server-side sign-ins (`web_session`): opened at sign-in, looked up per request, deleted
at sign-out, on a password change and when the account is disabled.

The browser holds a random token of 256 bits (`secrets.token_urlsafe(32)`); the table keeps
its SHA-256 only, so the table alone cannot be replayed as cookies. A session is valid while
its row exists, its absolute lifetime has not passed and its user is active.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete
from sqlmodel import Session, col, select

from disclosure.models import User
from disclosure.ops.models import WebSession

TOKEN_BYTES = 32
KEEP_EXPIRED = timedelta(days=1)  # expired rows are deleted by the next sign-in after this

# The per-request sign-in lookup, built once (a statement is immutable): its SQL cache key is
# computed once too, so a request pays only for running it (building the select and keying it
# cost more than the query itself). The token's hash and the time are its parameters.
_SIGNED_IN = (
    select(User)
    .join(WebSession, col(WebSession.user_id) == col(User.id))
    .where(
        col(WebSession.id) == bindparam("token_id"), col(WebSession.expires_at) > bindparam("now")
    )
)


def token_id(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(
    session: Session,
    *,
    user_id: int,
    now: datetime,
    lifetime: timedelta,
    address: str = "",
    user_agent: str = "",
) -> str:
    """A new sign-in for `user_id`; returns the token for the cookie (shown nowhere else)."""
    session.execute(delete(WebSession).where(col(WebSession.expires_at) < now - KEEP_EXPIRED))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        WebSession(
            id=token_id(token),
            user_id=user_id,
            created_at=now,
            expires_at=now + lifetime,
            address=address[:64],
            user_agent=user_agent[:300],
        )
    )
    session.flush()
    return token


def find_user(session: Session, token: object, *, now: datetime) -> User | None:
    """The active user signed in with `token`, or None (unknown, ended, expired, disabled)."""
    if not isinstance(token, str) or not token:
        return None
    user = session.exec(_SIGNED_IN, params={"token_id": token_id(token), "now": now}).first()
    return user if user is not None and user.active else None


def close_session(session: Session, token: object) -> None:
    """End one sign-in (sign-out). Unknown tokens are ignored."""
    if isinstance(token, str) and token:
        session.execute(delete(WebSession).where(col(WebSession.id) == token_id(token)))


def close_user_sessions(session: Session, *, user_id: int, keep: str | None = None) -> int:
    """End every sign-in of `user_id` (but the one with token `keep`); returns how many."""
    stmt = delete(WebSession).where(col(WebSession.user_id) == user_id)
    if keep:
        stmt = stmt.where(col(WebSession.id) != token_id(keep))
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]
