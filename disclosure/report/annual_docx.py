"""The annual report as a Word document in the official layout (国办公开办函〔2021〕30号).

公文 conventions: A4, margins 3.7 / 3.5 / 2.8 / 2.6 cm; title in 方正小标宋简体 二号 (22 pt);
section headings in 黑体 三号 (16 pt); body in 仿宋_GB2312 三号, first line indented two
characters, fixed 28 pt line spacing; tables in 仿宋 small sizes with merged headers as the
form draws them. Fonts come from `[report]` (`Fonts`); for the PDF the first installed font of
each list is written instead (`annual_pdf.installed_fonts`), so LibreOffice needs no guess.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, cast

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell

from disclosure.outcomes import OUTCOMES
from disclosure.report import labels as L
from disclosure.report.annual import REVIEW_KINDS
from disclosure.report.annual_full import INTRO, FullReport

BODY_PT, TITLE_PT, TABLE_PT = 16, 22, 9


@dataclass(frozen=True)
class Fonts:
    body: str
    title: str
    heading: str


def _font(run: Any, name: str, size: float, bold: bool = False) -> None:
    """Set a run's (or a style's) font for Latin and East Asian text alike."""
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


class _Writer:
    def __init__(self, fonts: Fonts) -> None:
        self.fonts = fonts
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.orientation = WD_ORIENT.PORTRAIT
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        normal = self.doc.styles["Normal"]
        _font(normal, fonts.body, BODY_PT)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")
        normal.element.get_or_add_rPr().append(lang)

    def para(self, text: str, *, font: str | None = None, size: float = BODY_PT,
             bold: bool = False, center: bool = False, indent: bool = True,
             keep_with_next: bool = False) -> None:  # fmt: skip
        p = self.doc.add_paragraph()
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(28 if size <= BODY_PT else 36)
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.keep_with_next = keep_with_next
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif indent:
            fmt.first_line_indent = Pt(size * 2)
        _font(p.add_run(text), font or self.fonts.body, size, bold)

    def heading(self, text: str) -> None:
        """A section heading: on the page of what follows it, never alone at a page's foot."""
        self.para(text, font=self.fonts.heading, keep_with_next=True)

    def keep_together(self, t: Table) -> None:
        """A short table on one page: each row's paragraphs kept with the next row (Word and
        LibreOffice both read that as "do not split the table")."""
        for row in t.rows[:-1]:
            for cell in row.cells:
                for p in cell.paragraphs:
                    p.paragraph_format.keep_with_next = True

    def table(self, rows: int, cols: int, widths: list[float]) -> Table:
        t = cast(Table, self.doc.add_table(rows=rows, cols=cols))  # python-docx leaves it untyped
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        for i, column in enumerate(t.columns):
            column.width = Cm(widths[i])  # the grid LibreOffice lays out by
        for row in t.rows:
            for i, cell in enumerate(row.cells):
                cell.width = Cm(widths[i])
        return t

    def put(self, cell: _Cell, value: object, *, bold: bool = False, left: bool = False) -> None:
        cell.text = ""
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
        _font(p.add_run("" if value is None else str(value)), self.fonts.body, TABLE_PT, bold)

    def merge(self, t: Table, r0: int, c0: int, r1: int, c1: int, value: object,
              bold: bool = False) -> None:  # fmt: skip
        cell = t.cell(r0, c0).merge(t.cell(r1, c1)) if (r0, c0) != (r1, c1) else t.cell(r0, c0)
        self.put(cell, value, bold=bold)

    def gap(self) -> None:
        self.para("", indent=False)


def _section2(w: _Writer, report: FullReport) -> None:
    v = report.figure
    t = w.table(14, 4, [5.2, 3.6, 3.6, 3.6])
    w.merge(t, 0, 0, 0, 3, "第二十条第（一）项", bold=True)
    for c, text in enumerate(("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")):
        w.put(t.cell(1, c), text, bold=True)
    for r, (label, key) in enumerate((("规章", "rules"), ("行政规范性文件", "normative")), 2):
        w.put(t.cell(r, 0), label)
        for c, part in enumerate(("issued", "repealed", "in_force"), 1):
            w.put(t.cell(r, c), v(f"{key}_{part}") or "")
    blocks = (
        (4, "第二十条第（五）项", "本年处理决定数量", (("行政许可", "licensing_decisions"),)),
        (7, "第二十条第（六）项", "本年处理决定数量",
         (("行政处罚", "punishment_decisions"), ("行政强制", "coercion_decisions"))),
    )  # fmt: skip
    for first, title, head, items in blocks:
        w.merge(t, first, 0, first, 3, title, bold=True)
        w.put(t.cell(first + 1, 0), "信息内容", bold=True)
        w.merge(t, first + 1, 1, first + 1, 3, head, bold=True)
        for i, (label, key) in enumerate(items, first + 2):
            w.put(t.cell(i, 0), label)
            w.merge(t, i, 1, i, 3, v(key) or "")
    w.merge(t, 11, 0, 11, 3, "第二十条第（八）项", bold=True)
    w.put(t.cell(12, 0), "信息内容", bold=True)
    w.merge(t, 12, 1, 12, 3, "本年收费金额（单位：万元）", bold=True)
    w.put(t.cell(13, 0), "行政事业性收费")
    w.merge(t, 13, 1, 13, 3, v("fees_amount") or "")


