"""`disclosure user add/list` and the first admin made by `disclosure office`."""

from __future__ import annotations

import re

from sqlmodel import select

from disclosure.db import transaction
from disclosure.models import User
from disclosure.services.users import authenticate


def test_user_add_with_password_and_list(cli, engine):
    r = cli(
        "user",
        "add",
        "--username",
        "li",
        "--role",
        "department",
        "--department",
        "hbc",
        "--password",
        "a-long-password",
    )
    assert r.exit_code == 0, r.stderr
    r = cli("user", "list")
    assert "li" in r.stdout and "环境保护处" in r.stdout
    assert "部门经办人" in r.stdout and "department" not in r.stdout  # the role's name
    assert cli("user", "approval-role", "li", "department_head").exit_code == 0
    assert cli("user", "email", "li", "li@example.gov.cn").exit_code == 0
    r = cli("user", "list")
    assert "承办部门负责人" in r.stdout and "li@example.gov.cn" in r.stdout
    with transaction(engine) as session:
        assert authenticate(session, username="li", password="a-long-password") is not None
        assert authenticate(session, username="li", password="wrong-password") is None


def test_user_add_generates_and_prints_a_password(cli, engine):
    r = cli("user", "add", "--username", "boss", "--role", "admin")
    assert r.exit_code == 0, r.stderr
    shown = re.search(r"密码：(\S+)（只显示这一次）", r.stdout)
    assert shown
    with transaction(engine) as session:
        assert authenticate(session, username="boss", password=shown.group(1)) is not None


def test_user_add_refuses_bad_input_and_writes_nothing(cli, engine):
    good = "plum-kettle-harbour"
    r = cli("user", "add", "--username", "x", "--role", "department", "--password", good)
    assert r.exit_code == 2
    assert "--department" in r.stderr
    r = cli("user", "add", "--username", "y", "--role", "chief", "--password", good)
    assert r.exit_code == 2 and "--role" in r.stderr
    for weak in ("short", "12345678", "1234567890", "qwertyuiop", "zzzzzzzzzz"):
        r = cli("user", "add", "--username", "z", "--role", "clerk", "--password", weak)
        assert r.exit_code == 2 and "password" in r.stderr, weak
    with transaction(engine, write=False) as session:
        assert session.exec(select(User)).all() == []


def test_office_creates_the_first_admin_once(cli, engine, monkeypatch):
    from disclosure.cli import web_cmds

    runs: list[tuple[str, int]] = []
    monkeypatch.setattr(web_cmds, "_run", lambda st, host, port: runs.append((host, port)))
    monkeypatch.setattr(web_cmds, "_start_scheduler", lambda st: None)
    monkeypatch.setenv("DISCLOSURE_ADMIN_PASSWORD", "from-the-environment")
    r = cli("office")
    assert r.exit_code == 0, r.stderr
    assert "用户名 admin" in r.stdout
    assert "http://127.0.0.1:8000/" in r.stdout
    assert "outbox" in r.stdout  # no SMTP host: where the mail goes
    assert "from-the-environment" not in r.stdout
    assert runs == [("127.0.0.1", 8000)]
    with transaction(engine) as session:
        assert authenticate(session, username="admin", password="from-the-environment")
    r = cli("office")
    assert "用户名 admin" not in r.stdout  # not created twice


def test_serve_offers_worker_processes(cli):
    r = cli("serve", "--help")
    assert r.exit_code == 0, r.stderr
    assert "--workers" in r.stdout


def test_worker_factory_reads_the_config_named_in_the_environment(
    cli, tmp_path, monkeypatch, db_url
):
    """`serve --workers N` hands the config to each worker through $DISCLOSURE_CONFIG."""
    from fastapi.testclient import TestClient
    from sqlalchemy.engine import make_url

    from disclosure.web.app import create_app_from_env

    config = tmp_path / "config.toml"
    assert cli("user", "list").exit_code == 0  # the database exists and is migrated
    monkeypatch.setenv("DISCLOSURE_CONFIG", str(config))
    app = create_app_from_env()
    assert app.state.web.engine.url.database == make_url(db_url).database
    with TestClient(app) as client:
        page = client.get("/login")
    assert page.status_code == 200
    assert "登录" in page.text


def test_serve_refuses_a_negative_keepalive_limit_before_starting(cli, monkeypatch):
    from disclosure.cli import web_cmds

    runs: list[object] = []
    monkeypatch.setattr(web_cmds, "_run", lambda *a, **kw: runs.append(a))
    monkeypatch.setenv("DISCLOSURE_WEB__KEEPALIVE_REQUESTS", "-1")
    r = cli("serve")
    assert r.exit_code != 0
    assert "web.keepalive_requests" in r.stderr
    assert runs == []  # nothing served


def test_office_listens_where_it_is_told(cli, monkeypatch):
    from disclosure.cli import web_cmds

    runs: list[tuple[str, int]] = []
    monkeypatch.setattr(web_cmds, "_run", lambda st, host, port: runs.append((host, port)))
    monkeypatch.setattr(web_cmds, "_start_scheduler", lambda st: None)
    r = cli("office", "--host", "0.0.0.0", "--port", "8123")
    assert r.exit_code == 0, r.stderr
    assert runs == [("0.0.0.0", 8123)]
    assert "http://0.0.0.0:8123/" in r.stdout
    assert "反向代理" in r.stdout  # listening beyond this machine: said, with what to do
    r = cli("office", "--port", "0")
    assert r.exit_code == 2 and runs == [("0.0.0.0", 8123)]


def test_serve_on_a_fresh_database_says_how_to_create_the_first_admin(cli, monkeypatch):
    from disclosure.cli import web_cmds

    runs: list[tuple[str, int]] = []
    monkeypatch.setattr(
        web_cmds, "_run", lambda st, host, port, workers=1: runs.append((host, port))
    )
    r = cli("serve")
    assert r.exit_code == 0, r.stderr
    assert "disclosure user add --username admin --role admin" in r.stdout
    assert "反向代理" not in r.stdout  # 127.0.0.1: nothing to warn about
    assert cli("user", "add", "--username", "boss", "--role", "admin").exit_code == 0
    r = cli("serve")
    assert "user add" not in r.stdout and len(runs) == 2
