"""End to end in a real browser: Playwright driving Debian's chromium against uvicorn.

Without /usr/bin/chromium these tests skip with the reason, unless
DISCLOSURE_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from disclosure.db import transaction
from disclosure.models import Application
from tests.web.conftest import PASSWORD, TODAY

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(web_app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(web_app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(server: str):  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not installed (apt-get install -y chromium)"
        if os.environ.get("DISCLOSURE_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(base_url=server, accept_downloads=True, locale="zh-CN")
        pg = context.new_page()
        pg.set_default_timeout(15000)
        yield pg
        context.close()
        browser.close()


def _login(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    assert "/login" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url("**/")


CONTENT = "2025年某河道水质监测报告"


def register_in_browser(  # type: ignore[no-untyped-def]
    page,
    *,
    received: str = "2026-03-02",
    applicant: str = "张三",
    content: str = CONTENT,
    department: str | None = "zcfg",
) -> str:
    """Register one application from a natural person through the form; its number."""
    page.goto("/applications/new")
    page.fill("input[name=received]", received)
    page.fill("input[name=applicant]", applicant)
    page.select_option("select[name=applicant_type]", "natural")
    page.fill("textarea[name=content]", content)
    if department is not None:
        page.select_option("select[name=department]", department)
    page.click("button:has-text('登记')")
    page.wait_for_load_state()
    if page.locator("#same-registration").count():  # an earlier test step registered it too
        page.check("input[name=again]")
        page.click("button:has-text('登记')")
    page.wait_for_url("**/applications/2026-*")
    return page.url.rsplit("/", 1)[1]


def test_back_and_register_again_asks_before_a_second_registration(page, engine, tmp_path):  # type: ignore[no-untyped-def]
    """The back button restores the filled form; 登记 again shows the first registration
    and registers nothing until 仍然登记 is ticked."""
    _login(page, "clerk")
    first = register_in_browser(page, applicant="王五")
    page.go_back()
    page.wait_for_url("**/applications/new")
    page.fill("input[name=applicant]", "王五")  # as the restored form holds it
    page.fill("textarea[name=content]", CONTENT)
    page.select_option("select[name=applicant_type]", "natural")
    page.click("button:has-text('登记')")
    box = page.locator("#same-registration")
    box.wait_for()
    assert first in box.inner_text() and "可能是重复提交" in page.content()
    shot = tmp_path / "register-same-again.png"
    page.screenshot(path=str(shot), full_page=True)
    keep = os.environ.get("DISCLOSURE_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(keep) / shot.name), full_page=True)
    with transaction(engine, write=False) as s:
        assert s.exec(select(func.count()).select_from(Application)).one() == 1
    page.check("input[name=again]")
    page.click("button:has-text('登记')")
    page.wait_for_url("**/applications/2026-*")
    assert page.url.rsplit("/", 1)[1] != first


def test_clerk_registers_finds_and_extends(page, tmp_path):  # type: ignore[no-untyped-def]
    _login(page, "clerk")
    page.click("nav >> text=登记申请")
    page.select_option("select[name=channel]", "in_person")
    page.fill("input[name=received]", "2026-03-02")
    page.fill("input[name=applicant]", "张三")
    page.select_option("select[name=applicant_type]", "natural")
    page.fill("textarea[name=content]", "2025年某河道水质监测报告")
    page.select_option("select[name=department]", "zcfg")
    page.click("button:has-text('登记')")
    page.wait_for_url("**/applications/2026-*")
    number = page.url.rsplit("/", 1)[1]
    assert "答复期限 2026-03-30" in page.inner_text(".flash")

    page.click("nav >> text=申请列表")
    row = page.locator("table.apps tr", has=page.locator(f"a:text-is('{number}')"))
    assert row.locator("td.due").inner_text().strip() == "2026-03-30"
    assert row.locator("td.num").inner_text().strip() == "17"  # 03-06 … 03-30

    row.locator(f"a:text-is('{number}')").click()
    page.click("summary:has-text('延期答复')")
    form = page.locator("#action-extend form")
    form.locator("input[name=approver]").fill("王主任")
    form.locator("button").click()
    page.wait_for_load_state()
    assert "已记录：延期答复" in page.inner_text(".flash")
    assert "2026-04-28" in page.inner_text(".deadlines")

    page.click("summary:has-text('出具文书')")
    letter = page.locator("#action-letter form")
    letter.locator("select[name=kind]").select_option("extension")
    with page.expect_download() as info:
        letter.locator("button").click()
    saved = tmp_path / "letter.docx"
    info.value.save_as(saved)
    from docx import Document

    doc = Document(str(saved))
    assert any("张三" in p.text for p in doc.paragraphs)

    page.click("nav >> text=工作台")
    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    keep = os.environ.get("DISCLOSURE_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(keep) / "dashboard.png"), full_page=True)
    assert TODAY.isoformat() in page.inner_text("footer")


def test_script_typed_in_the_browser_stays_text(page):  # type: ignore[no-untyped-def]
    _login(page, "clerk")
    evil = "<img src=x onerror=\"document.title='pwned'\">"
    register_in_browser(page, applicant=evil, content="x", department=None)
    assert page.title() != "pwned"
    assert evil in page.inner_text("dl.facts")


def test_clerk_imports_the_plan_and_a_department_reports(page, tmp_path):  # type: ignore[no-untyped-def]
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "工作任务,具体要求,落实单位,完成时限\n"
        "一、紧扣条例实施深化政务公开,,,\n"
        "提高依申请公开工作质量,规范答复文书，提升答复规范化程度,政策法规处牵头，各处室配合,"
        "持续推进\n"
        ",正确计收信息处理费,环境保护处牵头,2026-06-30\n"
        "加强配套制度建设,提高年报基础数据准确度,政策法规处、环境保护处分别按职责落实,2026-12-31\n",
        encoding="utf-8",
    )
    _login(page, "clerk")
    page.click("nav >> text=重点任务")
    page.fill("form[action='/tasks/import'] input[name=year]", "2026")
    page.set_input_files("form[action='/tasks/import'] input[name=file]", str(plan))
    page.click("button:has-text('导入')")
    page.wait_for_url("**/tasks?year=2026")
    assert "已导入 3 项重点任务" in page.inner_text(".flash")
    rows = page.locator("table.tasks tbody tr")
    assert rows.count() == 3
    assert "政策法规处" in rows.nth(0).inner_text() and "各处室" in rows.nth(0).inner_text()
    rows.nth(0).locator("a").click()
    page.fill("textarea[name=note]", "已修订答复文书模板并在内网公布")
    page.click("button:has-text('提交')")
    page.wait_for_load_state()
    assert "已记录进展" in page.inner_text(".flash")
    assert "已修订答复文书模板" in page.inner_text("main")
    page.click("nav >> text=重点任务")
    shot = tmp_path / "tasks.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    keep = os.environ.get("DISCLOSURE_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(keep) / "tasks.png"), full_page=True)
