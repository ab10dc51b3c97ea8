"""The admins' token page: list, create (secret shown once, usable at once), revoke; only
admins; webhook subscriptions with their failures listed."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlmodel import select

from disclosure.api.models import ApiToken
from disclosure.api.tokens import authenticate, digest
from disclosure.api.webhooks import add_webhook
from disclosure.db import transaction
from tests.web.conftest import csrf_of

NOW = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)


def _post(client: TestClient, url: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get("/admin/tokens").text)
    return client.post(url, data={**data, "csrf_token": token})


def test_admin_creates_sees_once_and_revokes_a_token(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    admin = client_for("admin")
    assert 'href="/admin/tokens"' in admin.get("/admin/users").text
    r = _post(admin, "/admin/tokens", {"name": "oa", "scope": "read", "department": "hbc"})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    secret = r.text.split('<code class="secret">')[1].split("</code>")[0]
    assert secret.startswith("dtk_")
    with transaction(engine, write=False) as session:
        row = session.exec(select(ApiToken).where(ApiToken.name == "oa")).one()
        assert row.secret_sha256 == digest(secret) and row.created_by == "admin"
        caller = authenticate(session.connection(), secret)
        assert caller is not None and caller.scope == "read" and caller.department_id
    listing = admin.get("/admin/tokens").text
    assert "oa" in listing and secret not in listing  # shown once only
    assert _post(admin, "/admin/tokens/oa/revoke", {}).status_code == 303
    assert "已撤销" in admin.get("/admin/tokens").text
    with transaction(engine, write=False) as session:
        assert authenticate(session.connection(), secret) is None


def test_bad_input_names_the_field_and_writes_nothing(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    admin = client_for("admin")
    for data, message in (
        ({"name": "坏 名字"}, "令牌名称"),
        ({"name": "x", "scope": "admin"}, "权限范围"),
        ({"name": "x", "rate": "many"}, "应为整数"),
        ({"name": "x", "department": "nope"}, "nope"),
    ):
        r = _post(admin, "/admin/tokens", data)
        assert r.status_code in (400, 404, 422), (data, r.status_code)
        assert message in r.text and 'class="secret"' not in r.text
    with transaction(engine, write=False) as session:
        assert session.exec(select(ApiToken)).all() == []
    _post(admin, "/admin/tokens", {"name": "oa"})
    again = _post(admin, "/admin/tokens", {"name": "oa"})
    assert again.status_code == 409 and "已有名为 oa 的令牌" in again.text


def test_only_admins_reach_the_page(client_for) -> None:  # type: ignore[no-untyped-def]
    for who in ("clerk", "zcfg_user"):
        assert client_for(who).get("/admin/tokens").status_code == 403
    assert client_for(None).get("/admin/tokens").status_code in (303, 401)


def test_failing_webhooks_are_shown(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        add_webhook(session, name="oa-hook", url="http://127.0.0.1:9/x", actor="a", now=NOW)
    page = client_for("admin").get("/admin/tokens").text
    assert "oa-hook" in page and "http://127.0.0.1:9/x" in page
