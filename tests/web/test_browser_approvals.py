"""The sign-off chain in chromium with `[approval] required = true` (issue 16): the handler
drafts, the department head sends it back, the handler drafts again, the head approves, a
reply before the leader's approval is refused naming who must still approve, the leader
approves, the reply is recorded and the reply letter issued; then the forced password change
after an administrator's reset. Each person signs in separately.

The screenshot (the leader's queue, approvals.png) is kept in $DISCLOSURE_SCREENSHOT_DIR.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine

from disclosure.db import transaction
from disclosure.people.accounts import reset_password
from disclosure.services.users import create_user
from disclosure.settings import Settings
from tests.conftest import NOW, base_settings
from tests.web.conftest import PASSWORD
from tests.web.test_browser import _login, page, register_in_browser, server  # noqa: F401
from tests.web.test_browser_deadlines import _keep, _one_line

pytestmark = pytest.mark.browser
NEW = "lantern-orchard-pebble-58"


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    chain = {"required": True, "chain": ["department_head", "leader"]}
    return base_settings(tmp_path, db_url, approval=chain)


@pytest.fixture
def approvers(engine: Engine, users: dict[str, str]) -> None:
    with transaction(engine) as s:
        for username, role, dept, name, place in (
            ("dhead", "department", "zcfg", "吴处长", "department_head"),
            ("boss", "clerk", None, "王局长", "leader"),
        ):
            user = create_user(s, username=username, password=PASSWORD, role=role,
                               department=dept, display_name=name, now=NOW)  # fmt: skip
            user.approval_role = place
            s.add(user)


def _logout(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.click("header .who button:has-text('退出')")
    page.wait_for_url("**/login")


def _as(page, username: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    if "/login" not in page.url:
        _logout(page)
    _login(page, username)


def _draft(page, number: str, facts: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.goto(f"/applications/{number}")
    page.click("#sign-off a:has-text('拟办')")
    page.wait_for_url(f"**/approvals/{number}/draft")
    page.select_option("select[name=outcome]", "1")
    page.fill("textarea[name=facts]", facts)
    page.fill("textarea[name=reasons]", "依据条例第三十六条第（一）项")
    page.click("button:has-text('提交拟办意见')")
    page.wait_for_url(f"**/applications/{number}#sign-off")


def _answer(page, number: str, button: str, comment: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.click("nav >> text=我的审批")
    card = page.locator("section.approval", has=page.locator(f"a:text-is('{number}')"))
    card.locator("input[name=comment]").fill(comment)
    card.locator(f"button:has-text('{button}')").click()
    page.wait_for_url("**/approvals")


def test_full_chain_send_back_redraft_refusal_and_issue(page, approvers, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.set_viewport_size({"width": 1366, "height": 900})
    page.on("dialog", lambda d: d.accept())  # "该操作将办结此申请，确定吗？"
    _login(page, "clerk")
    number = register_in_browser(page)
    assert "尚无拟办意见" in page.inner_text("#sign-off")

    _as(page, "zcfg_user")  # the handler drafts
    _draft(page, number, "经查，该报告已制作")
    box = page.inner_text("#sign-off")
    assert "审批中" in box and "尚待审批" in box and "承办部门负责人、分管领导" in box

    _as(page, "dhead")  # the department head sends it back
    _answer(page, number, "退回", "请写明报告的制作时间")
    assert "已退回" in page.inner_text(".flash")

    _as(page, "zcfg_user")  # the handler sees why and drafts again
    page.goto(f"/applications/{number}")
    box = page.inner_text("#sign-off")
    assert "退回修改" in box and "吴处长 退回：请写明报告的制作时间" in box
    _draft(page, number, "经查，该报告已于2026年1月制作")

    _as(page, "dhead")
    _answer(page, number, "同意", "同意")
    assert page.locator("section.approval").count() == 0  # nothing more waits for them

    _as(page, "clerk")  # a reply before the last approval is refused, naming who must act
    page.goto(f"/applications/{number}")
    page.click("#action-reply summary")
    form = page.locator("#action-reply form")
    form.locator("select[name=outcome]").select_option("1")
    with page.expect_navigation():
        form.locator("button").click()
    refused = page.inner_text("main")
    assert "尚待 分管领导（王局长） 审批" in refused, refused
    assert "已记录" not in page.inner_text("main")

    _as(page, "boss")  # the leader approves
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto("/approvals")
    _one_line(page)  # 我的审批 and 修改密码 keep the navigation on one line
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    page.set_viewport_size({"width": 1366, "height": 900})
    card = page.locator("section.approval", has=page.locator(f"a:text-is('{number}')"))
    assert "2026年1月制作" in card.inner_text() and "承办部门负责人 吴处长" in card.inner_text()
    _keep(page, "approvals.png")
    _answer(page, number, "同意", "同意签发")

    _as(page, "clerk")  # now the reply and its letter go out
    page.goto(f"/applications/{number}")
    assert "审批完毕" in page.inner_text("#sign-off")
    page.click("#action-reply summary")
    form = page.locator("#action-reply form")
    form.locator("select[name=outcome]").select_option("1")
    with page.expect_navigation():
        form.locator("button").click()
    assert "已记录：答复" in page.inner_text(".flash")
    page.click("summary:has-text('出具文书')")
    letter = page.locator("#action-letter form")
    letter.locator("select[name=kind]").select_option("reply")
    letter.locator("select[name=variant]").select_option("disclosed_now")  # 现予公开
    letter.locator("textarea[name=attachments]").fill("2025年某河道水质监测报告.pdf")
    with page.expect_download() as info:
        letter.locator("button").click()
    saved = tmp_path / "reply.docx"
    info.value.save_as(saved)
    with zipfile.ZipFile(saved) as z:
        assert "依申复" in z.read("word/document.xml").decode()
    with page.expect_download() as info:
        page.click("#sign-off a:has-text('下载审批表')")
    sheet = tmp_path / "sheet.docx"
    info.value.save_as(sheet)
    with zipfile.ZipFile(sheet) as z:
        body = z.read("word/document.xml").decode()
    for text in ("政府信息公开申请办理审批表", "吴处长", "王局长", "同意签发", "退回"):
        assert text in body, text


def test_a_reset_password_is_changed_first(page, engine) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    with transaction(engine) as s:
        _user, once = reset_password(s, username="zcfg_user")
    page.goto("/login")
    page.fill("input[name=username]", "zcfg_user")
    page.fill("input[name=password]", once)
    page.click("button:has-text('登录')")
    page.wait_for_url("**/account/password")
    assert "一次性密码" in page.inner_text("main")
    assert page.locator("header nav a").count() == 0  # nowhere else to go
    page.goto("/applications")
    assert page.url.endswith("/account/password")
    page.fill("input[name=current]", once)
    page.fill("input[name=password]", "zcfg_user")
    page.fill("input[name=confirm]", "zcfg_user")
    with page.expect_navigation():
        page.click("main button:has-text('修改密码')")
    assert "至少 10 个字符" in page.inner_text("main")
    page.fill("input[name=current]", once)
    page.fill("input[name=password]", NEW)
    page.fill("input[name=confirm]", NEW)
    page.click("main button:has-text('修改密码')")
    page.wait_for_url("**/login")
    assert "密码已修改" in page.inner_text(".flash")
    page.fill("input[name=username]", "zcfg_user")
    page.fill("input[name=password]", NEW)
    page.click("button:has-text('登录')")
    page.wait_for_url("**/")
    assert page.locator("header nav a:text-is('申请列表')").count() == 1
