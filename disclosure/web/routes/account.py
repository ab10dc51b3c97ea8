"""A signed-in person's own account: changing the password (the policy of
`services.passwords`; a one-time password from `disclosure user reset` is changed here, the
only page such a session may open: `deps.current_user`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from disclosure import audit
from disclosure.db import transaction
from disclosure.errors import InvalidInput
from disclosure.people import accounts
from disclosure.vocabulary import AuditAction
from disclosure.web.deps import SessionUser, client_address, web
from disclosure.web.forms import Form, text
from disclosure.web.render import flash, render

router = APIRouter(prefix="/account")


def _page(request: Request, errors: dict[str, str], status: int = 200) -> Response:
    user = request.state.user
    return render(
        request,
        "account_password.html",
        {"errors": errors, "forced": bool(user and user.must_change_password)},
        status,
    )


@router.get("/password")
def password_page(request: Request, user: SessionUser) -> Response:
    return _page(request, {})


@router.post("/password")
def change_password(request: Request, user: SessionUser, form: Form) -> Response:
    st = web(request)
    request.state.rerender = lambda errors, status: _page(request, errors, status)
    new = text(form, "password")
    if new != text(form, "confirm"):
        raise InvalidInput("两次输入的新密码不一致", field="confirm")
    with transaction(st.engine) as session:
        accounts.change_password(
            session, username=user.username, current=text(form, "current"), new=new
        )
        audit.record(
            session,
            actor=user.username,
            action=AuditAction.PASSWORD_CHANGED,
            target=user.username,
            address=client_address(request),
        )
    flash(request, "密码已修改，请用新密码重新登录")
    return RedirectResponse("/login", status_code=303)
