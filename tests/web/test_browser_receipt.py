"""Correcting a mistyped receipt date in chromium (rulebook §3.3): the form starts from the
registered values, the reply date moves to the corrected one's, the timeline keeps both.

The web tests' today is 2026-03-05. Received Mon 2026-03-02 in person: 20 working days end
Mon 03-30 (no holiday in March 2026). Corrected to Wed 03-04: they end Wed 04-01.
The screenshot is kept in $DISCLOSURE_SCREENSHOT_DIR when it is set.
"""

from __future__ import annotations

import pytest

from tests.web.test_browser import _login, page, register_in_browser, server  # noqa: F401
from tests.web.test_browser_deadlines import _keep

pytestmark = pytest.mark.browser


def test_a_clerk_corrects_a_mistyped_receipt_date(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.set_viewport_size({"width": 1366, "height": 900})
    _login(page, "clerk")
    register_in_browser(page, received="2026-03-02")
    assert page.locator(".deadlines dd.big").inner_text().startswith("2026-03-30")
    page.click("#action-receipt summary")
    form = page.locator("#action-receipt form")
    assert form.locator("input[name=received]").input_value() == "2026-03-02"
    assert form.locator("select[name=channel]").input_value() == "in_person"
    form.locator("input[name=received]").fill("2026-03-04")
    form.locator("input[name=arrived]").fill("2026-03-04")
    form.locator("input[name=reason]").fill("收件日期录入有误")
    _keep(page, "receipt-correction.png")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".deadlines dd.big").inner_text().startswith("2026-04-01")
    history = page.inner_text("table.timeline") if page.locator("table.timeline").count() else ""
    history = history or page.inner_text("body")
    assert "法定收到日期：2026-03-02 → 2026-03-04" in history
    assert "收到申请（法定收到日期）" in history  # the registration's receipt stays
