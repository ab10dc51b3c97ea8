"""Server-side sessions: a copied cookie dies with sign-out, password change and disabling;
lifetimes; cookie attributes; a fresh token at every sign-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from sqlmodel import select

from disclosure.db import transaction
from disclosure.models import User
from disclosure.ops.models import WebSession
from disclosure.services import users as user_svc
from disclosure.web.app import create_app
from tests.web.conftest import PASSWORD, TODAY, csrf_of

COOKIE = "disclosure_session"


def _copy(client: TestClient, base_url: str = "http://testserver") -> TestClient:
    """Another browser holding a copy of `client`'s session cookie."""
    thief = TestClient(client.app, follow_redirects=False, base_url=base_url)
    thief.cookies.set(COOKIE, client.cookies[COOKIE])
    return thief


def _uid(engine: Engine, name: str) -> int:
    with transaction(engine, write=False) as session:
        user = session.exec(select(User).where(User.username == name)).one()
        assert user.id is not None
        return user.id


def test_a_copied_cookie_stops_working_after_sign_out(client_for) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    thief = _copy(clerk)
    assert thief.get("/applications").status_code == 200  # the copy works while signed in
    token = csrf_of(clerk.get("/").text)
    assert clerk.post("/logout", data={"csrf_token": token}).status_code == 303
    assert thief.get("/applications").status_code == 303
    assert thief.get("/applications").headers["location"].startswith("/login")


def test_a_password_change_ends_every_other_sign_in(client_for, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    clerk, elsewhere = client_for("clerk"), client_for("clerk")
    with transaction(engine) as session:
        user_svc.set_password(
            session, user_id=_uid(engine, "clerk"), password="new-long-passphrase-7"
        )
    assert clerk.get("/").status_code == 303
    assert elsewhere.get("/").status_code == 303


def test_disabling_an_account_ends_its_sessions(client_for, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    admin = client_for("admin")
    uid = _uid(engine, "clerk")
    token = csrf_of(admin.get("/admin/users").text)
    r = admin.post(f"/admin/users/{uid}/active", data={"active": "0", "csrf_token": token})
    assert r.status_code == 303
    with transaction(engine, write=False) as session:
        assert session.exec(select(WebSession).where(WebSession.user_id == uid)).all() == []
    assert clerk.get("/").status_code == 303


def test_the_absolute_lifetime_ends_a_session(client_for, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    with transaction(engine) as session:
        session.execute(
            update(WebSession).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert clerk.get("/").status_code == 303


def test_every_sign_in_gets_a_new_token(client_for) -> None:  # type: ignore[no-untyped-def]
    anon = client_for(None)
    before = anon.get("/login").cookies.get(COOKIE) or anon.cookies.get(COOKIE)
    page = anon.get("/login")
    r = anon.post(
        "/login", data={"username": "clerk", "password": PASSWORD, "csrf_token": csrf_of(page.text)}
    )
    assert r.status_code == 303
    after = anon.cookies[COOKIE]
    assert after != before
    # the pre-login cookie (a fixation attempt) signs nobody in
    planted = TestClient(anon.app, follow_redirects=False)
    if before:
        planted.cookies.set(COOKIE, before)
    assert planted.get("/").status_code == 303


def test_the_token_is_stored_only_as_a_hash(client_for, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    import base64
    import json

    clerk = client_for("clerk")
    payload = clerk.cookies[COOKIE].split(".")[0]
    data = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    with transaction(engine, write=False) as session:
        ids = session.exec(select(WebSession.id)).all()
    assert len(data["sid"]) >= 43  # 256 bits, base64url
    assert data["sid"] not in ids and len(ids) == 1 and len(ids[0]) == 64


@pytest.mark.parametrize("https", [False, True], ids=["http", "https"])
def test_cookie_attributes(settings, engine, users, https: bool) -> None:  # type: ignore[no-untyped-def]
    settings.web.secret_key = "test-secret-key"
    settings.web.https = https
    app = create_app(settings, engine, today=lambda: TODAY)
    base = "https://testserver" if https else "http://testserver"
    with TestClient(app, follow_redirects=False, base_url=base) as client:
        page = client.get("/login")
        r = client.post(
            "/login",
            data={"username": "clerk", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        )
        cookies = r.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if "disclosure_session=" in c).lower()
    device_cookie = next(c for c in cookies if "disclosure_device=" in c).lower()
    assert "httponly" in session_cookie and "samesite=lax" in session_cookie
    assert "httponly" in device_cookie and "path=/login" in device_cookie
    if https:
        assert session_cookie.startswith("__host-") and "secure" in session_cookie
        assert "path=/" in session_cookie and "domain=" not in session_cookie
        assert device_cookie.startswith("__secure-") and "secure" in device_cookie
    else:
        assert "secure" not in session_cookie


def test_an_idle_session_expires(settings, engine, users, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import itsdangerous

    settings.web.secret_key = "test-secret-key"
    settings.web.idle_minutes = 30
    app = create_app(settings, engine, today=lambda: TODAY)
    with TestClient(app, follow_redirects=False) as client:
        page = client.get("/login")
        client.post(
            "/login",
            data={"username": "clerk", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        )
        assert client.get("/").status_code == 200
        later = itsdangerous.TimestampSigner.get_timestamp  # the cookie's clock, 31 minutes on
        monkeypatch.setattr(
            itsdangerous.TimestampSigner,
            "get_timestamp",
            lambda self: later(self) + 31 * 60,
        )
        assert client.get("/").status_code == 303


def test_signing_in_again_ends_the_earlier_token(client_for) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    earlier = _copy(clerk)
    token = csrf_of(clerk.get("/").text)
    r = clerk.post("/login", data={"username": "clerk", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 303
    assert clerk.get("/").status_code == 200
    assert earlier.get("/").status_code == 303
