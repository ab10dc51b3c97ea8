"""Request dependencies: the signed-in user, role checks, CSRF, and application access.

Access to an application is decided in `authorized_number` and nowhere else.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, cast

from fastapi import Depends, Request
from sqlmodel import Session, select

from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import NotFound, PermissionDenied
from disclosure.models import Application, Role, User
from disclosure.services.sessions import find_user
from disclosure.web.edge import SESSION_TOKEN
from disclosure.web.security import CSRF_FIELD, csrf_valid
from disclosure.web.state import WebState

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
SEEN_KEY = "seen"
IDLE_TOUCH = 60  # seconds


class LoginRequired(Exception):
    """No signed-in user: the error handler redirects to the login page."""


class PasswordChangeRequired(Exception):
    """Signed in with a one-time password (`disclosure user reset`): the error handler
    redirects to `PASSWORD_PAGE`, the one page such a session may use (and signing out)."""


PASSWORD_PAGE = "/account/password"


def web(request: Request) -> WebState:
    return cast(WebState, request.app.state.web)  # set by `create_app`


def client_address(request: Request) -> str:
    """The client's IP address. Behind a proxy listed in `[web] trusted_proxies` it is the one
    the proxy forwarded (uvicorn's ProxyHeadersMiddleware, installed by `create_app`);
    X-Forwarded-For from anyone else is ignored."""
    return request.client.host if request.client else ""


async def csrf_guard(request: Request) -> AsyncIterator[None]:
    """Every state-changing request must carry the session's CSRF token in its form.

    The parsed form (cached by Starlette for the route) is closed when the request ends,
    which removes uploaded files' temporary storage.
    """
    if request.method in SAFE_METHODS:
        yield
        return
    form = await request.form()
    try:
        if not csrf_valid(request.session, form.get(CSRF_FIELD)):
            raise PermissionDenied(
                "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试",
                field="csrf",
            )
        yield
    finally:
        await form.close()


async def current_user(request: Request) -> User:
    """The signed-in, active user of this session (else `LoginRequired`), who has set their
    own password (else `PasswordChangeRequired`).

    Runs on the event loop, not in the thread pool: it is one primary-key read, cheaper than
    the hop to a worker thread and back, which every request would otherwise pay (measured
    in docs/bench-notes/web.md). For requests with a body the request gate has already
    checked (web.edge) and left the user on the request.
    """
    return _own_password(await session_user(request))


async def session_user(request: Request) -> User:
    """`current_user`, also while the password is still a one-time one: for the password
    page itself."""
    user = getattr(request.state, "user", None)
    if isinstance(user, User):
        return user
    if not request.session.get(SESSION_TOKEN):
        raise LoginRequired
    with transaction(web(request).engine, write=False) as session:
        return _signed_in(request, session)


def _own_password(user: User) -> User:
    if user.must_change_password:
        raise PasswordChangeRequired
    return user


def signed_in(request: Request, session: Session) -> User:
    """`current_user` inside a transaction the caller already holds (see `_signed_in`)."""
    return _own_password(_signed_in(request, session))


def _signed_in(request: Request, session: Session) -> User:
    """`session_user` inside a transaction the caller already holds.

    For the pages that every clerk loads all day (the list): one transaction per request
    instead of two, which on PostgreSQL is one connection check-out and three round trips
    fewer.

    The session cookie is re-signed at most once a minute (`IDLE_TOUCH`): its signature's
    timestamp is what `[web] idle_minutes` measures, so a user who keeps reading stays signed
    in and one who walks away is signed out.
    """
    now = now_utc()
    user = find_user(session, request.session.get(SESSION_TOKEN), now=now)
    if user is None:
        request.session.clear()
        raise LoginRequired
    # Detached: a rollback of the page's transaction (bad input) must not expire the user,
    # whom the error page still shows.
    session.expunge(user)
    request.state.user = user
    stamp = int(now.timestamp())
    seen = request.session.get(SEEN_KEY)
    if not isinstance(seen, int) or stamp - seen >= IDLE_TOUCH:
        request.session[SEEN_KEY] = stamp
    return user


CurrentUser = Annotated[User, Depends(current_user)]
SessionUser = Annotated[User, Depends(session_user)]


def require(*roles: Role):  # type: ignore[no-untyped-def]
    allowed = {r.value for r in roles}

    async def check(user: CurrentUser) -> User:  # no I/O: no thread hop
        if user.role not in allowed:
            raise PermissionDenied("您的账号无权进行此操作", field="role")
        return user

    return check


OfficeUser = Annotated[User, Depends(require(Role.ADMIN, Role.CLERK))]
AdminUser = Annotated[User, Depends(require(Role.ADMIN))]


def department_scope(user: User) -> int | None:
    """The department whose applications `user` is limited to (None = all)."""
    if user.role == Role.DEPARTMENT.value:
        return user.department_id if user.department_id is not None else -1
    return None


def authorized_number(number: str, request: Request, user: CurrentUser) -> str:
    """The application number from the URL, once `user` may see that application.

    Another department's application answers 404 exactly like a missing one, so guessing
    numbers reveals nothing.
    """
    with transaction(web(request).engine, write=False) as session:
        stmt = select(Application.id, Application.lead_department_id)
        row = session.exec(stmt.where(Application.number == number)).first()
    scope = department_scope(user)
    if row is None or (scope is not None and row[1] != scope):
        raise NotFound(f"没有编号为 {number} 的申请", field="NUMBER")
    return number


AuthorizedNumber = Annotated[str, Depends(authorized_number)]
