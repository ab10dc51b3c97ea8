"""Rendering pages with the context every template expects, and one-shot flash messages."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from disclosure.models import Role
from disclosure.web.deps import web
from disclosure.web.security import CSRF_FIELD, csrf_token

FLASH_KEY = "flash"


def flash(request: Request, message: str, kind: str = "ok") -> None:
    request.session.setdefault(FLASH_KEY, []).append([kind, message])


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    st = web(request)
    user = getattr(request.state, "user", None)
    base = {
        "user": user,
        "is_office": user is not None and user.role in (Role.ADMIN.value, Role.CLERK.value),
        "is_admin": user is not None and user.role == Role.ADMIN.value,
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(request.session),
        "office": st.settings.office,
        "today": st.today(),
        "flashes": request.session.pop(FLASH_KEY, []),
        "errors": {},
        "form": {},
    }
    base.update(context or {})
    return st.templates.TemplateResponse(request, name, base, status_code=status_code)
