"""The sections of the annual report beyond tables 三 and 四, as xlsx sheets."""

from __future__ import annotations

from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from disclosure.report.annual_full import FullReport

_WRAP = Alignment(wrap_text=True, vertical="top")


def add_sheets(report: FullReport) -> Callable[[Workbook], None]:
    """An `extra` for `annual_xlsx.write_xlsx`: sheets 二, 一/五/六 and 变动情况."""

    def extra(wb: Workbook) -> None:
        v = report.figure
        ws = wb.create_sheet("主动公开政府信息情况")
        rows: list[list[object]] = [
            ["二、主动公开政府信息情况"],
            ["第二十条第（一）项"],
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["规章", *(_num(v(f"rules_{p}")) for p in ("issued", "repealed", "in_force"))],
            ["行政规范性文件",
             *(_num(v(f"normative_{p}")) for p in ("issued", "repealed", "in_force"))],
            ["第二十条第（五）项"],
            ["信息内容", "本年处理决定数量"],
            ["行政许可", _num(v("licensing_decisions"))],
            ["第二十条第（六）项"],
            ["信息内容", "本年处理决定数量"],
            ["行政处罚", _num(v("punishment_decisions"))],
            ["行政强制", _num(v("coercion_decisions"))],
            ["第二十条第（八）项"],
            ["信息内容", "本年收费金额（单位：万元）"],
            ["行政事业性收费", _num(v("fees_amount"))],
        ]  # fmt: skip
        for line in rows:
            ws.append(line)
        for r in (1, 2, 6, 9, 13):
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
            ws.cell(r, 1).font = Font(bold=True)
        for r in (7, 8, 10, 11, 12, 14, 15):
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=4)
        ws.column_dimensions["A"].width = 22
        for letter in "BCD":
            ws.column_dimensions[letter].width = 16
        texts = wb.create_sheet("总体情况及其他事项")
        texts.append(["一、总体情况", report.text("overview")])
        texts.append(["五、存在的主要问题及改进情况", report.text("problems")])
        texts.append(["六、其他需要报告的事项", "\n".join(report.other_paragraphs())])
        texts.column_dimensions["A"].width = 30
        texts.column_dimensions["B"].width = 100
        for row in texts.iter_rows():
            for cell in row:
                cell.alignment = _WRAP
        pub = report.publication
        if pub is not None and pub.correction_note:
            texts.append(["更正发布", pub.correction_note])
            texts["B"][-1].alignment = _WRAP
        if pub is not None and pub.changes:
            ch = wb.create_sheet("发布后变动情况")
            ch.append([f"本报告于{pub.locked_on}锁定发布（SHA-256：{pub.sha256}）"])
            ch.append(["项目", "发布时", "现在"])
            for c in pub.changes:
                ch.append([c.label, _cell(c.published), _cell(c.current)])
            ch.column_dimensions["A"].width = 50

    return extra


def _num(value: str | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value.isdigit() else float(value)


def _cell(value: object) -> object:
    return value if isinstance(value, int | float | str) or value is None else str(value)
