"""Across the edges (both databases): a reset on the CLI forces the change on the web until
`user passwd` sets a password that meets the policy; the archive package holds the approval
sheet (政府信息公开申请办理审批表) of the sign-off."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from disclosure.db import transaction
from disclosure.models import User
from tests.people.conftest import People
from tests.web.conftest import (  # noqa: F401  (fixtures)
    cheap_hashes,
    csrf_of,
    users,
    web_app,
)

NEW = "copper-willow-saddle-72"


def _forced(engine: Engine, username: str) -> bool:
    with transaction(engine, write=False) as s:
        return s.exec(select(User).where(User.username == username)).one().must_change_password


def _sign_in(web_app, username: str, password: str) -> str:  # type: ignore[no-untyped-def]  # noqa: F811
    from fastapi.testclient import TestClient

    with TestClient(web_app, follow_redirects=False) as c:
        page = c.get("/login")
        data = {"username": username, "password": password, "csrf_token": csrf_of(page.text)}
        r = c.post("/login", data=data)
        assert r.status_code == 303, r.text
        return str(r.headers["location"])


def test_cli_reset_forces_the_web_change_until_passwd(people: People, engine, web_app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    people.accounts()
    r = people.run("user", "reset", "handler")
    assert r.exit_code == 0, r.stderr
    found = re.search(r"一次性密码：(\S+)（", r.stdout)
    assert found
    once = found.group(1)
    assert _sign_in(web_app, "handler", once) == "/account/password"
    for bad, message in (("handler", "至少 10 个字符"), (once, "不能与当前密码相同")):
        r = people.run("user", "passwd", "handler", "--current", once, "--new", bad)
        assert r.exit_code != 0 and message in r.stderr and "--new" in r.stderr, r.stderr
        assert _forced(engine, "handler")
    r = people.run("user", "passwd", "handler", "--current", once, "--new", NEW)
    assert r.exit_code == 0, r.stderr
    assert not _forced(engine, "handler")
    assert _sign_in(web_app, "handler", NEW) == "/"


@pytest.mark.slow
def test_the_archive_holds_the_approval_sheet(
    people: People, required: None, tmp_path: Path
) -> None:
    people.accounts()
    number = people.register()
    people.ok("draft", number, "--outcome", "1", "--facts", "经查已制作", "--as", "handler",
              json_out=False)  # fmt: skip
    for who in ("dhead", "ohead", "boss"):
        people.ok("approve", number, "--as", who, json_out=False)
    people.ok("reply", number, "--outcome", "1", "--date", "2026-11-27", json_out=False)
    out = tmp_path / "case.pdf"
    people.ok("archive", number, "--out", str(out), "--zip")

    def pages(first: int, last: int) -> str:
        args = ["pdftotext", "-layout", "-f", str(first), "-l", str(last), str(out), "-"]
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout

    toc = pages(2, 2)  # cover, 目录, the sheet (page 3), the event log
    assert "1   政府信息公开申请办理审批表" in toc and "（答复）" in toc, toc
    sheet = pages(3, 3)
    for text in ("政府信息公开申请办理审批表", "经查已制作", "吴处长", "郑主任", "王局长"):
        assert text in sheet, sheet
