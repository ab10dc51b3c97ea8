"""The annual report as the official form lays it out: xlsx (merged headers) and Markdown."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from disclosure.outcomes import OUTCOMES
from disclosure.report import labels as L
from disclosure.report.annual import REVIEW_KINDS, AnnualReport
from disclosure.report.cell_safety import safe_workbook

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_FONT = Font(name="宋体", size=11)
_BOLD = Font(name="宋体", size=11, bold=True)

FIRST_VALUE_COL = 4  # D: table 三 values start after three label columns (A–C)
HEADER_ROWS = (2, 3, 4)
FIRST_BODY_ROW = 5


def _put(
    ws: Worksheet, cell: str, value: str, *, merge_to: str | None = None, bold: bool = False
) -> None:
    ws[cell] = value
    ws[cell].font = _BOLD if bold else _FONT
    ws[cell].alignment = _CENTER
    if merge_to:
        ws.merge_cells(f"{cell}:{merge_to}")


def _col(n: int) -> str:
    return get_column_letter(n)


def _table3(ws: Worksheet, report: AnnualReport) -> None:
    last = _col(FIRST_VALUE_COL + len(L.COLUMN_NAMES) - 1)  # J
    _put(ws, "A1", f"{L.TABLE3_TITLE}（{report.year}年度）", merge_to=f"{last}1", bold=True)
    _put(ws, "A2", L.BALANCE_NOTE, merge_to="C4")
    _put(ws, "D2", "申请人情况", merge_to=f"{last}2", bold=True)
    _put(ws, "D3", L.COLUMN_NAMES[0], merge_to="D4")
    _put(ws, "E3", "法人或其他组织", merge_to=f"{_col(FIRST_VALUE_COL + 5)}3")
    for i, name in enumerate(L.COLUMN_NAMES[1:6]):
        _put(ws, f"{_col(FIRST_VALUE_COL + 1 + i)}4", name)
    _put(ws, f"{last}3", L.TOTAL_LABEL, merge_to=f"{last}4")

    r = FIRST_BODY_ROW
    _label_row(ws, r, L.ROW_NEW, report.rows["new"])
    _label_row(ws, r + 1, L.ROW_CARRIED_IN, report.rows["carried_in"])
    r += 2
    results_start = r
    groups: dict[str, list[int]] = {}
    for code in OUTCOMES:
        group, item = L.outcome_row_labels(code)
        if item is None:
            _put(ws, f"B{r}", group, merge_to=f"C{r}")
        else:
            groups.setdefault(group, []).append(r)
            ws[f"C{r}"] = item
            ws[f"C{r}"].alignment = _LEFT
        _values(ws, r, report.rows[f"outcome:{code}"])
        r += 1
    for group, rows in groups.items():
        _put(ws, f"B{rows[0]}", group, merge_to=f"B{rows[-1]}")
    _put(ws, f"B{r}", L.ROW_TOTAL, merge_to=f"C{r}")
    _values(ws, r, report.rows["total"])
    _put(ws, f"A{results_start}", L.ROW_RESULTS, merge_to=f"A{r}")
    _label_row(ws, r + 1, L.ROW_CARRIED_FORWARD, report.rows["carried_forward"])
    _finish(ws, r + 1, len(L.COLUMN_NAMES) + 3, widths={"A": 16, "B": 16, "C": 40})


def _label_row(ws: Worksheet, r: int, label: str, values: list[int]) -> None:
    ws[f"A{r}"] = label
    ws[f"A{r}"].alignment = _LEFT
    ws.merge_cells(f"A{r}:C{r}")
    _values(ws, r, values)


def _values(ws: Worksheet, r: int, values: list[int], first: int = FIRST_VALUE_COL) -> None:
    for i, v in enumerate(values):
        cell = ws.cell(row=r, column=first + i, value=v)
        cell.alignment = _CENTER


def _finish(ws: Worksheet, last_row: int, ncols: int, widths: dict[str, float]) -> None:
    for row in ws.iter_rows(min_row=2, max_row=last_row, max_col=ncols):
        for cell in row:
            cell.border = _BORDER
            if cell.font != _BOLD:
                cell.font = _FONT
    for c in range(1, ncols + 1):
        letter = _col(c)
        ws.column_dimensions[letter].width = widths.get(letter, 12)
    ws.row_dimensions[1].height = 28
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_setup.fitToPage = True  # proxy for sheet_properties.pageSetUpPr.fitToPage
    ws.print_options.horizontalCentered = True


def _table4(ws: Worksheet, report: AnnualReport) -> None:
    _put(ws, "A1", f"{L.TABLE4_TITLE}（{report.year}年度）", merge_to="O1", bold=True)
    _put(ws, "A2", "行政复议", merge_to="E3", bold=True)
    _put(ws, "F2", "行政诉讼", merge_to="O2", bold=True)
    _put(ws, "F3", L.REVIEW_KIND_LABELS["litigation_direct"], merge_to="J3")
    _put(ws, "K3", L.REVIEW_KIND_LABELS["litigation_after_review"], merge_to="O3")
    for k, kind in enumerate(REVIEW_KINDS):
        for i, name in enumerate(L.REVIEW_COLUMNS):
            _put(ws, f"{_col(1 + 5 * k + i)}4", name)
        _values(ws, 5, report.reviews[kind], first=1 + 5 * k)
    _finish(ws, 5, 15, widths={})


def write_xlsx(
    report: AnnualReport, path: Path, extra: Callable[[Workbook], None] | None = None
) -> None:
    """Tables 三 and 四 (the first two sheets, as they always were); `extra` adds sheets.

    Every text cell, the entered texts of `extra`'s sheets included, then follows the
    ledger's rule (`cell_safety`): the report holds no formulas, so none is written."""
    wb = Workbook()
    ws3 = wb.active
    assert ws3 is not None
    ws3.title = "收到和处理申请情况"
    _table3(ws3, report)
    _table4(wb.create_sheet("行政复议和行政诉讼情况"), report)
    if extra is not None:
        extra(wb)
    safe_workbook(wb)
    wb.save(path)
    wb.close()


def _md_row(cells: list[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def render_markdown(report: AnnualReport) -> str:
    lines = [f"## {L.TABLE3_TITLE}（{report.year}年度）", ""]
    lines.append(_md_row(["项目", *L.COLUMN_NAMES]))
    lines.append(_md_row(["---"] * (len(L.COLUMN_NAMES) + 1)))
    lines.append(_md_row([L.ROW_NEW, *report.rows["new"]]))
    lines.append(_md_row([L.ROW_CARRIED_IN, *report.rows["carried_in"]]))
    for code in OUTCOMES:
        group, item = L.outcome_row_labels(code)
        label = f"{L.ROW_RESULTS} {group}" + (f" {item}" if item else "")
        lines.append(_md_row([label, *report.rows[f"outcome:{code}"]]))
    lines.append(_md_row([f"{L.ROW_RESULTS} {L.ROW_TOTAL}", *report.rows["total"]]))
    lines.append(_md_row([L.ROW_CARRIED_FORWARD, *report.rows["carried_forward"]]))
    lines += ["", f"## {L.TABLE4_TITLE}（{report.year}年度）", ""]
    lines.append(_md_row(["类别", *L.REVIEW_COLUMNS]))
    lines.append(_md_row(["---"] * (len(L.REVIEW_COLUMNS) + 1)))
    for kind in REVIEW_KINDS:
        label = L.REVIEW_KIND_LABELS[kind]
        if kind != "reconsideration":
            label = f"行政诉讼 {label}"
        lines.append(_md_row([label, *report.reviews[kind]]))
    return "\n".join(lines) + "\n"
