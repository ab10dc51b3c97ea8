"""Who is calling: the bearer token of the request, its scope and its department.

Access to an application is decided in `authorized_application` and nowhere else: a token
limited to one department gets 404 for another department's application, exactly as for a
missing one, so guessing numbers reveals nothing (as the web pages do, `web.deps`).
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from disclosure.api.problems import Unauthorized
from disclosure.api.rate import hit
from disclosure.api.tokens import Caller, authenticate
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import NotFound, PermissionDenied
from disclosure.models import Application
from disclosure.services.lookup import get_application
from disclosure.web.state import WebState

# auto_error=False: a missing header is answered by our own 401 problem, not FastAPI's 403.
_bearer = HTTPBearer(auto_error=False, description="API 令牌（disclosure token add）")


def api_state(request: Request) -> WebState:
    return cast(WebState, request.app.state.web)  # set by `create_api`


def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("缺少 API 令牌（Authorization: Bearer …）")
    with transaction(api_state(request).engine, write=False) as session:
        found = authenticate(session, credentials.credentials.strip())
    if found is None:
        raise Unauthorized("API 令牌无效或已撤销")
    hit(api_state(request).engine, token_id=found.id, limit=found.rate_per_minute, now=now_utc())
    request.state.caller = found
    return found


def writer(token: Annotated[Caller, Depends(caller)]) -> Caller:
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
