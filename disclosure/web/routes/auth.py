"""Signing in and out: argon2 passwords, server-side sessions, a throttle kept in the
database, every sign-in and failure in the audit log (docs/security.md)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from disclosure import audit
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.services import sessions, throttle
from disclosure.services.users import authenticate
from disclosure.vocabulary import AuditAction
from disclosure.web.deps import PASSWORD_PAGE, client_address, web
from disclosure.web.devices import known_device, remember_device
from disclosure.web.edge import SESSION_TOKEN, signed_in_user
from disclosure.web.render import flash, render
from disclosure.web.security import csrf_token

router = APIRouter()
SIGN_IN_WAIT = 10.0  # seconds to wait for a free password check before answering 503


def _safe_next(target: str | None) -> str:
    """Only local paths: never redirect to another site after login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    if signed_in_user(web(request).engine, request.session) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", {"next": _safe_next(next)})


@router.post("/login")
def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    next: str = Form("/"),
) -> Response:
    st = web(request)
    https = st.settings.web.https
    address = client_address(request)
    device = known_device(request, secret=st.secret, https=https, username=username)
    context = {"next": _safe_next(next), "form": {"username": username}}
    now = now_utc()
    with transaction(st.engine, write=False) as session:
        wait = throttle.blocked_for(
            session,
            policy=st.throttle,
            username=username,
            address=address,
            device=device,
            now=now,
        )
    if wait:
        minutes = (wait + 59) // 60
        context["errors"] = {"_form": f"登录失败次数过多，请 {minutes} 分钟后再试"}
        return render(request, "login.html", context, 429)
    if not st.sign_ins.acquire(timeout=SIGN_IN_WAIT):
        context["errors"] = {"_form": "同时登录的人较多，请稍后再试"}
        return render(request, "login.html", context, 503)
    try:
        # Not in a write transaction: the password check takes tens of milliseconds and must
        # not hold SQLite's write lock (a stale hash is re-hashed when the session commits).
        with transaction(st.engine, write=False) as session:
            user = authenticate(session, username=username, password=password)
            uid, name = (user.id, user.username) if user is not None else (None, "")
            one_time = user is not None and user.must_change_password
    finally:
        st.sign_ins.release()
    now = now_utc()
    with transaction(st.engine) as session:
        if uid is None:
            locked = throttle.record_failure(
                session,
                policy=st.throttle,
                username=username,
                address=address,
                device=device,
                now=now,
            )
            audit.record(
                session,
                actor=username,
                action=AuditAction.SIGN_IN_FAILED,
                address=address,
                now=now,
            )
            if locked:
                audit.record(
                    session,
                    actor=username,
                    action=AuditAction.SIGN_IN_LOCKED,
                    address=address,
                    details={"known_browser": device is not None},
                    now=now,
                )
        else:
            sessions.close_session(session, request.session.get(SESSION_TOKEN))  # any earlier
            throttle.record_success(session, username=username, address=address, device=device)
            token = sessions.open_session(
                session,
                user_id=uid,
                now=now,
                lifetime=st.session_lifetime,
                address=address,
                user_agent=request.headers.get("user-agent", ""),
            )
            audit.record(session, actor=name, action=AuditAction.SIGN_IN, address=address, now=now)
    if uid is None:
        context["errors"] = {"_form": "用户名或密码错误"}
        return render(request, "login.html", context, 400)
    request.session.clear()  # a fresh session (and CSRF token) on every sign-in
    request.session[SESSION_TOKEN] = token
    csrf_token(request.session)
    # A one-time password (`disclosure user reset`) is changed before anything else.
    target = PASSWORD_PAGE if one_time else _safe_next(next)
    response = RedirectResponse(target, status_code=303)
    remember_device(response, secret=st.secret, https=https, username=name, device=device)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    st = web(request)
    user = getattr(request.state, "user", None)
    with transaction(st.engine) as session:
        sessions.close_session(session, request.session.get(SESSION_TOKEN))
        if user is not None:
            audit.record(
                session,
                actor=user.username,
                action=AuditAction.SIGN_OUT,
                address=client_address(request),
            )
    request.session.clear()
    flash(request, "已退出登录")
    response = RedirectResponse("/login", status_code=303)
    response.headers["Clear-Site-Data"] = '"cache"'
    return response
