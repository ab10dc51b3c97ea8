"""The letter form speaks the clerk's words: departments by name, letters by 文号 (issue 18)."""

from __future__ import annotations

import io
import re

from docx import Document

from tests.web.conftest import post_form, register


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_a_service_receipt_is_issued_for_a_letter_chosen_by_its_reference(client_for):  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = register(clerk)
    url = f"/applications/{number}"
    assert post_form(clerk, url, f"{url}/letters", {"kind": "receipt"}).status_code == 200
    page = clerk.get(url).text
    choice = page[page.index('<select name="for_letter">') :]
    [reference] = re.findall(r'<option value="([^"]+)">\1 ', choice[: choice.index("</select>")])
    missing = post_form(clerk, url, f"{url}/letters", {"kind": "service_receipt"})
    assert missing.status_code == 400
    assert "须指定所送达文书的文号" in missing.text and "--for-letter" not in missing.text
    r = post_form(
        clerk, url, f"{url}/letters", {"kind": "service_receipt", "for_letter": reference}
    )
    assert r.status_code == 200, r.text
    assert reference in _text(r.content)


def test_a_cooperation_letter_is_listed_by_the_departments_name(client_for):  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = register(clerk, department="zcfg")
    url = f"/applications/{number}"
    r = post_form(clerk, url, f"{url}/letters", {"kind": "cooperation", "party": "zcfg"})
    assert r.status_code == 200, r.text
    page = clerk.get(url).text
    assert "（政策法规处）" in page and "（zcfg）" not in page
    wrong = post_form(clerk, url, f"{url}/letters", {"kind": "cooperation", "party": "hbc"})
    assert wrong.status_code == 409
    assert "请先分办" in wrong.text and "disclosure assign" not in wrong.text
