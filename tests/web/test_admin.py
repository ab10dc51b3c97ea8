"""Administration pages: users, departments, settings (the calendar: test_calendar_page.py)."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from tests.web.conftest import PASSWORD, csrf_of, post_form


def test_admin_creates_a_department_user_who_can_sign_in(client_for):
    admin = client_for("admin")
    r = post_form(
        admin,
        "/admin/users",
        "/admin/users",
        {"username": "newbie", "role": "department", "department": "hbc", "password": PASSWORD},
    )
    assert r.status_code == 303, r.text
    assert "newbie" in admin.get("/admin/users").text
    newbie = client_for("newbie")
    # the admin knows the password: the person sets their own before anything else
    r = newbie.get("/")
    assert r.status_code == 303 and r.headers["location"].startswith("/account/password")
    page = newbie.get("/account/password").text
    r = newbie.post(
        "/account/password",
        data={"current": PASSWORD, "password": "Xin-mima-2026!", "confirm": "Xin-mima-2026!",
              "csrf_token": csrf_of(page)},
    )  # fmt: skip
    assert r.status_code == 303, r.text
    again = TestClient(newbie.app, follow_redirects=False)
    login = again.get("/login").text
    r = again.post("/login", data={"username": "newbie", "password": "Xin-mima-2026!",
                                   "csrf_token": csrf_of(login)})  # fmt: skip
    assert r.status_code == 303 and again.get("/").status_code == 200


def test_generated_password_is_shown_once(client_for):
    admin = client_for("admin")
    r = post_form(admin, "/admin/users", "/admin/users", {"username": "gen", "role": "clerk"})
    assert r.status_code == 303
    page = admin.get("/admin/users").text
    assert re.search(r"初始密码：\S{8,}", page)
    assert "初始密码：" not in admin.get("/admin/users").text


def test_department_user_needs_a_department(client_for):
    admin = client_for("admin")
    r = post_form(
        admin,
        "/admin/users",
        "/admin/users",
        {"username": "x1", "role": "department", "password": PASSWORD},
    )
    assert r.status_code == 400
    assert 'id="err-department"' in r.text


def test_settings_page_hides_secrets(client_for, web_app):
    web_app.state.web.settings.smtp.password = "hunter2-secret"
    html = client_for("admin").get("/admin/settings").text
    assert "hunter2-secret" not in html
    assert "test-secret-key" not in html
    assert "smtp" in html


def test_admin_adds_department(client_for):
    admin = client_for("admin")
    r = post_form(
        admin, "/admin/departments", "/admin/departments", {"code": "bgs", "name": "办公室"}
    )
    assert r.status_code == 303
    assert "办公室" in admin.get("/admin/departments").text
    r = post_form(
        admin, "/admin/departments", "/admin/departments", {"code": "bgs", "name": "办公室"}
    )
    assert r.status_code == 400
    assert 'id="err-code"' in r.text


def test_admin_sets_the_sign_off_role_and_email_on_the_page(client_for, engine):
    from sqlmodel import select

    from disclosure.db import transaction
    from disclosure.models import User
    from disclosure.ops.models import AuditEntry

    admin = client_for("admin")
    with transaction(engine, write=False) as s:
        clerk = s.exec(select(User).where(User.username == "clerk")).one()
        clerk_id = clerk.id
    page = admin.get("/admin/users").text
    assert f'action="/admin/users/{clerk_id}/sign-off"' in page and "分管领导" in page
    url = f"/admin/users/{clerk_id}/sign-off"
    r = post_form(admin, "/admin/users", url, {"approval_role": "office_head", "email": "bad@"})
    assert r.status_code == 400 and "电子邮箱格式不正确" in r.text
    with transaction(engine, write=False) as s:  # nothing written, the role neither
        clerk = s.exec(select(User).where(User.username == "clerk")).one()
        assert (clerk.approval_role, clerk.email) == (None, "")
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "user_changed")).all() == []
    r = post_form(
        admin, "/admin/users", url, {"approval_role": "office_head", "email": "li@example.gov.cn"}
    )
    assert r.status_code == 303, r.text
    with transaction(engine, write=False) as s:
        clerk = s.exec(select(User).where(User.username == "clerk")).one()
        assert (clerk.approval_role, clerk.email) == ("office_head", "li@example.gov.cn")
        [entry] = s.exec(select(AuditEntry).where(AuditEntry.action == "user_changed")).all()
        assert entry.target == "clerk" and entry.details["approval_role"] == "office_head"
    page = admin.get("/admin/users").text
    assert '<option value="office_head" selected>' in page and 'value="li@example.gov.cn"' in page
    r = post_form(admin, "/admin/users", url, {"approval_role": "", "email": ""})
    assert r.status_code == 303
    with transaction(engine, write=False) as s:
        clerk = s.exec(select(User).where(User.username == "clerk")).one()
        assert (clerk.approval_role, clerk.email) == (None, "")
