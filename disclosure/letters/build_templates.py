"""Build the shipped Word templates (disclosure/letters/templates/*.docx) with python-docx.

Run `python -m disclosure.letters.build_templates` after changing the wording below and commit
the regenerated .docx files. Offices restyle by copying a .docx into `[letters] template_dir`
and editing it in Word or WPS; placeholders are Jinja2 (docxtpl): `{{ name }}` inside a
paragraph, `{%p … %}` alone in a paragraph for loops and conditions.

Layout follows GB/T 9704-2012 (党政机关公文格式): 方正小标宋简体 二号 title, 仿宋 三号 body,
fixed 28 pt line spacing, first-line indent of two characters; 附件说明 before the signature;
the signature block (署名, 成文日期; the seal is pressed over them, no text marks its place)
kept on one page with the last body paragraph; 附注 (contact, delivery) under the date; page
numbers "— 1 —" in 4号 半角 宋体, odd pages right, even pages left, one character in. Where
the official fonts are missing, the PDF substitutes the fonts named in `fonts.conf`
(`disclosure.letters.render.to_pdf`). Every citation comes from the tables in
`disclosure.outcomes` (docs/citations.md).
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from disclosure.letters.kinds import KINDS, LetterKind
from disclosure.outcomes import FEE_PAYMENT, FEES, P, cite

TEMPLATES = Path(__file__).parent / "templates"
BODY_FONT = "仿宋"
TITLE_FONT = "方正小标宋简体"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
CHAR = Pt(16)  # one character of the body
# Fixed document properties (not python-docx's defaults; a rebuild gives the same file).
BUILT = datetime(2026, 1, 1)


def reg(*provisions: object) -> str:
    """《条例》第…条 for the given (article, paragraph, item) tuples."""
    return cite(tuple(P(*p) if isinstance(p, tuple) else P(p) for p in provisions))  # type: ignore[arg-type]


INTRO = (
    "本机关于{{ received_cn }}收到您提出的政府信息公开申请（登记编号：{{ number }}），"
    "您申请获取“{{ request }}”的政府信息。{{ history }}"
)
# To a third party or another agency: who asks is "申请人" for a natural person, and the
# information is described, not quoted (rulebook §9.6; disclosure.letters.party).
INTRO_PARTY = (
    "本机关于{{ received_cn }}收到{{ requester }}提出的政府信息公开申请"
    "（登记编号：{{ number }}），申请公开{{ requested_info }}。"
)
# A refusal: reconsideration first (行政复议法 第二十三条第一款第（四）项、第二款); otherwise
# reconsideration (第二十条、第二十四条) or a lawsuit (行政诉讼法 第四十六条).
REMEDY = (
    "{% if review_first %}如对本{{ decision_noun }}不服，应当自收到本{{ decision_noun }}之日起"
    "60日内先向{{ reconsideration_organ }}申请行政复议（《中华人民共和国行政复议法》第二十条、"
    "第二十三条第一款第（四）项、第二十四条）；对行政复议决定不服的，可以依法向人民法院提起"
    "行政诉讼。{% else %}如对本{{ decision_noun }}不服，可以自收到本{{ decision_noun }}之日起"
    "60日内向"
    "{{ reconsideration_organ }}申请行政复议（《中华人民共和国行政复议法》第二十条、第二十四条），"
    "也可以自收到本{{ decision_noun }}之日起6个月内向{{ court }}提起行政诉讼"
    "（《中华人民共和国行政诉讼法》第四十六条）。{% endif %}"
)
DECISION = ["{%p for p in decision %}", "{{ p }}", "{%p endfor %}", REMEDY]
# The receipt's promise: the date when it is known; while a correction is awaited the 20
# working days run from the corrected application (Reg. Art. 30, rulebook §5.3).
REPLY_WITHIN = (
    "{% if reply_due_cn %}收到申请之日起20个工作日内，即{{ reply_due_cn }}前"
    "{% else %}收到补正后的申请之日起20个工作日内{% endif %}"
)

# The body of each kind, between the addressee line and the signature.
BODIES: dict[LetterKind, list[str]] = {
    LetterKind.RECEIPT: [
        INTRO,
        "您的申请已登记，提交方式：{{ channel_label }}。根据"
        + reg((33, 2))
        + "的规定，本机关将在"
        + REPLY_WITHIN
        + "作出答复；需要延长答复期限的，将另行告知。"
        "查询办理进度时，请提供上述登记编号。",
    ],
    LetterKind.CORRECTION: [
        INTRO,
        "经审查，您的申请内容不够明确，本机关无法确定您所需要的政府信息。根据"
        + reg(30)
        + "的规定，现一次性告知您对以下事项作出补正：",
        "{%p for item in correction_items %}",
        "{{ loop.index }}．{{ item }}",
        "{%p endfor %}",
        "请您自收到本告知书之日起{{ correction_period }}个工作日内"
        "{% if correction_deadline_cn %}（即{{ correction_deadline_cn }}前）{% endif %}"
        "将补正后的申请提交本机关。"
        "{% if correction_restarts %}答复期限自本机关收到补正后的申请之日起计算。{% endif %}"
        "无正当理由逾期不补正的，"
        "视为放弃申请，本机关不再处理您的该政府信息公开申请。",
    ],
    LetterKind.EXTENSION: [
        INTRO,
        "{% if extension_reason %}因{{ extension_reason }}，{% endif %}"
        "本机关不能在{{ original_due_cn }}前作出答复。"
        "经本机关政府信息公开工作机构负责人同意，根据" + reg((33, 2)) + "的规定，"
        "答复期限延长{{ extension_days }}个工作日，本机关将于{{ reply_due_cn }}前作出答复。",
    ],
    LetterKind.CONSULTATION: [
        INTRO_PARTY,
        "经审查，该政府信息公开可能损害贵方合法权益。根据"
        + reg(32)
        + "的规定，现书面征求贵方意见。",
        "请贵方自收到本征求意见书之日起{{ consultation_period }}个工作日内"
        "{% if consultation_due_cn %}（即{{ consultation_due_cn }}前）{% endif %}以书面形式提出"
        "是否同意公开的意见及理由。逾期未提出意见的，由本机关依法决定是否公开。",
    ],
    LetterKind.CONSULTATION_AGENCY: [
        INTRO_PARTY,
        "经审查，该政府信息由贵机关与本机关共同制作。根据" + reg(34) + "的规定，现征求贵机关意见。",
        "请贵机关自收到本征求意见函之日起{{ consultation_period }}个工作日内"
        "{% if consultation_due_cn %}（即{{ consultation_due_cn }}前）{% endif %}提出意见；"
        "逾期未提出意见的，视为同意公开。",
    ],
    LetterKind.CONSULTATION_NOTICE: [
        INTRO,
        "因您申请获取的政府信息{{ consulted_label }}，本机关已依照{{ consultation_citation }}"
        "的规定征求意见：",
        "{%p for c in consultations %}",
        "{{ c.sent_cn }}书面征求{{ c.party_label }}意见，{% if c.due_cn %}征求意见期限至"
        "{{ c.due_cn }}{% else %}征求意见期限自其收到征求意见书之日起计算{% endif %}。",
        "{%p endfor %}",
        "根据" + reg((33, 3)) + "的规定，征求第三方和其他机关意见所需时间不计算在答复期限内。"
        "{% if reply_due_cn %}本机关将于{{ reply_due_cn }}前作出答复。"
        "{% else %}本机关将在收到补正后的申请之日起20个工作日内作出答复。{% endif %}",
    ],
    LetterKind.FEE: [
        INTRO,
        "根据{{ fee_citation }}的规定，本机关对您的申请收取信息处理费，现通知如下：",
        "收费依据：" + FEES + "（国办函〔2020〕109号）。",
        "计收方式：{{ fee_basis_label }}。",
        "收费标准：{{ fee_rate }}。",
        "应缴金额：人民币{{ fee_amount }}元（{{ fee_breakdown }}）。",
        "缴纳方式：{{ payment_method }}",
        "缴费期限：根据" + cite((FEE_PAYMENT,)) + "的规定，请您自收到本通知的次日起"
        "{{ fee_period }}个工作日内{% if fee_due_cn %}，即{{ fee_due_cn }}前{% endif %}缴纳。"
        "逾期未缴纳的，视为放弃申请，本机关不再处理您的该政府信息公开申请。",
    ],
    LetterKind.ART35: [
        INTRO,
        "经审查，您申请公开政府信息的数量、频次明显超过合理范围。根据" + reg(35) + "的规定，"
        "请您{{ reasons_due_text }}向本机关说明理由。",
        "本机关认为申请理由不合理的，将告知您不予处理；认为申请理由合理，但是无法在"
        + reg(33)
        + "规定的期限内答复的，将确定延迟答复的合理期限并告知您。",
    ],
    LetterKind.DEFERRED: [
        INTRO,
        "经审查，您申请公开政府信息的数量、频次明显超过合理范围，您说明的理由合理，但本机关无法在"
        + reg(33)
        + "规定的期限内答复。根据"
        + reg(35)
        + "的规定，本机关确定延迟答复的期限为{{ deferred_due_cn }}，将于该日前作出答复。",
    ],
    LetterKind.ABANDONED: [INTRO, *DECISION],
    LetterKind.REPLY: [INTRO, *DECISION],
    LetterKind.DISCLOSE_NOTICE: [
        INTRO_PARTY,
        "本机关已于{{ consulted_cn }}书面征求贵方意见。经审查，本机关认为不公开该政府信息可能"
        "对公共利益造成重大影响，根据" + reg(15, 32) + "的规定，决定予以公开。现将决定公开的"
        "政府信息内容和理由告知如下：",
        "公开的内容：{{ disclosed_text }}",
        "理由：{{ disclose_reasons }}",
        "本机关将在本告知书送达贵方之日起满{{ disclose_wait }}个工作日后公开上述政府信息。"
        "贵方如对本决定不服，可以自收到本告知书之日起60日内向{{ reconsideration_organ }}申请"
        "行政复议（《中华人民共和国行政复议法》第二十条、第二十四条），也可以自收到本告知书之日起"
        "6个月内向{{ court }}提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条）。",
    ],
    LetterKind.COOPERATION: [
        "本机关于{{ received_cn }}收到一件政府信息公开申请（登记编号：{{ number }}），申请公开"
        "{{ requested_info }}。经研究，该申请涉及贵部门职责，请予协助办理。",
        "{%p if coop_items %}",
        "需协助的事项：{{ coop_items|join('；') }}",
        "{%p endif %}",
        "请于{{ coop_due_cn }}前将办理意见（是否掌握该信息、能否公开及理由）和相关材料反馈本机关"
        "政府信息公开工作机构。{% if reply_due_cn %}答复期限为{{ reply_due_cn }}。"
        "{% else %}申请人正在补正，答复期限自收到补正后的申请之日起计算。{% endif %}",
    ],
    LetterKind.SERVICE_RECEIPT: [
        "送达文书：{{ served_name }}（{{ served_reference }}）",
        "受送达人：{{ applicant }}",
        "送达地址：{{ applicant_address or '—' }}",
        "送达方式：{{ delivery }}",
        "受送达人签名或盖章：　　　　　　　　　　年　　月　　日",
        "送达人：　　　　　　　　见证人：",
        "备注：",
    ],
}

# 附件说明: under the body, before the signature (GB/T 9704-2012 7.3.4).
ATTACHMENTS = [
    "{%p if attachments %}",
    "",
    "附件：{{ attachments|join('；') }}",
    "{%p endif %}",
]
# 附注: under the date, two characters in, in brackets (GB/T 9704-2012 7.3.6).
ANNOTATION = "（{{ annotation }}）"


# A correction names the letter it corrects (disclosure.letters.correct; rulebook §9).
CORRECTS = [
    "{%p if corrects_reference %}",
    "本文书更正本机关{{ corrects_on_cn }}出具的{{ corrects_reference }}，原文书同时作废。",
    "{%p endif %}",
]
# What the marks "推算" and "临时" on the letter's dates mean (rulebook §1.4, §11.7;
# disclosure.letters.dates).
DATE_NOTE = [
    "{%p if date_note %}",
    "{{ date_note }}",
    "{%p endif %}",
]


def _fonts(run_or_style, east_asian: str, size: Pt, latin: str = LATIN_FONT) -> None:  # type: ignore[no-untyped-def]
    font = run_or_style.font
    font.name = latin
    font.size = size
    font.bold = False
    rpr = run_or_style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), east_asian)


def _paragraph(  # type: ignore[no-untyped-def]
    doc,
    text: str,
    *,
    align=None,
    indent: bool = False,
    title: bool = False,
    keep: bool = False,
    right: int | None = None,
):
    """One paragraph; `keep`: kept whole and on the page of the next one (the signature)."""
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(36 if title else 28)
    fmt.space_after = Pt(0)
    if align is not None:
        p.alignment = align
    if indent:
        fmt.first_line_indent = 2 * CHAR
    if right is not None:
        fmt.right_indent = right
    if keep:
        fmt.keep_with_next = True
        fmt.keep_together = True
    run = p.add_run(text)
    if title:
        _fonts(run, TITLE_FONT, TITLE_SIZE)
    else:
        _fonts(run, BODY_FONT, BODY_SIZE)
    return p


def _field_run(paragraph, instruction: str) -> None:  # type: ignore[no-untyped-def]
    """A Word field (e.g. PAGE) as begin / instruction / separate / "1" / end runs."""
    for part in ("begin", instruction, "separate", "1", "end"):
        run = paragraph.add_run()
        _fonts(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE, PAGE_NUMBER_FONT)
        if part in ("begin", "separate", "end"):
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), part)
            run._r.append(el)
        elif part == "1":
            run.text = "1"
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
            run._r.append(el)


def _page_number(footer, align) -> None:  # type: ignore[no-untyped-def]
    """ "— 1 —" in 4号 半角 宋体, one character in from the side (GB/T 9704-2012 7.5)."""
    p = footer.paragraphs[0]
    p.alignment = align
    fmt = p.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = CHAR
    else:
        fmt.left_indent = CHAR
    for text in ("— ", None, " —"):
        if text is None:
            _field_run(p, "PAGE")
        else:
            run = p.add_run(text)
            _fonts(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE, PAGE_NUMBER_FONT)


KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}
DROP_PARTS = (
    "stylesWithEffects",
    "webSettings",
    "customXml",
    "numbering",
    "thumbnail",
    "extended-properties",  # docProps/app.xml: python-docx's "Microsoft Macintosh Word"
)


def _slim(doc) -> None:  # type: ignore[no-untyped-def]
    """Drop what python-docx's default document carries but letters never use.

    The default styles.xml (350 KB) and stylesWithEffects.xml (440 KB) are parsed, serialised
    and compressed on every render; without them a letter renders several times faster.
    """
    styles = doc.styles.element
    for child in list(styles):
        unused_style = child.tag == qn("w:style") and child.get(qn("w:styleId")) not in KEEP_STYLES
        if unused_style or child.tag == qn("w:latentStyles"):
            styles.remove(child)
    for rels in (doc.part.rels, doc.part.package.rels):
        for rid, rel in list(rels.items()):
            if any(name in rel.reltype for name in DROP_PARTS):
                del rels[rid]


def build(kind: LetterKind, path: Path) -> None:
    """Write the template of `kind` to `path`."""
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.footer_distance = Cm(2.2)  # the page number 7 mm under the text area
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)  # odd pages
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, BODY_SIZE)
    lang = OxmlElement("w:lang")  # Simplified Chinese text (glyph forms, line breaking)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    _paragraph(doc, "{{ agency_name }}", align=center, title=True)
    _paragraph(doc, "{{ title }}", align=center, title=True)
    _paragraph(doc, "{{ reference }}", align=center)
    _paragraph(doc, "{{ addressee }}：")
    body = [*BODIES[kind], *DATE_NOTE, *CORRECTS]
    last = max(i for i, t in enumerate(BODIES[kind]) if not t.startswith("{%p"))
    for i, text in enumerate(body):
        is_tag = text.startswith("{%p")
        # the last body paragraph (and a correction's line) stays with the signature
        _paragraph(doc, text, indent=not is_tag, keep=i >= last)
    for text in ATTACHMENTS:
        _paragraph(doc, text, indent=not text.startswith("{%p"), keep=True)
    _paragraph(doc, "", keep=True)  # the seal's top, within a line of the text
    _paragraph(doc, "{{ agency_name }}", align=right, right=2 * CHAR, keep=True)
    _paragraph(doc, "{{ date_cn }}", align=right, right=4 * CHAR, keep=True)
    _paragraph(doc, ANNOTATION, indent=True)
    _slim(doc)
    props = doc.core_properties
    props.title = KINDS[kind].name
    props.author = props.last_modified_by = "disclosure-tracker"
    props.comments = props.keywords = props.subject = props.category = ""
    props.created = props.modified = BUILT
    props.revision = 1
    doc.save(str(path))


def main(out_dir: Path = TEMPLATES) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in LetterKind:
        path = out_dir / KINDS[kind].template
        build(kind, path)
        written.append(path)
    return written


if __name__ == "__main__":
    for p in main(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATES):
        print(p)
