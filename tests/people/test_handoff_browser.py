"""The hand-off in chromium: the clerk assigns with a handler, the department's user tries to
send it back without a reason (refused, said on the form), then signs for it; the page names
the handler and the state, and the list filters by handler."""

from __future__ import annotations

import pytest

from tests.web.conftest import cheap_hashes, users, web_app  # noqa: F401  (fixtures)
from tests.web.test_browser import _login, page, register_in_browser, server  # noqa: F401

pytestmark = pytest.mark.browser


def _logout(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.click("header .who button:has-text('退出')")
    page.wait_for_url("**/login")


def test_assign_then_sign_for_it(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _login(page, "clerk")
    number = register_in_browser(page)

    page.click("#action-assign summary")
    form = page.locator("#action-assign form")
    form.locator("select[name=department]").select_option("zcfg")
    form.locator("input[name=handler]").fill("hbc_user")  # not of 政策法规处: refused
    with page.expect_navigation():
        form.locator("button").click()
    assert "不属于主办部门政策法规处" in page.inner_text("main")
    page.goto(f"/applications/{number}")
    page.click("#action-assign summary")
    form = page.locator("#action-assign form")
    form.locator("select[name=department]").select_option("zcfg")
    form.locator("input[name=handler]").fill("zcfg_user")
    with page.expect_navigation():
        form.locator("button").click()
    assert "zcfg_user（待签收）" in page.inner_text("main")
    _logout(page)

    _login(page, "zcfg_user")
    page.goto(f"/applications/{number}")
    page.click("#action-return summary")
    with page.expect_navigation():
        page.locator("#action-return form button").click()
    assert "请填写退回理由" in page.inner_text("#action-return")
    page.goto(f"/applications/{number}")
    page.click("#action-accept summary")
    with page.expect_navigation():
        page.locator("#action-accept form button").click()
    main = page.inner_text("main")
    assert "已签收" in main and "zcfg_user（已签收：zcfg_user" in main
    page.goto("/applications?handler=zcfg_user")
    assert number in page.inner_text("main")
