"""Signing in: redirects, wrong passwords, throttling, CSRF, tampered cookies."""

from __future__ import annotations

import pytest

from tests.web.conftest import PASSWORD, csrf_of


def test_anonymous_is_sent_to_login(client_for):
    anon = client_for(None)
    for url in ("/", "/applications", "/applications/2026-00001", "/admin/users", "/calendar"):
        r = anon.get(url)
        assert r.status_code == 303, url
        assert r.headers["location"].startswith("/login?next="), url


def test_login_then_back_to_requested_page(client_for):
    anon = client_for(None)
    page = anon.get("/login?next=/applications")
    r = anon.post(
        "/login",
        data={
            "username": "clerk",
            "password": PASSWORD,
            "next": "/applications",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/applications"
    assert anon.get("/applications").status_code == 200


def test_login_never_redirects_off_site(client_for):
    anon = client_for(None)
    page = anon.get("/login")
    r = anon.post(
        "/login",
        data={
            "username": "clerk",
            "password": PASSWORD,
            "next": "//evil.example/x",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert r.headers["location"] == "/"


def test_wrong_password_is_refused_in_chinese(client_for):
    anon = client_for(None)
    page = anon.get("/login")
    r = anon.post(
        "/login",
        data={"username": "clerk", "password": "nope", "csrf_token": csrf_of(page.text)},
    )
    assert r.status_code == 400
    assert "用户名或密码错误" in r.text
    assert anon.get("/").status_code == 303


def test_login_is_throttled_per_username_and_address(client_for, settings):
    anon = client_for(None)
    token = csrf_of(anon.get("/login").text)
    for _ in range(settings.web.login_attempts):
        r = anon.post("/login", data={"username": "clerk", "password": "x", "csrf_token": token})
        assert r.status_code == 400
    # Even the right password is refused now.
    r = anon.post("/login", data={"username": "clerk", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 429
    assert "登录失败次数过多" in r.text
    # Another account from the same address is not affected.
    r = anon.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 303


def test_post_without_csrf_token_is_refused(client_for):
    clerk = client_for("clerk")
    r = clerk.post(
        "/applications/new",
        data={
            "channel": "in_person",
            "received": "2026-03-02",
            "applicant": "张三",
            "applicant_type": "natural",
            "content": "x",
        },
    )
    assert r.status_code == 403
    assert "CSRF" in r.text
    r = clerk.post("/applications/new", data={"csrf_token": "forged", "applicant": "张三"})
    assert r.status_code == 403
    assert "2026-00001" not in clerk.get("/applications?status=all").text


def test_login_form_needs_csrf_token(client_for):
    anon = client_for(None)
    r = anon.post("/login", data={"username": "clerk", "password": PASSWORD})
    assert r.status_code == 403


def test_csrf_token_of_another_session_is_refused(client_for):
    clerk = client_for("clerk")
    other = client_for("admin")
    foreign = csrf_of(other.get("/applications/new").text)
    r = clerk.post("/logout", data={"csrf_token": foreign})
    assert r.status_code == 403


def test_forged_session_cookie_is_ignored(client_for):
    """A cookie claiming to be the admin, without the server's signature, signs nobody in."""
    import base64
    import json

    anon = client_for(None)
    payload = base64.b64encode(json.dumps({"uid": 1, "username": "admin"}).encode()).decode()
    anon.cookies.set("disclosure_session", payload + ".aaaa.bbbb")
    assert anon.get("/").status_code == 303


def test_logout_ends_the_session(client_for):
    clerk = client_for("clerk")
    token = csrf_of(clerk.get("/").text)
    assert clerk.post("/logout", data={"csrf_token": token}).status_code == 303
    assert clerk.get("/").status_code == 303


@pytest.mark.parametrize("page", ["/", "/applications", "/applications?q=x"])
def test_disabled_user_is_signed_out(client_for, engine, page):
    """Also on the list, which checks the user inside its own transaction."""
    from sqlmodel import select

    from disclosure.db import transaction
    from disclosure.models import User

    clerk = client_for("clerk")
    assert clerk.get(page).status_code == 200
    with transaction(engine) as session:
        user = session.exec(select(User).where(User.username == "clerk")).one()
        user.active = False
        session.add(user)
    r = clerk.get(page)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
