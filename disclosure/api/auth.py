"""Who is calling: the bearer token of the request, its scope and its department.

Whether a call is refused — past its rate, a read-only token writing, a department token
reading the office's figures or another department's application — is decided in `refusal`,
in the transaction that records the call, so its audit entry says so (entries are never
changed afterwards). What only the body tells — a department token registering into another
department, re-pushing another department's reference, recording a step the office records —
the route refuses with a `Refusal`; its handler appends a second entry that names the first
(`corrects`) and says the call was refused after all.

A token limited to one department gets 404 for another department's application, exactly as
for a missing one, so guessing numbers reveals nothing (as the web pages do, `web.deps`); the
routes check it again on the rows they read (`authorized_application`, the same test
`outside`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, ClassVar, cast

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection, bindparam, insert
from sqlalchemy import select as core_select
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from disclosure import audit
from disclosure.api.problems import Unauthorized, problem, status_of
from disclosure.api.rate import RateLimited, check, count
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


@dataclass(frozen=True)
class Need:
    """What a route asks of its token beyond a valid one within its rate."""

    write: bool = False  # a write scope
    office: str = ""  # the whole office's figures: refused to a department token with this


_LEAD = core_select(Application.__table__.c.lead_department_id).where(  # type: ignore[attr-defined]
    Application.__table__.c.number == bindparam("number")  # type: ignore[attr-defined]
)


def outside(token: Caller, lead_department_id: int | None) -> bool:
    """Whether an application led by `lead_department_id` is hidden from `token`."""
    return token.department_id is not None and lead_department_id != token.department_id


def refusal(
    conn: Connection, token: Caller, *, hits: int, need: Need, number: str | None, now: datetime
) -> tuple[str, Exception] | None:
    """Why the call is refused — the audit entry's `reason` and the error answered — or None:
    past its rate (429), a read-only token writing (403), a department token reading the
    office's figures (403) or another department's application `number` (404, as for a
    missing one; a missing one is left to the route)."""
    try:
        check(hits, limit=token.rate_per_minute, now=now)
    except RateLimited as exc:
        return "rate", exc
    if need.write and not token.can_write:
        return "scope", PermissionDenied("该令牌只读，不能写入", field="scope")
    if need.office and token.department_id is not None:
        return "department", PermissionDenied(need.office, field="department")
    if number is not None and token.department_id is not None:
        lead = conn.execute(_LEAD, {"number": number}).first()
        if lead is not None and outside(token, lead[0]):
            return "department", NotFound(f"没有编号为 {number} 的申请", field="number")
    return None


def _call(request: Request, credentials: HTTPAuthorizationCredentials | None, need: Need) -> Caller:
    """The request's token, once authenticated, counted against its rate, checked against
    what the route needs (`refusal`) and recorded in the audit log (`api_token_used`: token
    name as `api:<name>`, method, path, parameter names, whether and why it was refused;
    never parameter values, which may hold a name searched for) — one write transaction, on
    a plain connection (a few statements; an ORM session would only add its bookkeeping).
    The entry is written once the call is decided, since entries are never changed."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("缺少 API 令牌（Authorization: Bearer …）")
    now = now_utc()
    refused = None
    with write_connection(api_state(request)) as conn:
        found = authenticate(conn, credentials.credentials.strip())
        if found is not None:
            hits = count(conn, token_id=found.id, now=now)
            number = request.path_params.get("number")
            refused = refusal(conn, found, hits=hits, need=need, number=number, now=now)
            details = {
                "token": found.name,
                "method": request.method,
                "path": request.url.path,
                "params": sorted(request.query_params.keys()),
                "refused": refused is not None,
            }
            if refused is not None:
                details["reason"] = refused[0]
            entry = Use(
                actor=found.actor,
                target=f"{request.method} {request.url.path}",
                details=details,
                address=request.client.host if request.client else "",
            )
            entry_id = record_use(conn, entry, now=now)
    if found is None:
        raise Unauthorized("API 令牌无效或已撤销")
    if refused is not None:
        raise refused[1]
    request.state.caller = found
    request.state.audit_entry = (entry_id, entry)  # for a refusal the route decides (below)
    return found


