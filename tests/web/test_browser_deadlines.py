"""Deadlines as a clerk sees them, in chromium at 1366 px (issue 18, findings 1-2).

The web tests' today is 2026-03-05 (tests/web/conftest.py). Cases registered through the form:
- received 2026-01-28: 20 working days end 2026-03-03 (Spring Festival 02-15…02-23 off, the
  Saturdays 02-14 and 02-28 worked), so on 03-05 it is 2 working days late (03-04, 03-05);
- received 2026-01-30: the 20th working day is 2026-03-05, today;
- received 2026-02-24: the 补正告知期限 (7 working days) ended 2026-03-04, yesterday.
The screenshots are kept in $DISCLOSURE_SCREENSHOT_DIR when it is set (docs/screenshots/).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.web.test_browser import _login, page, register_in_browser, server  # noqa: F401

pytestmark = pytest.mark.browser
RED = "rgb(166, 27, 27)"  # --overdue-ink


def _keep(page, name: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    keep = os.environ.get("DISCLOSURE_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(keep) / name), full_page=True)


def _register(page, received: str, applicant: str) -> str:  # type: ignore[no-untyped-def]  # noqa: F811
    return register_in_browser(page, received=received, applicant=applicant)


def test_overdue_due_today_and_a_lapsed_notice_read_plainly(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.set_viewport_size({"width": 1366, "height": 900})
    _login(page, "clerk")
    page.goto("/applications/new")
    _keep(page, "registration.png")

    late = _register(page, "2026-01-28", "张三")
    flashes = page.locator(".flash").all_inner_texts()
    assert any("已超过答复期限" in f and "已超期 2 个工作日" in f for f in flashes), flashes
    assert page.locator(".flash.error").count() == 1  # a warning, not only the green banner
    left = page.locator(".deadlines dd.left")
    assert left.inner_text() == "已超期 2 个工作日"
    assert left.evaluate("e => getComputedStyle(e).color") == RED
    due = page.locator(".deadlines dd.big")
    assert due.inner_text().startswith("2026-03-03")
    assert due.evaluate("e => getComputedStyle(e).color") == RED
    assert "下一期限" not in page.inner_text(".deadlines")  # every clock has lapsed
    _keep(page, "application.png")

    today = _register(page, "2026-01-30", "李四")
    assert page.locator("h1 .state").inner_text() == "今日到期"
    assert page.locator(".deadlines dd.left").inner_text() == "今日到期"
    assert page.locator(".flash.warn").count() == 1

    _register(page, "2026-02-24", "王五")
    facts = page.inner_text(".deadlines")
    # Most applications need no correction: a lapsed notice window is a fact, not an alarm.
    assert "2026-03-04 已过（未要求补正）" in facts
    lapsed = page.locator(".deadlines span:text-is('已过（未要求补正）')")
    assert lapsed.evaluate("e => getComputedStyle(e).color") != RED
    upcoming = page.locator(".deadlines dt:text-is('下一期限') + dd").inner_text()
    assert "补正告知期限" not in upcoming and upcoming >= "2026-03-05"

    page.goto("/applications")
    row = page.locator("table.apps tr", has=page.locator(f"a:text-is('{late}')"))
    assert row.locator("td.left").inner_text() == "已超期 2 个工作日"
    assert row.locator("td.left").evaluate("e => getComputedStyle(e).color") == RED
    row = page.locator("table.apps tr", has=page.locator(f"a:text-is('{today}')"))
    assert row.locator("td.left").inner_text() == "今日到期"
    assert row.locator(".state").inner_text() == "今日到期"  # not "计时中"
    _keep(page, "list.png")
    page.goto("/")
    _keep(page, "dashboard.png")


def _one_line(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    tops = page.eval_on_selector_all(
        "header.top nav a, header.top .brand, header.top .who", "es => es.map(e => e.offsetTop)"
    )
    assert max(tops) - min(tops) < 12, tops  # one row: nothing wrapped below the brand


def test_layout_fits_office_screens(page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _login(page, "admin")  # the administrator sees the longest navigation
    page.set_viewport_size({"width": 1024, "height": 768})
    for url in ("/", "/applications", "/applications/new"):
        page.goto(url)
        _one_line(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1024, (url, width)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/applications/new")  # the form uses the card's width: three columns
    widths = page.eval_on_selector_all(
        "form.register > fieldset", "es => es.map(e => e.getBoundingClientRect().width)"
    )
    form_width = page.eval_on_selector("form.register", "e => e.clientWidth")
    assert sum(widths[:3]) > 0.9 * form_width, (widths, form_width)
    number = _register(page, "2026-03-02", "赵六")
    page.goto(f"/applications/{number}")
    page.click("summary:has-text('补正告知')")
    closed = page.locator("#action-correction_receive").evaluate("e => e.offsetHeight")
    assert closed < 60  # its neighbour did not stretch to the open form's height
    page.goto("/admin/settings")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert "[object" not in page.inner_text("main") and "{'" not in page.inner_text("main")
    # The chart's axis labels are readable at the size the page draws them.
    page.goto("/")
    drawn = "e => parseFloat(getComputedStyle(e).fontSize)"
    drawn += " * e.ownerSVGElement.getBoundingClientRect().width / 720"  # viewBox width
    size = page.eval_on_selector("svg.chart text.axis", drawn)
    assert size >= 10, size
