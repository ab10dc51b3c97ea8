"""Build the shipped Word templates (disclosure/letters/templates/*.docx) with python-docx.

Run `python -m disclosure.letters.build_templates` after changing the wording below and commit
the regenerated .docx files. Offices restyle by copying a .docx into `[letters] template_dir`
and editing it in Word or WPS; placeholders are Jinja2 (docxtpl): `{{ name }}` inside a
paragraph, `{%p … %}` alone in a paragraph for loops and conditions.

Layout follows GB/T 9704 (党政机关公文格式) loosely: 小标宋/黑体 title, 仿宋 三号 body,
fixed 28 pt line spacing, first-line indent of two characters.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from disclosure.letters.kinds import KINDS, LetterKind

TEMPLATES = Path(__file__).parent / "templates"
BODY_FONT = "仿宋"
TITLE_FONT = "黑体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号

REG = "《中华人民共和国政府信息公开条例》"
FEES = "《政府信息公开信息处理费管理办法》"
INTRO = (
    "本机关于{{ received_cn }}收到您提出的政府信息公开申请（登记编号：{{ number }}），"
    "您申请获取“{{ request }}”的政府信息。{{ history }}"
)
INTRO_PARTY = (
    "本机关于{{ received_cn }}收到{{ applicant }}提出的政府信息公开申请"
    "（登记编号：{{ number }}），申请获取“{{ request }}”的政府信息。"
)
REMEDY = (
    "如对本{{ decision_noun }}不服，可以自收到本{{ decision_noun }}之日起60日内向"
    "{{ reconsideration_organ }}申请行政复议（《中华人民共和国行政复议法》第二十条、第二十四条），"
    "也可以自收到本{{ decision_noun }}之日起6个月内向{{ court }}提起行政诉讼"
    "（《中华人民共和国行政诉讼法》第四十六条）。"
)
DECISION = ["{%p for p in decision %}", "{{ p }}", "{%p endfor %}", REMEDY]

# The body of each kind, between the addressee line and the signature.
BODIES: dict[LetterKind, list[str]] = {
    LetterKind.RECEIPT: [
        INTRO,
        "您的申请已于{{ received_cn }}登记，提交方式：{{ channel_label }}。根据"
        + REG
        + "第三十三条"
        "第二款的规定，本机关将在收到申请之日起20个工作日内，即{{ reply_due_cn }}前作出答复；"
        "需要延长答复期限的，将另行告知。{{ provisional_note }}",
        "查询办理进度时，请提供上述登记编号。",
    ],
    LetterKind.CORRECTION: [
        INTRO,
        "经审查，您的申请内容不够明确，本机关无法确定您所需要的政府信息。根据" + REG + "第三十条的"
        "规定，现一次性告知您对以下事项作出补正：",
        "{%p for item in correction_items %}",
        "{{ loop.index }}．{{ item }}",
        "{%p endfor %}",
        "请您自收到本告知书之日起{{ correction_period }}个工作日内"
        "{% if correction_deadline_cn %}（即{{ correction_deadline_cn }}前）{% endif %}"
        "将补正后的申请提交本机关。答复期限自本机关收到补正后的申请之日起计算。无正当理由逾期不补正的，"
        "视为放弃申请，本机关不再处理您的该政府信息公开申请。",
    ],
    LetterKind.EXTENSION: [
        INTRO,
        "因{{ extension_reason }}，本机关不能在{{ original_due_cn }}前作出答复。"
        "经本机关政府信息公开工作机构负责人同意，根据" + REG + "第三十三条第二款的规定，"
        "答复期限延长{{ extension_days }}个工作日，本机关将于{{ reply_due_cn }}前作出答复。",
    ],
    LetterKind.CONSULTATION: [
        INTRO_PARTY,
        "经审查，该政府信息可能涉及贵方的商业秘密、个人隐私等合法权益，公开可能损害贵方合法权益。"
        "根据" + REG + "第三十二条的规定，现书面征求贵方意见。",
        "请贵方自收到本征求意见书之日起{{ consultation_period }}个工作日内"
        "{% if consultation_due_cn %}（即{{ consultation_due_cn }}前）{% endif %}以书面形式提出"
        "是否同意公开的意见及理由。逾期未提出意见的，由本机关依照" + REG + "的规定决定是否公开。",
    ],
    LetterKind.CONSULTATION_AGENCY: [
        INTRO_PARTY,
        "经审查，该政府信息由贵机关与本机关共同制作。根据" + REG + "第三十四条的规定，现征求贵机关"
        "意见。",
        "请贵机关自收到本征求意见函之日起{{ consultation_period }}个工作日内"
        "{% if consultation_due_cn %}（即{{ consultation_due_cn }}前）{% endif %}提出意见；"
        "逾期未提出意见的，视为同意公开。",
    ],
    LetterKind.CONSULTATION_NOTICE: [
        INTRO,
        "因您申请获取的政府信息涉及第三方合法权益或者由本机关与其他行政机关共同制作，本机关已依照"
        + REG
        + "第三十二条、第三十四条的规定征求意见：",
        "{%p for c in consultations %}",
        "{{ c.sent_cn }}书面征求{{ c.party_label }}意见，{% if c.due_cn %}征求意见期限至"
        "{{ c.due_cn }}{% else %}征求意见期限自其收到征求意见书之日起计算{% endif %}。",
        "{%p endfor %}",
        "根据"
        + REG
        + "第三十三条第三款的规定，征求第三方和其他机关意见所需时间不计算在答复期限内。"
        "本机关将于{{ reply_due_cn }}前作出答复。",
    ],
    LetterKind.FEE: [
        INTRO,
        "根据" + FEES + "第三条、第四条、第五条的规定，本机关对您的申请收取信息处理费，"
        "现通知如下：",
        "收费依据：" + FEES + "（国办函〔2020〕109号）。",
        "计收方式：{{ fee_basis_label }}。",
        "收费标准：{{ fee_rate }}。",
        "应缴金额：人民币{{ fee_amount }}元（{{ fee_breakdown }}）。",
        "缴纳方式：{{ payment_method }}",
        "缴费期限：根据" + FEES + "第七条的规定，请您自收到本通知的次日起{{ fee_period }}个工作日内"
        "{% if fee_due_cn %}，即{{ fee_due_cn }}前{% endif %}缴纳。"
        "逾期未缴纳的，视为放弃申请，本机关不再处理您的该政府信息公开申请。缴费期间不计算在答复期限内。",
    ],
    LetterKind.ART35: [
        INTRO,
        "经审查，您申请公开政府信息的数量、频次明显超过合理范围。根据" + REG + "第三十五条的规定，"
        "请您{{ reasons_due_text }}向本机关说明理由。",
        "本机关认为申请理由不合理的，将告知您不予处理；认为申请理由合理，但是无法在"
        + REG
        + "第三十"
        "三条规定的期限内答复的，将确定延迟答复的合理期限并告知您。",
    ],
    LetterKind.DEFERRED: [
        INTRO,
        "经审查，您申请公开政府信息的数量、频次明显超过合理范围，您说明的理由合理，但本机关无法在"
        + REG
        + "第三十三条规定的期限内答复。根据"
        + REG
        + "第三十五条的规定，本机关确定延迟答复的期限为{{ deferred_due_cn }}，将于该日前作出答复。",
    ],
    LetterKind.ABANDONED: [INTRO, *DECISION],
    LetterKind.REPLY: [INTRO, *DECISION],
}

FOOTER = [
    "{%p if attachments %}",
    "附件：{{ attachments|join('；') }}",
    "{%p endif %}",
    "送达方式：{{ delivery }}",
    "{%p if office_contact %}",
    "联系方式：{{ office_contact }}",
    "{%p endif %}",
]


# A correction names the letter it corrects (disclosure.letters.correct; rulebook §9).
CORRECTS = [
    "{%p if corrects_reference %}",
    "本文书更正本机关{{ corrects_on_cn }}出具的{{ corrects_reference }}，原文书同时作废。",
    "{%p endif %}",
]


def _fonts(run_or_style, east_asian: str, size: Pt, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    font = run_or_style.font
    font.name = LATIN_FONT
    font.size = size
    font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), east_asian)


def _paragraph(doc, text: str, *, align=None, indent: bool = False, title: bool = False):  # type: ignore[no-untyped-def]
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(36 if title else 28)
    fmt.space_after = Pt(0)
    if align is not None:
        p.alignment = align
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 三号
    run = p.add_run(text)
    if title:
        _fonts(run, TITLE_FONT, TITLE_SIZE)
    else:
        _fonts(run, BODY_FONT, BODY_SIZE)
    return p


KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}
DROP_PARTS = ("stylesWithEffects", "webSettings", "customXml", "numbering", "thumbnail")


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
    _fonts(doc.styles["Normal"], BODY_FONT, BODY_SIZE)
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    _paragraph(doc, "{{ agency_name }}", align=center, title=True)
    _paragraph(doc, "{{ title }}", align=center, title=True)
    _paragraph(doc, "{{ reference }}", align=center)
    _paragraph(doc, "")
    _paragraph(doc, "{{ addressee }}：")
    for text in [*BODIES[kind], *CORRECTS]:
        is_tag = text.startswith("{%p")
        _paragraph(doc, text, indent=not is_tag)
    _paragraph(doc, "")
    _paragraph(doc, "{{ agency_name }}", align=right)
    _paragraph(doc, "（印章）", align=right)
    _paragraph(doc, "{{ date_cn }}", align=right)
    _paragraph(doc, "")
    for text in FOOTER:
        _paragraph(doc, text)
    _slim(doc)
    doc.core_properties.title = KINDS[kind].name
    doc.core_properties.author = "disclosure-tracker"
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
