"""Administration pages: users, departments, calendar upload, settings."""

from __future__ import annotations

import re

from tests.notices.data import NOTICE_2027
from tests.web.conftest import PASSWORD, csrf_of, post_form, register


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
    assert newbie.get("/").status_code == 200


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


def test_calendar_upload_recomputes_and_lists_moves(client_for, engine):
    clerk = client_for("clerk")
    # Today is 2026-03-05; received on the 5th, the 20 working days end in 2026 — so use an
    # application whose deadline reaches into 2027 via an Art. 35 date far ahead instead:
    number = register(clerk, received="2026-03-02")
    url = f"/applications/{number}"
    r = post_form(clerk, url, f"{url}/actions/defer", {"date": "2026-03-05", "due": "2027-01-08"})
    assert r.status_code == 303, r.text
    admin = client_for("admin")
    page = admin.get("/calendar").text
    assert "2027 年" in page and "临时" in page
    token = csrf_of(page)
    r = admin.post(
        "/calendar",
        data={"csrf_token": token},
        files={"file": ("2027.toml", NOTICE_2027.encode(), "text/plain")},
    )
    assert r.status_code == 200, r.text
    assert "已载入 2027 年安排" in r.text
    assert "国务院办公厅关于2027年部分节假日安排的通知" in r.text


def test_calendar_upload_rejects_bad_toml_beside_the_field(client_for):
    admin = client_for("admin")
    token = csrf_of(admin.get("/calendar").text)
    r = admin.post(
        "/calendar",
        data={"csrf_token": token},
        files={"file": ("bad.toml", b"[[notice]\nyear = ", "text/plain")},
    )
    assert r.status_code == 400
    assert "field-error" in r.text


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
