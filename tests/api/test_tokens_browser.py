"""The admins' token page in chromium (issue 21): an administrator creates a read-only token
for one department, copies the secret shown once, a caller uses it over real HTTP, the page
no longer shows it, the administrator revokes it and the next call is refused.

The screenshot (tokens.png, with the new secret) is kept in $DISCLOSURE_SCREENSHOT_DIR.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.web.test_browser import _login, page, server  # noqa: F401  (fixtures)
from tests.web.test_browser_deadlines import _keep

pytestmark = pytest.mark.browser


def _call(server: str, path: str, token: str) -> tuple[int, dict[str, object]]:  # noqa: F811
    request = urllib.request.Request(server + path, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_admin_creates_copies_and_revokes_a_token(page, server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _login(page, "admin")
    page.goto("/admin/tokens")
    assert "尚无令牌" in page.inner_text("main")
    page.fill("input[name=name]", "oa-system")
    page.select_option("select[name=scope]", "read")
    page.select_option("select[name=department]", "hbc")
    page.click("button:has-text('创建')")
    page.wait_for_selector("#new-token")
    secret = page.inner_text("#new-token code.secret").strip()
    assert secret.startswith("dtk_")
    assert "只显示这一次" in page.inner_text("#new-token")
    row = page.locator("table tr", has=page.locator("td:text-is('oa-system')"))
    cells = row.locator("td").all_inner_texts()
    assert cells[2:4] == ["只读", "环境保护处"] and "有效" in cells  # the name, not the code
    _keep(page, "tokens.png")

    status, body = _call(server, "/api/v1/calendar", secret)
    assert status == 200 and body["years"], body

    page.goto("/admin/tokens")
    assert secret not in page.content()  # shown once only
    row = page.locator("table tr", has=page.locator("td:text-is('oa-system')"))
    row.locator("button:has-text('撤销')").click()
    page.wait_for_load_state()
    row = page.locator("table tr", has=page.locator("td:text-is('oa-system')"))
    assert "已撤销" in row.inner_text()

    status, body = _call(server, "/api/v1/calendar", secret)
    assert status == 401, (status, body)