def _section3(w: _Writer, report: FullReport) -> None:
    rows = report.base.rows
    n_body = 2 + len(OUTCOMES) + 2
    t = w.table(3 + n_body, 10, [1.6, 2.0, 4.0] + [1.3] * 7)
    w.merge(t, 0, 0, 2, 2, L.BALANCE_NOTE)
    w.merge(t, 0, 3, 0, 9, "申请人情况", bold=True)
    w.merge(t, 1, 3, 2, 3, L.COLUMN_NAMES[0], bold=True)
    w.merge(t, 1, 4, 1, 8, "法人或其他组织", bold=True)
    for i, name in enumerate(L.COLUMN_NAMES[1:6]):
        w.put(t.cell(2, 4 + i), name, bold=True)
    w.merge(t, 1, 9, 2, 9, L.TOTAL_LABEL, bold=True)

    def values(r: int, key: str) -> None:
        for i, n in enumerate(rows[key]):
            w.put(t.cell(r, 3 + i), n)

    w.merge(t, 3, 0, 3, 2, L.ROW_NEW)
    values(3, "new")
    w.merge(t, 4, 0, 4, 2, L.ROW_CARRIED_IN)
    values(4, "carried_in")
    r = 5
    groups: dict[str, list[int]] = {}
    for code in OUTCOMES:
        group, item = L.outcome_row_labels(code)
        if item is None:
            w.merge(t, r, 1, r, 2, group)
        else:
            groups.setdefault(group, []).append(r)
            w.put(t.cell(r, 2), item, left=True)
        values(r, f"outcome:{code}")
        r += 1
    for group, rs in groups.items():
        w.merge(t, rs[0], 1, rs[-1], 1, group)
    w.merge(t, r, 1, r, 2, L.ROW_TOTAL)
    values(r, "total")
    w.merge(t, 5, 0, r, 0, L.ROW_RESULTS)
    w.merge(t, r + 1, 0, r + 1, 2, L.ROW_CARRIED_FORWARD)
    values(r + 1, "carried_forward")


def _section4(w: _Writer, report: FullReport) -> None:
    t = w.table(4, 15, [1.07] * 15)
    w.merge(t, 0, 0, 1, 4, "行政复议", bold=True)
    w.merge(t, 0, 5, 0, 14, "行政诉讼", bold=True)
    w.merge(t, 1, 5, 1, 9, L.REVIEW_KIND_LABELS["litigation_direct"], bold=True)
    w.merge(t, 1, 10, 1, 14, L.REVIEW_KIND_LABELS["litigation_after_review"], bold=True)
    for k, kind in enumerate(REVIEW_KINDS):
        for i, name in enumerate(L.REVIEW_COLUMNS):
            w.put(t.cell(2, 5 * k + i), name, bold=True)
        for i, n in enumerate(report.base.reviews[kind]):
            w.put(t.cell(3, 5 * k + i), n)
    w.keep_together(t)


def _tasks_table(w: _Writer, report: FullReport) -> None:
    items = report.tasks.items
    t = w.table(1 + len(items), 4, [1.6, 8.0, 3.4, 3.0])
    for c, text in enumerate(("序号", "重点任务", "牵头单位", "落实情况")):
        w.put(t.cell(0, c), text, bold=True)
    for r, it in enumerate(items, 1):
        w.put(t.cell(r, 0), it["code"])
        w.put(t.cell(r, 1), f"{it['title']}{it['requirement']}", left=True)
        w.put(t.cell(r, 2), it["lead"])
        status = it["status_label"] + (f"（{it['done_on']}）" if it["done_on"] else "")
        w.put(t.cell(r, 3), status)


def _changes(w: _Writer, report: FullReport) -> None:
    pub = report.publication
    if pub is not None and pub.correction_note:
        w.para(pub.correction_note)
    if pub is None or not pub.changes:
        return
    w.gap()
    w.heading("附：本报告发布后数据变动情况")
    w.para(f"本报告于{pub.locked_on}锁定发布（SHA-256：{pub.sha256[:16]}…）。"
           f"此后登记数据发生以下变动，以台账为准：")  # fmt: skip
    t = w.table(1 + len(pub.changes), 3, [8.0, 4.0, 4.0])
    for c, text in enumerate(("项目", "发布时", "现在")):
        w.put(t.cell(0, c), text, bold=True)
    for r, ch in enumerate(pub.changes, 1):
        w.put(t.cell(r, 0), ch.label, left=True)
        w.put(t.cell(r, 1), _short(ch.published))
        w.put(t.cell(r, 2), _short(ch.current))


def _short(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def render_docx(report: FullReport, fonts: Fonts) -> bytes:
    w = _Writer(fonts)
    title = f"{report.agency}{report.year}年政府信息公开工作年度报告"
    w.para(title, font=fonts.title, size=TITLE_PT, center=True)
    w.gap()
    w.para(INTRO.format(year=report.year))
    w.heading("一、总体情况")
    for p in report.text("overview").splitlines() or [""]:
        if p.strip():
            w.para(p.strip())
    w.heading("二、主动公开政府信息情况")
    _section2(w, report)
    w.gap()
    w.heading(L.TABLE3_TITLE)
    _section3(w, report)
    w.gap()
    w.heading(L.TABLE4_TITLE)
    _section4(w, report)
    w.gap()
    w.heading("五、存在的主要问题及改进情况")
    for p in report.text("problems").splitlines():
        if p.strip():
            w.para(p.strip())
    w.heading("六、其他需要报告的事项")
    for p in report.other_paragraphs():
        w.para(p.strip())
    if report.tasks.items:
        _tasks_table(w, report)
    _changes(w, report)
    buf = io.BytesIO()
    w.doc.save(buf)
    return buf.getvalue()
