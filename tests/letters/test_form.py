"""The shipped templates' form (GB/T 9704-2012, issue 14 item 2), read from the .docx."""

from __future__ import annotations

import zipfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from disclosure.letters import build_templates
from disclosure.letters.kinds import KINDS
from disclosure.letters.render import SHIPPED


def _footer_text(footer) -> str:  # type: ignore[no-untyped-def]
    p = footer.paragraphs[0]
    instr = "".join(e.text for e in p._p.iter(qn("w:instrText")))
    return p.text + "|" + instr.strip()


def test_page_numbers_odd_right_even_left() -> None:
    for info in KINDS.values():
        doc = Document(str(SHIPPED / info.template))
        assert doc.settings.odd_and_even_pages_header_footer, info.template
        odd, even = doc.sections[0].footer, doc.sections[0].even_page_footer
        assert _footer_text(odd) == "— 1 —|PAGE" == _footer_text(even)
        assert odd.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert even.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
        run = odd.paragraphs[0].runs[0]
        assert run.font.size.pt == 14  # 四号


def test_signature_block_and_annotation() -> None:
    doc = Document(str(SHIPPED / "reply.docx"))
    texts = [p.text for p in doc.paragraphs]
    assert "（印章）" not in texts
    assert texts[-3:] == ["{{ agency_name }}", "{{ date_cn }}", "（{{ annotation }}）"]
    # 附件说明 comes before the signature
    assert texts.index("附件：{{ attachments|join('；') }}") < len(texts) - 3
    # from the last body paragraph (the remedy clause) to the date: kept on one page
    remedy = next(i for i, t in enumerate(texts) if t.startswith("{% if review_first %}"))
    for p in doc.paragraphs[remedy : len(texts) - 1]:
        if not p.text.startswith("{%p"):
            assert p.paragraph_format.keep_with_next, p.text
    assert not doc.paragraphs[remedy - 1].paragraph_format.keep_with_next


def test_title_font_and_properties() -> None:
    doc = Document(str(SHIPPED / "receipt.docx"))
    rfonts = doc.paragraphs[0].runs[0]._element.rPr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == build_templates.TITLE_FONT == "方正小标宋简体"
    props = doc.core_properties
    assert props.author == props.last_modified_by == "disclosure-tracker"
    assert "python-docx" not in (props.comments or "") and props.created.year == 2026
    with zipfile.ZipFile(SHIPPED / "receipt.docx") as z:  # no "Microsoft Macintosh Word"
        assert "docProps/app.xml" not in z.namelist()
