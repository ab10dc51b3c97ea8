"""The case file in a real browser: upload by the file field and by drag and drop, the image
preview, the list, and another department's handler refused the file (chromium)."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from disclosure.settings import Settings
from tests.casefile.conftest import image_bytes, pdf_bytes
from tests.conftest import base_settings
from tests.web.test_browser import _login, page, register_in_browser, server  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return base_settings(tmp_path, db_url, documents={"dir": str(tmp_path / "docs")})


DROP = """([name, b64, type]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const dt = new DataTransfer();
  dt.items.add(new File([bytes], name, { type }));
  return dt;
}"""


def test_clerk_uploads_and_previews_documents(page, server, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _login(page, "clerk")
    number = register_in_browser(page)

    form = tmp_path / "申请表.pdf"
    form.write_bytes(pdf_bytes("APPLICATION FORM"))
    page.click("summary:has-text('上传材料')")
    upload = page.locator("form.upload")
    upload.locator("input[name=file]").set_input_files(str(form))
    upload.locator("select[name=kind]").select_option("application_form")
    upload.locator("button:has-text('上传')").click()
    page.wait_for_load_state()
    assert "已上传：申请表 申请表.pdf" in page.inner_text(".flash")

    # drag and drop (static/casefile.js puts the dropped file into the field)
    page.click("summary:has-text('上传材料')")
    upload = page.locator("form.upload")
    payload = ["信封.png", base64.b64encode(image_bytes("PNG", (900, 600))).decode(), "image/png"]
    transfer = page.evaluate_handle(DROP, payload)
    upload.locator(".dropzone").dispatch_event("drop", {"dataTransfer": transfer})
    assert upload.locator("input[name=file]").evaluate("i => i.files[0].name") == "信封.png"
    upload.locator("select[name=kind]").select_option("envelope")
    upload.locator("button:has-text('上传')").click()
    page.wait_for_load_state()
    assert "已上传：信封/邮件凭证 信封.png" in page.inner_text(".flash")

    rows = page.locator("table.documents tbody tr:not(.preview)")
    assert rows.count() == 2
    assert "PDF" in rows.nth(0).inner_text() and "PNG 图片" in rows.nth(1).inner_text()
    img = page.locator("tr.preview img")
    img.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    assert img.evaluate("i => i.naturalWidth") == 900

    shot = tmp_path / "casefile.png"
    page.locator("#documents").scroll_into_view_if_needed()
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    keep = os.environ.get("DISCLOSURE_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(keep) / "casefile.png"), full_page=True)

    href = page.locator("table.documents a:has-text('下载')").first.get_attribute("href")
    page.click("button:has-text('退出')")
    _login(page, "hbc_user")
    response = page.goto(str(href))
    assert response is not None and response.status == 404
    assert number  # the handler of another department sees neither the case nor its file
