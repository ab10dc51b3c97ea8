"""The new form fields in chromium at 1366 px, under the Content-Security-Policy: the letter
form shows the fields of the chosen kind and variant only (app.js, `data-when`), the
registration form the credit code for organisations only, the dashboard the reminded tiles.
The screenshots are kept in $DISCLOSURE_SCREENSHOT_DIR when it is set."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from docx import Document

from disclosure.db import transaction
from disclosure.letters.service import letters_of
from disclosure.settings import Leader, Settings
from tests.conftest import base_settings
from tests.web.test_browser import _login, page, register_in_browser, server  # noqa: F401
from tests.web.test_csp_browser import RECORD_VIOLATIONS

pytestmark = pytest.mark.browser


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    """With the case types config.toml ships (shown by name on the registration form)."""
    case_types = {"already_public": {"within_days": 5}, "not_ours": {"within_days": 3}}
    return base_settings(tmp_path, db_url, targets={"case_types": case_types})


def _keep(page, name: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    keep = os.environ.get("DISCLOSURE_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(keep) / name), full_page=True)


def _shown(page, name: str) -> bool:  # type: ignore[no-untyped-def]  # noqa: F811
    return page.locator(f"#action-letter [name={name}]").is_visible()


def _replied(page, outcome: str) -> str:  # type: ignore[no-untyped-def]  # noqa: F811
    """A registered application replied with `outcome`, its page with the letter form open."""
    number = register_in_browser(page)
    page.click("#action-reply summary")
    page.select_option("#action-reply select[name=outcome]", outcome)
    page.locator("#action-reply form button").click()
    page.wait_for_url(f"**/applications/{number}")
    page.click("#action-letter summary")
    return number


def test_the_letter_form_shows_what_the_kind_and_variant_need(page, engine, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.set_viewport_size({"width": 1366, "height": 900})
    page.add_init_script(RECORD_VIOLATIONS)
    _login(page, "clerk")
    page.on("dialog", lambda d: d.accept())  # "该操作将办结此申请"
    _replied(page, "3.4")  # its paragraphs state reasons; so does a 决定公开告知书
    for kind, shown in (("reply", True), ("disclose_notice", True), ("correction", False)):
        page.select_option("#action-letter select[name=kind]", kind)
        assert _shown(page, "reasons") is shown, kind
    number = _replied(page, "1")
    assert _shown(page, "delivery") and _shown(page, "attachments") and _shown(page, "date")
    assert not _shown(page, "variant") and not _shown(page, "items")  # 登记回执 first
    page.select_option("#action-letter select[name=kind]", "reply")
    assert _shown(page, "variant") and not _shown(page, "items") and not _shown(page, "party")
    assert not _shown(page, "where")  # 现予公开 or not chosen yet
    assert not _shown(page, "reasons")  # a disclosure states none
    page.select_option("#action-letter select[name=variant]", "already_public")
    assert _shown(page, "where")
    page.fill("#action-letter input[name=where]", "本机关门户网站")
    _keep(page, "letter-form.png")
    page.screenshot(path=str(tmp_path / "letter-form.png"), full_page=True)
    page.select_option("#action-letter select[name=variant]", "disclosed_now")
    assert not _shown(page, "where")
    page.fill("#action-letter textarea[name=attachments]", "监测报告.pdf")
    with page.expect_download() as got:
        page.click("#action-letter button:has-text('出具并下载')")
    docx = Document(io.BytesIO(Path(got.value.path()).read_bytes()))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "（见附件）" in text and "附件：监测报告.pdf" in text
    with transaction(engine, write=False) as s:  # a hidden field is not sent
        [letter] = letters_of(s, number)
        assert letter.data == {"attachments": ["监测报告.pdf"], "variant_code": "disclosed_now"}
    page.goto(f"/applications/{number}")
    page.click("#action-letter summary")
    page.select_option("#action-letter select[name=kind]", "correction")
    assert _shown(page, "items") and not _shown(page, "variant")
    assert page.locator("#action-letter select[name=variant]").is_disabled()
    assert page.evaluate("window.__csp") == []


def test_the_credit_code_shows_for_organisations(page, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    page.set_viewport_size({"width": 1366, "height": 900})
    page.add_init_script(RECORD_VIOLATIONS)
    _login(page, "clerk")
    page.goto("/applications/new")
    code = page.locator("input[name=credit_code]")
    assert not code.is_visible()  # no applicant type chosen yet
    page.select_option("select[name=applicant_type]", "natural")
    assert not code.is_visible()
    page.select_option("select[name=applicant_type]", "business")
    assert code.is_visible()
    page.fill("input[name=received]", "2026-03-02")
    page.fill("input[name=applicant]", "某某环保科技有限公司")
    page.fill("textarea[name=content]", "2025年某河道水质监测报告")
    code.fill("91110000600037341M")  # a wrong check character
    page.click("button:has-text('登记')")
    error = page.locator("#err-credit_code")
    assert error.inner_text().startswith("统一社会信用代码无效")
    assert error.evaluate("e => getComputedStyle(e).color") == "rgb(166, 27, 27)"  # red, not grey
    assert code.is_visible()  # the error stays beside the field
    labels = page.locator("select[name=case_type] option").all_inner_texts()
    assert labels == [
        "一般（答复期限前 5 个工作日）",
        "已主动公开（收到后 5 个工作日内）",
        "非本机关掌握（收到后 3 个工作日内）",
    ]
    _keep(page, "registration-credit-code.png")
    page.screenshot(path=str(tmp_path / "registration.png"), full_page=True)
    assert page.evaluate("window.__csp") == []


def test_the_dashboard_shows_the_reminded_tiles(page, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    settings.notifier.leaders = [Leader(name="李主任", email="leader@example.gov.cn")]
    page.set_viewport_size({"width": 1366, "height": 900})
    _login(page, "clerk")
    register_in_browser(page, received="2026-02-02")  # internal target 4 working days late
    page.goto("/")
    tile = page.locator("#tile-internal-target")
    assert tile.locator("b").inner_text() == "1"
    assert "报领导督办" in tile.inner_text()
    assert page.locator("#tile-unconfirmed b").inner_text() == "0"
    tops = page.eval_on_selector_all(".tiles .tile", "ts => ts.map(t => t.offsetTop)")
    assert len(set(tops)) <= 2  # ten tiles in at most two rows at 1366 px
    _keep(page, "dashboard-reminded.png")
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
