"""A fee recorded on the web with its amount only can have its 收费通知书 issued on the web:
the letter form takes the basis (页数 or 本月第几件申请, rulebook §7.6), and the letters
layer's refusals read in the form's words, never naming `disclosure letter`'s options."""

from __future__ import annotations

import io
import re
from datetime import date

from docx import Document

from disclosure.db import transaction
from disclosure.letters.service import letters_of
from disclosure.services import steps
from disclosure.services.context import Context
from tests.conftest import NOW
from tests.web.conftest import post_form, register


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def _said(html: str) -> str:
    """Every error the page shows, beside a field or for the whole form."""
    return " ".join(re.findall(r'class="field-error"[^>]*>([^<]*)<', html))


def _fee_recorded(clerk, engine, office, amount: int) -> str:  # type: ignore[no-untyped-def]
    """A notice with its amount only, as `fee-notice --amount` or an imported ledger records
    it (the web's own form asks how the amount was reached)."""
    number = register(clerk)
    with transaction(engine) as s:
        ctx = Context(office, date(2026, 3, 5), "clerk", NOW)
        steps.FeeNotice(on=date(2026, 3, 4), amount=amount).record(s, ctx, number)
    return number


def test_the_fee_notice_takes_its_basis_on_the_form(client_for, engine, office) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = _fee_recorded(clerk, engine, office, 1700)  # 150 pages by volume (Fees art. 5)
    url = f"/applications/{number}"
    page = clerk.get(url).text
    assert 'data-when="kind:fee"><span>页数' in page and 'name="nth"' in page

    r = post_form(clerk, url, f"{url}/letters", {"kind": "fee"})
    said = _said(r.text)  # type: ignore[attr-defined]
    assert r.status_code == 400 and "页数（按量计收）或本月第几件申请（按件计收）" in said  # type: ignore[attr-defined]
    assert "--" not in said

    r = post_form(clerk, url, f"{url}/letters", {"kind": "fee", "pages": "100"})
    said = _said(r.text)  # type: ignore[attr-defined]
    assert r.status_code == 409 and "按 页数 100 计算的收费金额为" in said and "1700 元不符" in said  # type: ignore[attr-defined]
    with transaction(engine, write=False) as s:
        assert letters_of(s, number) == []

    r = post_form(clerk, url, f"{url}/letters", {"kind": "fee", "pages": "150"})
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]
    text = _text(r.content)  # type: ignore[attr-defined]
    assert "150" in text and "1700" in text

    # the issued notice is reprinted as it is: another basis is refused, pointing at 更正
    r = post_form(clerk, url, f"{url}/letters", {"kind": "fee", "nth": "11"})
    said = _said(r.text)  # type: ignore[attr-defined]
    assert r.status_code == 409 and "不能采用 本月第几件申请 11" in said  # type: ignore[attr-defined]
    assert "该文书的“更正”" in said and "disclosure" not in said and "--" not in said


def test_an_abandonment_letter_before_the_step_says_where_to_record_it(client_for) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = register(clerk)
    url = f"/applications/{number}"
    r = post_form(clerk, url, f"{url}/letters", {"kind": "abandoned"})
    said = _said(r.text)  # type: ignore[attr-defined]
    assert r.status_code == 400 and "请先在“办理操作”中记录“视为放弃”" in said  # type: ignore[attr-defined]
    assert "--" not in said and "correction" not in said


def test_an_extension_letter_before_the_step_says_where_to_record_it(client_for) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = register(clerk)
    url = f"/applications/{number}"
    r = post_form(clerk, url, f"{url}/letters", {"kind": "extension"})
    said = _said(r.text)  # type: ignore[attr-defined]
    assert r.status_code == 400, said  # type: ignore[attr-defined]
    assert "请先在“办理操作”中记录延期" in said and "工作日数" not in said


def test_the_fee_notice_form_asks_how_the_amount_was_reached(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    """按量: the pages give the amount (a wrong amount beside it is refused); the 收费通知书
    then needs nothing more."""
    clerk = client_for("clerk")
    number = register(clerk)
    url = f"/applications/{number}"
    act = f"{url}/actions/fee_notice"
    form = clerk.get(url).text
    assert 'name="fee_basis"' in form and 'name="pages"' in form
    r = post_form(clerk, url, act, {"date": "2026-03-04", "fee_basis": "volume"})
    assert r.status_code == 400 and "按量计收须填写页数" in _said(r.text)  # type: ignore[attr-defined]
    odd = {"date": "2026-03-04", "fee_basis": "item", "amount": "150"}  # no n gives 150
    r = post_form(clerk, url, act, odd)
    assert r.status_code == 400 and "150 元不是按件计收的金额" in _said(r.text)  # type: ignore[attr-defined]
    bad = {"date": "2026-03-04", "fee_basis": "volume", "pages": "150", "amount": "100"}
    r = post_form(clerk, url, act, bad)
    assert r.status_code == 400 and "与按量计算的 1700 元不符" in _said(r.text)  # type: ignore[attr-defined]
    r = post_form(clerk, url, act, {"date": "2026-03-04", "fee_basis": "volume", "pages": "150"})
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    r = post_form(clerk, url, f"{url}/letters", {"kind": "fee"})
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]
    text = _text(r.content)  # type: ignore[attr-defined]
    assert "按量计收" in text and "1700" in text
