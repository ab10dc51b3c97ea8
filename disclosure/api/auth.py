"""Who is calling: the bearer token of the request, its scope and its department.

Access to an application is decided in `authorized_application` and nowhere else: a token
limited to one department gets 404 for another department's application, exactly as for a
missing one, so guessing numbers reveals nothing (as the web pages do, `web.deps`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, cast

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection, insert
from sqlmodel import Session

from disclosure import audit
from disclosure.api.problems import Unauthorized
from disclosure.api.rate import check, count
from disclosure.api.tokens import Caller, authenticate
from disclosure.api.writes import write_connection
from disclosure.clock import now_utc
from disclosure.errors import NotFound, PermissionDenied
from disclosure.models import Application
from disclosure.ops.models import AuditEntry
from disclosure.services.lookup import get_application
from disclosure.vocabulary import AuditAction, AuditChannel
from disclosure.web.state import WebState

# auto_error=False: a missing header is answered by our own 401 problem, not FastAPI's 403.
_bearer = HTTPBearer(auto_error=False, description="API 令牌（disclosure token add）")


def api_state(request: Request) -> WebState:
    return cast(WebState, request.app.state.web)  # set by `create_api`


def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    """The request's token, once authenticated, counted against its rate and recorded in the
    audit log (`api_token_used`: token name as `api:<name>`, method, path, parameter names;
    never parameter values, which may hold a name searched for) — one write transaction, on
    a plain connection (three statements; an ORM session would only add its bookkeeping)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("缺少 API 令牌（Authorization: Bearer …）")
    now = now_utc()
    with write_connection(api_state(request)) as conn:
        found = authenticate(conn, credentials.credentials.strip())
        if found is None:
            hits = 0
        else:
            hits = count(conn, token_id=found.id, now=now)
            record_use(
                conn,
                actor=found.actor,
                target=f"{request.method} {request.url.path}",
                details={
                    "token": found.name,
                    "method": request.method,
                    "path": request.url.path,
                    "params": sorted(request.query_params.keys()),
                    "refused": hits > found.rate_per_minute,
                },
                address=request.client.host if request.client else "",
                now=now,
            )
    if found is None:
        raise Unauthorized("API 令牌无效或已撤销")
    check(hits, limit=found.rate_per_minute, now=now)
    request.state.caller = found
    return found


_AUDIT = AuditEntry.__table__  # type: ignore[attr-defined]  # SQLModel declares no __table__
_INSERT_AUDIT = insert(_AUDIT)  # built once: every call runs it, values bound per call


def _clean(text: str, limit: int) -> str:
    """`audit.clean`, at once for short printable ASCII (a token's name, a plain path, an
    address), which it leaves as it is: no control or bidi character is ASCII printable."""
    if len(text) <= limit and text.isascii() and text.isprintable():
        return text
    return audit.clean(text, limit)


def record_use(
    conn: Connection,
    *,
    actor: str,
    target: str,
    details: dict[str, Any],
    address: str,
    now: datetime,
) -> None:
    """The `api_token_used` entry of one request: the row `audit.record` writes (cleaned the
    same way; tests/api/test_api_speed.py compares them), as one Core insert on the call's
    connection, without building an ORM object and flushing it (every API call writes one)."""
    row = {
        "at": now,
        "actor": _clean(actor, 100),
        "action": AuditAction.API_TOKEN_USED.value,
        "target": _clean(target, 200),
        "address": _clean(address, 64),
        "via": AuditChannel.API.value,
        "personal_data": False,
        "details": dict(details),
    }
    conn.execute(_INSERT_AUDIT, row)


async def writer(token: Annotated[Caller, Depends(caller)]) -> Caller:
    """A token that may write (`async`: no I/O here, so no hop to the thread pool)."""
    if not token.can_write:
        raise PermissionDenied("该令牌只读，不能写入", field="scope")
    return token


Reader = Annotated[Caller, Depends(caller)]
Writer = Annotated[Caller, Depends(writer)]


def authorized_application(
    session: Session, token: Caller, number: str, *, lock: bool = False
) -> Application:
    """Application `number`, once `token` may see it (else `NotFound`)."""
    app = get_application(session, number, lock=lock)
    if token.department_id is not None and app.lead_department_id != token.department_id:
        raise NotFound(f"没有编号为 {number} 的申请", field="number")
    return app
