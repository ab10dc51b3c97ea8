"""With `[approval] required`, the extension form on the case page takes what was signed off:
the approved days, the head who approved last, the draft's reasons as 延期理由 (both DBs)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from disclosure.db import transaction
from disclosure.models import EventRecord
from disclosure.services.users import create_user
from disclosure.settings import Settings
from tests.conftest import NOW, base_settings
from tests.web.conftest import PASSWORD, post_form, register


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return base_settings(tmp_path, db_url, approval={"required": True, "chain": ["office_head"]})


@pytest.fixture
def head(engine: Engine, users: dict[str, str]) -> str:
    with transaction(engine) as s:
        user = create_user(s, username="ohead", password=PASSWORD, role="clerk",
                           display_name="郑主任", now=NOW)  # fmt: skip
        user.approval_role = "office_head"
        s.add(user)
    return "ohead"


def _extend_form(page: str) -> str:
    return page[page.index('id="action-extend"') :].split("</form>", 1)[0]


def _value(form: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', form)
    assert found, name
    return found.group(1)


def test_the_extension_form_is_prefilled_from_the_sign_off(client_for, head, engine) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = register(clerk, department="zcfg")
    plain = _extend_form(clerk.get(f"/applications/{number}").text)
    assert _value(plain, "days") == "20" and _value(plain, "approver") == ""
    url = f"/approvals/{number}/draft"
    data = {
        "purpose": "extension",
        "days": "7",
        "facts": "涉及第三方",
        "reasons": "需征求第三方意见",
    }
    assert post_form(clerk, url, url, data).status_code == 303  # type: ignore[attr-defined]
    boss = client_for(head)
    r = post_form(boss, "/approvals", f"/approvals/{number}", {"action": "approve",
                  "purpose": "extension", "comment": "同意"})  # fmt: skip
    assert r.status_code == 303  # type: ignore[attr-defined]
    form = _extend_form(clerk.get(f"/applications/{number}").text)
    assert (_value(form, "days"), _value(form, "approver")) == ("7", "郑主任")
    assert _value(form, "note") == "需征求第三方意见"
    assert "已按审批同意的拟办意见预填" in form
    # 批准人 that contradicts the sign-off is refused beside the field; nothing recorded.
    act = f"/applications/{number}/actions/extend"
    page = f"/applications/{number}"
    bad = {"date": "2026-03-05", "days": "7", "approver": "张三"}
    r = post_form(clerk, page, act, bad)
    assert r.status_code == 400 and "批准人应为审批同意延期的 郑主任，与审批记录一致" in r.text  # type: ignore[attr-defined]
    with transaction(engine, write=False) as s:
        kinds = [e.kind for e in s.exec(select(EventRecord))]
    assert "extension_granted" not in kinds
