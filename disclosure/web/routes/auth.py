"""Signing in and out (argon2 passwords, throttled per username and address)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from disclosure.db import transaction
from disclosure.services.users import authenticate
from disclosure.web.deps import web
from disclosure.web.render import flash, render
from disclosure.web.security import csrf_token

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only local paths: never redirect to another site after login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    if isinstance(request.session.get("uid"), int):
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
    address = request.client.host if request.client else "?"
    context = {"next": _safe_next(next), "form": {"username": username}}
    wait = st.throttle.blocked_for(username, address)
    if wait:
        minutes = (wait + 59) // 60
        context["errors"] = {
            "_form": f"登录失败次数过多，请 {minutes} 分钟后再试 / too many attempts"
        }
        return render(request, "login.html", context, 429)
    with transaction(st.engine) as session:
        user = authenticate(session, username=username, password=password)
    if user is None:
        st.throttle.failed(username, address)
        context["errors"] = {"_form": "用户名或密码错误 / wrong username or password"}
        return render(request, "login.html", context, 400)
    st.throttle.succeeded(username, address)
    request.session.clear()  # a fresh session (and CSRF token) on every sign-in
    request.session.update({"uid": user.id, "username": user.username})
    csrf_token(request.session)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    request.session.clear()
    flash(request, "已退出登录")
    return RedirectResponse("/login", status_code=303)
