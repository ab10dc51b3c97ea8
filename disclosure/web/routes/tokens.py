"""API tokens for admins: list, create (the secret shown once), revoke; and the webhook
subscriptions with their failing deliveries (`disclosure token …`, `disclosure webhook …`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from disclosure.api import tokens, webhooks
from disclosure.api.models import DEFAULT_RATE
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import InvalidInput
from disclosure.services.departments import list_departments
from disclosure.web.deps import AdminUser, web
from disclosure.web.forms import Form, text, values
from disclosure.web.render import flash, render

router = APIRouter()
SCOPE_LABELS = {"read": "只读", "write": "读写"}


def _page(
    request: Request,
    form: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    created: dict[str, Any] | None = None,
) -> Response:
    with transaction(web(request).engine, write=False) as session:
        rows = tokens.list_tokens(session)
        hooks = webhooks.list_webhooks(session)
        departments = list_departments(session)
    response = render(
        request,
        "tokens.html",
        {
            "rows": rows,
            "hooks": hooks,
            "scopes": list(SCOPE_LABELS.items()),
            "scope_labels": SCOPE_LABELS,
            "departments": [(d.code, d.name) for d in departments if d.active],
            "department_names": {d.code: d.name for d in departments},
            "form": form,
            "errors": errors,
            "created": created,
        },
        status,
    )
    response.headers["Cache-Control"] = "no-store"  # the page may show a secret
    return response


@router.get("/admin/tokens")
def tokens_page(request: Request, user: AdminUser) -> Response:
    return _page(request, {"scope": "read"}, {})


def _rate(form: Form) -> int:
    raw = text(form, "rate") or str(DEFAULT_RATE)
    try:
        return int(raw)
    except ValueError as exc:
        raise InvalidInput(f"应为整数，收到 {raw!r}", field="rate") from exc


@router.post("/admin/tokens")
def add_token(request: Request, user: AdminUser, form: Form) -> Response:
    shown = values(form)
    request.state.rerender = lambda errors, status: _page(request, shown, errors, status)
    with transaction(web(request).engine) as session:
        row, secret = tokens.add_token(
            session,
            name=text(form, "name"),
            scope=text(form, "scope") or "read",
            department=text(form, "department") or None,
            source=text(form, "source") or None,
            rate_per_minute=_rate(form),
            actor=user.username,
            now=now_utc(),
        )
        created = {"name": row.name, "token": secret}
    return _page(request, {"scope": "read"}, {}, 200, created)


@router.post("/admin/tokens/{name}/revoke")
def revoke_token(request: Request, name: str, user: AdminUser) -> Response:
    with transaction(web(request).engine) as session:
        tokens.revoke_token(
            session,
            name=name,
            actor=user.username,
            now=now_utc(),
            tz=web(request).settings.office.timezone,
        )
    flash(request, f"已撤销令牌 {name}")
    return RedirectResponse("/admin/tokens", status_code=303)
