"""决定公开告知书, 协办函 and 送达回证 (issue 14 item 7; rulebook §§6.2, 6.5, 9.5)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from disclosure.errors import Conflict, InvalidInput, NotFound
from disclosure.letters.render import to_pdfs
from disclosure.services import steps
from disclosure.vocabulary import PartyKind
from tests.letters.conftest import AGENCY, Desk

FIRM = "某某化工有限公司"


def _consulted(desk: Desk) -> str:
    number = desk.register()
    sent = steps.ConsultationSent(
        on=date(2026, 3, 4), party=FIRM, party_kind=PartyKind.THIRD_PARTY, served=date(2026, 3, 4)
    )
    desk.record(number, sent, date(2026, 3, 4))
    desk.record(
        number, steps.ConsultationAnswered(on=date(2026, 3, 10), party=FIRM), date(2026, 3, 10)
    )
    return number


def test_disclose_notice_goes_to_the_consulted_third_party(desk: Desk) -> None:
    number = _consulted(desk)
    issued, text = desk.issue(
        number,
        "disclose_notice",
        items=("2025年度排污许可执行报告",),
        reasons="该信息涉及公众健康，不公开可能对公共利益造成重大影响",
        today=date(2026, 3, 12),
    )
    assert issued.letter.variant == FIRM and issued.letter.reference == "穗应急依申征〔2026〕1号"
    assert f"{FIRM}：" in text.splitlines()
    assert "本机关已于2026年3月4日书面征求贵方意见" in text
    assert "第十五条、第三十二条" in text and "公开的内容：2025年度排污许可执行报告" in text
    # the wait is the office's setting (rulebook §6.2: the Regulations set none)
    assert "送达贵方之日起满15个工作日后公开" in text
    assert "申请人" in text or "A<B & C公司" in text  # the requester is described, never quoted


def test_disclose_notice_needs_a_consultation_of_that_party(desk: Desk) -> None:
    number = desk.register()
    with pytest.raises(Conflict):
        desk.issue(number, "disclose_notice", today=date(2026, 3, 12))
    consulted = _consulted(desk)
    with pytest.raises(Conflict) as err:
        desk.issue(consulted, "disclose_notice", party="另一家公司", today=date(2026, 3, 12))
    assert err.value.field == "--party"
    assert desk.letters() == []


def test_cooperation_letter_to_an_assigned_department(desk: Desk) -> None:
    number = desk.register()
    with pytest.raises(Conflict) as err:  # not assigned yet: no 文号 drawn
        desk.issue(number, "cooperation", party="hbc")
    assert err.value.field == "party" and desk.letters() == []
    assign = steps.Assignment(on=date(2026, 3, 3), department="zcfg", cooperating=("hbc",))
    desk.record(number, assign, date(2026, 3, 3))
    _, text = desk.issue(number, "cooperation", party="hbc", items=("提供2025年检查台账",))
    assert "环境保护处：" in text.splitlines()
    assert "需协助的事项：提供2025年检查台账" in text
    # received Mon 3/2: reply due Mon 3/30; the internal target is 5 working days earlier.
    assert "答复期限为2026年3月30日" in text and "请于2026年3月23日前" in text
    with pytest.raises(InvalidInput):
        desk.issue(number, "cooperation")  # which department?


def test_service_receipt_names_the_letter_it_proves(desk: Desk) -> None:
    number = desk.register()
    receipt, _ = desk.issue(number, "receipt", on=date(2026, 3, 5))
    _, text = desk.issue(number, "service_receipt", for_letter=receipt.letter.reference)
    assert f"送达文书：政府信息公开申请登记回执（{receipt.letter.reference}）" in text
    assert "受送达人：A<B & C公司" in text and "受送达人签名或盖章" in text
    with pytest.raises(NotFound):
        desk.issue(number, "service_receipt", for_letter="穗应急依申告〔2026〕99号")


@pytest.mark.skipif(
    any(shutil.which(t) is None for t in ("soffice", "pdftotext")),
    reason="LibreOffice (soffice) or poppler-utils (pdftotext) not installed",
)
def test_the_three_letters_keep_their_signature_with_body_text(desk: Desk, tmp_path: Path) -> None:
    number = _consulted(desk)
    assign = steps.Assignment(on=date(2026, 3, 3), department="zcfg", cooperating=("hbc",))
    desk.record(number, assign, date(2026, 3, 3))
    receipt, _ = desk.issue(number, "receipt", on=date(2026, 3, 3), today=date(2026, 3, 3))
    issued = [
        desk.issue(number, "disclose_notice", reasons="涉及公共利益", today=date(2026, 3, 12))[0],
        desk.issue(number, "cooperation", party="hbc", today=date(2026, 3, 12))[0],
        desk.issue(
            number, "service_receipt", for_letter=receipt.letter.reference, today=date(2026, 3, 12)
        )[0],
    ]
    docxs = []
    for i, letter in enumerate(issued):
        path = tmp_path / f"{i}.docx"
        path.write_bytes(letter.render())
        docxs.append(path)
    pdfs = to_pdfs(docxs, tmp_path)
    for pdf, most in zip(pdfs, (2, 1, 1), strict=True):  # the notice carries the remedy
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        pages = [re.sub(r"\s+", "", p) for p in text.split("\f") if p.strip()]
        assert 1 <= len(pages) <= most, pdf
        [last] = [p for p in pages if "2026年3月12日" in p]  # the date, once, with its signature
        assert AGENCY in last and "（印章）" not in last
        body = last.split(AGENCY)[0] if last.count(AGENCY) == 1 else last
        assert len(body) > 20  # never a page holding only the signature block
