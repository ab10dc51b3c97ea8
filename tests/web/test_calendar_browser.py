"""The calendar page in a real browser: upload → preview → confirm, then revert the load."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.web.test_browser import _login, page, server  # noqa: F401  (fixtures)
from tests.web.test_calendar_page import MOVING_2027, _deferred, _target

pytestmark = pytest.mark.browser


def test_admin_previews_confirms_and_reverts_a_notice(page, client_for, engine, tmp_path):  # type: ignore[no-untyped-def]  # noqa: F811
    number = _deferred(client_for)
    notice = tmp_path / "国务院2027年节假日安排.toml"
    notice.write_text(MOVING_2027, encoding="utf-8")
    _login(page, "admin")
    page.click("nav >> text=节假日")
    assert "尚未载入过节假日安排" in page.inner_text("#history")
    page.set_input_files("input[name=file]", str(notice))
    page.click("button:has-text('检查并预览')")
    page.wait_for_url("**/calendar/preview")
    assert "尚未写入" in page.inner_text(".flash.warn")
    row = page.locator("table.moved tr", has=page.locator(f"a:text-is('{number}')"))
    assert row.inner_text().split("\t")[1:] == ["内部办理时限", "2026-12-31", "2026-12-30", "是"]
    _keep(page, tmp_path, "calendar-preview.png")
    assert _target(engine, number) == "2026-12-31"  # nothing written yet

    page.click("button:has-text('确认载入并重新计算')")
    page.wait_for_url("**/calendar")
    assert "已载入 2027 年节假日安排（第 1 版）" in page.inner_text(".flash")
    assert _target(engine, number) == "2026-12-30"
    assert "国务院2027年节假日安排.toml" in page.inner_text("#history")

    page.click("button:has-text('撤销载入（第 0 版）')")
    page.wait_for_url("**/calendar/revert/preview")
    page.click("button:has-text('确认恢复并重新计算')")
    page.wait_for_url("**/calendar")
    assert "恢复为未载入任何通知时（第 0 版）的内容（记为第 2 版）" in page.inner_text(".flash")
    assert _target(engine, number) == "2026-12-31"
    history = page.inner_text("#history")
    assert "恢复（至第 0 版）" in history and "第 1 版" in history
    _keep(page, tmp_path, "calendar.png")


def _keep(browser_page, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    shot = tmp_path / name
    browser_page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    keep = os.environ.get("DISCLOSURE_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        browser_page.screenshot(path=str(Path(keep) / name), full_page=True)
