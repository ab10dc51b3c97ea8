"""API tokens: created, listed, revoked by admins; a request's bearer secret resolved to its token.

A secret is `PREFIX` + `secrets.token_urlsafe(32)`; only its SHA-256 is stored, so the database
(or a backup of it) does not give the secret away. The secret is returned once, at creation.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from disclosure.api.models import DEFAULT_RATE, SCOPES, ApiToken
from disclosure.errors import Conflict, InvalidInput, NotFound
from disclosure.models import Department
from disclosure.services.departments import find_department
from disclosure.timefmt import local_time

PREFIX = "dtk_"  # recognisable in logs and by secret scanners
MAX_RATE = 1_000_000
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Caller:
    """The token a request authenticated with (detached from any session)."""

    id: int
    name: str
    source: str
    scope: str
    department_id: int | None
    rate_per_minute: int

    @property
    def actor(self) -> str:
        """The name recorded as having acted (event log, `created_by`)."""
        return f"api:{self.name}"

    @property
    def can_write(self) -> bool:
        return self.scope == "write"


def _department(session: Session, code: str | None) -> Department | None:
    if not code:
        return None
    return find_department(session, code, field="department")


def add_token(
    session: Session,
    *,
    name: str,
    scope: str = "read",
    department: str | None = None,
    source: str | None = None,
    rate_per_minute: int = DEFAULT_RATE,
    actor: str,
    now: datetime,
) -> tuple[ApiToken, str]:
    """Create a token; returns the row and the secret (shown once, never stored)."""
    name = name.strip()
    if not NAME_RE.fullmatch(name):
        raise InvalidInput(
            "令牌名称须为 1–100 个字母、数字或 . _ -（以字母或数字开头）", field="name"
        )
    if scope not in SCOPES:
        raise InvalidInput(f"权限范围应为 {' | '.join(SCOPES)}，收到 {scope!r}", field="scope")
    src = (source or name).strip()
    if not NAME_RE.fullmatch(src):
        raise InvalidInput("来源名称须为 1–100 个字母、数字或 . _ -", field="source")
    if not 1 <= rate_per_minute <= MAX_RATE:
        raise InvalidInput(f"每分钟请求上限须为 1 至 {MAX_RATE}", field="rate")
    if session.exec(select(ApiToken.id).where(ApiToken.name == name)).first() is not None:
        raise Conflict(f"已有名为 {name} 的令牌（已撤销的名称也不能再用）", field="name")
    dep = _department(session, department)
    secret = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        name=name,
        source=src,
        secret_sha256=digest(secret),
        scope=scope,
        department_id=dep.id if dep else None,
        created_at=now,
        created_by=actor,
        rate_per_minute=rate_per_minute,
    )
    session.add(row)
    session.flush()
    return row, secret


def list_tokens(session: Session) -> list[dict[str, Any]]:
    """Every token, oldest first, without any secret."""
    codes = {d.id: d.code for d in session.exec(select(Department)).all()}
    rows = session.exec(select(ApiToken).order_by(col(ApiToken.id))).all()
    return [
        {
            "name": t.name,
            "source": t.source,
            "scope": t.scope,
            "rate_per_minute": t.rate_per_minute,
            "department": codes.get(t.department_id) if t.department_id else None,
            "created_at": t.created_at.isoformat(),
            "created_by": t.created_by,
            "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
            "revoked_by": t.revoked_by,
        }
        for t in rows
    ]


def revoke_token(session: Session, *, name: str, actor: str, now: datetime, tz: str) -> ApiToken:
    row = session.exec(select(ApiToken).where(ApiToken.name == name.strip())).first()
    if row is None:
        raise NotFound(f"没有名为 {name} 的令牌", field="name")
    if row.revoked_at is not None:
        raise Conflict(f"令牌 {name} 已于 {local_time(row.revoked_at, tz)} 撤销", field="name")
    row.revoked_at = now
    row.revoked_by = actor
    session.add(row)
    return row


_T = ApiToken.__table__.c  # type: ignore[attr-defined]  # SQLModel declares no __table__
# Every API request runs this: the columns of `Caller` (and the revocation) as a plain row on
# the session's connection, without building an ORM object (docs/bench-notes/web.md).
_BY_DIGEST = core_select(
    _T.id, _T.name, _T.source, _T.scope, _T.department_id, _T.rate_per_minute, _T.revoked_at
).where(_T.secret_sha256 == bindparam("digest"))


def authenticate(conn: Connection, secret: str) -> Caller | None:
    """The live token whose secret is `secret`, or None (unknown or revoked), read on `conn`
    (`api.auth`: the plain connection of the call's write transaction).

    Read from the database on every request, so a revocation counts from the next one."""
    if not secret.startswith(PREFIX):
        return None
    row = conn.execute(_BY_DIGEST, {"digest": digest(secret)}).first()
    if row is None or row.revoked_at is not None:
        return None
    return Caller(row.id, row.name, row.source, row.scope, row.department_id, row.rate_per_minute)
