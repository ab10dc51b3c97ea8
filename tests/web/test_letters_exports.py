"""Issuing and downloading letters; ledger and annual report downloads."""

from __future__ import annotations

import io

from docx import Document
from openpyxl import load_workbook

from disclosure.web import integrations
from tests.web.conftest import csrf_of, post_form, register


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def test_extension_letter_downloads_as_docx(client_for):
    clerk = client_for("clerk")
    number = register(clerk, applicant="张三")
    url = f"/applications/{number}"
    r = post_form(
        clerk, url, f"{url}/actions/extend", {"date": "2026-03-05", "days": "20", "approver": "王"}
    )
    assert r.status_code == 303
    r = post_form(clerk, url, f"{url}/letters", {"kind": "extension"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(integrations.DOCX)
    assert "attachment" in r.headers["content-disposition"]
    text = _docx_text(r.content)
    assert "张三" in text
    assert "2026年4月28日" in text or "2026-04-28" in text
    page = clerk.get(url).text
    assert "延期答复告知书" in page  # listed as issued
    again = post_form(clerk, url, f"{url}/letters", {"kind": "extension"})
    assert _docx_text(again.content) == text  # same 文号 and date


def test_letter_error_is_shown_on_the_page(client_for):
    clerk = client_for("clerk")
    number = register(clerk)
    url = f"/applications/{number}"
    r = post_form(clerk, url, f"{url}/letters", {"kind": "no-such-kind"})
    assert r.status_code == 400
    assert '<details open id="action-letter">' in r.text


def test_department_cannot_issue_letters_for_others(client_for):
    clerk = client_for("clerk")
    theirs = register(clerk, department="hbc")
    handler = client_for("zcfg_user")
    token = csrf_of(handler.get("/").text)
    r = handler.post(
        f"/applications/{theirs}/letters", data={"csrf_token": token, "kind": "receipt"}
    )
    assert r.status_code == 404


def test_ledger_and_annual_report_download(client_for):
    clerk = client_for("clerk")
    register(clerk, applicant="李四")
    r = clerk.get("/exports/ledger.xlsx")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content), read_only=True)
    values = [c for row in wb.active.iter_rows(values_only=True) for c in row]
    wb.close()
    assert "李四" in values
    r = clerk.get("/exports/annual.xlsx?year=2026")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content), read_only=True)
    assert len(wb.sheetnames) == 2
    wb.close()
    assert clerk.get("/exports/annual.xlsx?year=abc").status_code == 400


def test_issued_letters_download_as_stored(client_for):
    import hashlib
    import re

    clerk = client_for("clerk")
    number = register(clerk, applicant="张三")
    url = f"/applications/{number}"
    issued = post_form(clerk, url, f"{url}/letters", {"kind": "receipt"})
    assert issued.status_code == 200, issued.text
    page = clerk.get(url).text
    [link] = re.findall(rf'href="({url}/letters/\d+)" title="SHA-256 ([0-9a-f]{{64}})"', page)
    r = clerk.get(link[0])
    assert r.status_code == 200 and r.content == issued.content  # byte for byte
    assert hashlib.sha256(r.content).hexdigest() == link[1]
    assert clerk.get(f"{url}/letters/999999").status_code == 404
    other = client_for("zcfg_user")  # a department outside the case sees nothing of it
    assert other.get(link[0]).status_code == 404


def test_a_letter_is_corrected_from_the_page(client_for):
    import re

    clerk = client_for("clerk")
    number = register(clerk, applicant="张三")
    url = f"/applications/{number}"
    first = post_form(clerk, url, f"{url}/letters", {"kind": "receipt"})
    assert first.status_code == 200
    [letter_id] = re.findall(rf'action="{url}/letters/(\d+)/correct"', clerk.get(url).text)
    bad = post_form(clerk, url, f"{url}/letters/{letter_id}/correct", {"reason": " "})
    assert bad.status_code == 400  # a correction says why; nothing issued
    fixed = post_form(clerk, url, f"{url}/letters/{letter_id}/correct", {"reason": "联系电话有误"})
    assert fixed.status_code == 200, fixed.text
    text = _docx_text(fixed.content)
    assert "原文书同时作废" in text and "依申告〔2026〕2号" in text
    page = clerk.get(url).text
    assert "已由" in page and "联系电话有误" in page
    # the corrected letter is still downloadable as it was; it has no correct button any more
    assert re.findall(rf'action="{url}/letters/(\d+)/correct"', page) != [letter_id]
    assert clerk.get(f"{url}/letters/{letter_id}").content == first.content


def test_the_kind_chooser_says_which_reply_it_makes(client_for):
    """Where a person chooses, the kind carries its description; files keep the plain name."""
    clerk = client_for("clerk")
    number = register(clerk, applicant="张三")
    page = clerk.get(f"/applications/{number}").text
    assert '<option value="reply">答复书（按记录的答复结果）</option>' in page
