"""`disclosure user passwd | reset | disable | enable | approval-role` (both databases)."""

from __future__ import annotations

import re

from sqlalchemy import Engine, text
from sqlmodel import select

from disclosure.db import transaction
from disclosure.models import User
from disclosure.services.users import authenticate
from tests.people.conftest import PASSWORD, People

NEW = "violet-anchor-meadow-93"


def users_and_audit(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as conn:
        return {
            t: [tuple(r) for r in conn.execute(text(f'SELECT * FROM "{t}" ORDER BY 1'))]
            for t in ("user", "audit_log")
        }


def signs_in(engine: Engine, username: str, password: str) -> bool:
    with transaction(engine) as s:
        return authenticate(s, username=username, password=password) is not None


def test_a_person_changes_their_password(people: People, engine: Engine) -> None:
    people.accounts()
    r = people.run("user", "passwd", "handler", "--current", PASSWORD, "--new", NEW)
    assert r.exit_code == 0, r.stderr
    assert signs_in(engine, "handler", NEW) and not signs_in(engine, "handler", PASSWORD)


def test_bad_password_changes_write_nothing(people: People, engine: Engine) -> None:
    people.accounts()
    before = users_and_audit(engine)
    cases = {
        "wrong-current-password": ("--current", "当前密码不正确", 6),
        "short-9ch": ("--new", "至少 10 个字符", 2),
        "handler": ("--new", "至少 10 个字符", 2),
        PASSWORD: ("--new", "不能与当前密码相同", 2),
    }
    for new, (field, words, code) in cases.items():
        current = "not-the-password" if new == "wrong-current-password" else PASSWORD
        r = people.run("user", "passwd", "handler", "--current", current, "--new", new)
        assert r.exit_code == code, (new, r.stderr)
        assert field in r.stderr and words in r.stderr, (new, r.stderr)
    r = people.run("user", "passwd", "other_head", "--current", PASSWORD, "--new", "other_head")
    assert r.exit_code == 2 and "--new" in r.stderr and "不能与用户名相同" in r.stderr
    assert users_and_audit(engine) == before


def test_admin_reset_gives_a_one_time_password(people: People, engine: Engine) -> None:
    people.accounts()
    r = people.run("user", "reset", "ohead")
    assert r.exit_code == 0, r.stderr
    found = re.search(r"一次性密码：(\S+)（只显示这一次", r.stdout)
    assert found
    once = found.group(1)
    assert signs_in(engine, "ohead", once) and not signs_in(engine, "ohead", PASSWORD)
    with transaction(engine, write=False) as s:
        assert s.exec(select(User).where(User.username == "ohead")).one().must_change_password
    r = people.run("user", "passwd", "ohead", "--current", once, "--new", NEW)
    assert r.exit_code == 0, r.stderr
    with transaction(engine, write=False) as s:
        assert not s.exec(select(User).where(User.username == "ohead")).one().must_change_password
    assert people.run("user", "reset", "nobody").exit_code == 4


def test_disable_and_enable(people: People, engine: Engine) -> None:
    people.accounts()
    assert people.run("user", "disable", "boss").exit_code == 0
    assert not signs_in(engine, "boss", PASSWORD)
    r = people.run("user", "reset", "boss")
    assert r.exit_code == 5 and "已停用" in r.stderr
    # A disabled approver cannot act in the chain either.
    n = people.register()
    people.ok("draft", n, "--outcome", "1", "--as", "handler")
    assert "已停用" in people.fails("approve", n, "--as", "boss", code=6)
    assert people.run("user", "enable", "boss").exit_code == 0
    assert signs_in(engine, "boss", PASSWORD)
    r = people.run("user", "add", "--username", "root", "--role", "admin", "--password", NEW)
    assert r.exit_code == 0, r.stderr
    r = people.run("user", "disable", "root")
    assert r.exit_code == 5 and "唯一一个启用的管理员" in r.stderr


def test_approval_role_is_checked(people: People, engine: Engine) -> None:
    people.accounts()
    r = people.run("user", "approval-role", "handler", "mayor")
    assert r.exit_code == 2 and "审批角色须为" in r.stderr
    assert people.run("user", "approval-role", "dhead", "none").exit_code == 0
    with transaction(engine, write=False) as s:
        assert s.exec(select(User).where(User.username == "dhead")).one().approval_role is None