def guard(need: Need) -> Callable[..., Caller]:
    """The dependency of a route that needs `need` of its token (`_call`)."""

    def dependency(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Caller:
        return _call(request, credentials, need)

    return dependency


caller = guard(Need())


_AUDIT = AuditEntry.__table__  # type: ignore[attr-defined]  # SQLModel declares no __table__
# built once: every call runs it, values bound per call
_INSERT_AUDIT = insert(_AUDIT).returning(_AUDIT.c.id)


def _clean(text: str, limit: int) -> str:
    """`audit.clean`, at once for short printable ASCII (a token's name, a plain path, an
    address), which it leaves as it is: no control or bidi character is ASCII printable."""
    if len(text) <= limit and text.isascii() and text.isprintable():
        return text
    return audit.clean(text, limit)


@dataclass(frozen=True)
class Use:
    """What an `api_token_used` entry says of one call."""

    actor: str
    target: str
    details: dict[str, Any]
    address: str


def record_use(conn: Connection, use: Use, *, now: datetime) -> int:
    """The `api_token_used` entry of one request, and its id: the row `audit.record` writes
    (cleaned the same way; tests/api/test_api_speed.py compares them), as one Core insert on
    the call's connection, without building an ORM object and flushing it (every API call
    writes one)."""
    row = {
        "at": now,
        "actor": _clean(use.actor, 100),
        "action": AuditAction.API_TOKEN_USED.value,
        "target": _clean(use.target, 200),
        "address": _clean(use.address, 64),
        "via": AuditChannel.API.value,
        "personal_data": False,
        "details": dict(use.details),
    }
    return int(conn.execute(_INSERT_AUDIT, row).scalar_one())


class Refusal(Exception):
    """Mixed into the error a route raises when what the body asks is not this token's to
    ask; `install`'s handler records it (docs/api.md, "Every call recorded")."""

    reason: ClassVar[str] = "department"


class DepartmentDenied(Refusal, PermissionDenied):
    """403: a department token asking for what only the office, or another department, may."""


class HiddenApplication(Refusal, NotFound):
    """404, as for a missing one: another department's application, found by what the body
    names (a pushed reference)."""


def _record_refusal(request: Request, reason: str) -> None:
    entry_id, use = request.state.audit_entry
    details = {**use.details, "refused": True, "reason": reason, "corrects": entry_id}
    with write_connection(api_state(request)) as conn:
        record_use(conn, Use(use.actor, use.target, details, use.address), now=now_utc())


def install(api: FastAPI) -> None:
    """The handler of `Refusal`s (found before `DisclosureError`'s: it comes first in their
    method resolution order): the correcting entry, then the usual problem answer."""

    @api.exception_handler(Refusal)
    async def _refused(request: Request, exc: Refusal) -> JSONResponse:
        assert isinstance(exc, PermissionDenied | NotFound)
        if getattr(request.state, "audit_entry", None) is not None:
            await run_in_threadpool(_record_refusal, request, exc.reason)
        return problem(status_of(exc), exc.message, field=exc.field)


Reader = Annotated[Caller, Depends(caller)]
Writer = Annotated[Caller, Depends(guard(Need(write=True)))]
OfficeReader = Annotated[  # the annual report: the whole office's statistics
    Caller, Depends(guard(Need(office="年度报告是全机关的统计，部门令牌不能读取")))
]


def authorized_application(
    session: Session, token: Caller, number: str, *, lock: bool = False
) -> Application:
    """Application `number`, once `token` may see it (else `NotFound`)."""
    app = get_application(session, number, lock=lock)
    if outside(token, app.lead_department_id):
        raise HiddenApplication(f"没有编号为 {number} 的申请", field="number")
    return app
