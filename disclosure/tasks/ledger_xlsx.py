"""The printable 重点任务台账: one row per task, grouped by section, A4 landscape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

COLUMNS = (
    ("序号", 6),
    ("工作任务", 20),
    ("具体要求", 48),
    ("牵头单位", 16),
    ("配合单位", 14),
    ("完成时限", 12),
    ("状态", 9),
    ("最近进展", 40),
)


def _progress_text(task: dict[str, Any]) -> str:
    notes = task.get("progress") or []
    if not notes:
        return ""
    last = notes[-1]
    evidence = "；".join(e["name"] for e in last["evidence"])
    text = f"{last['on']} {last['note']}"
    return text + (f"（材料：{evidence}）" if evidence else "")


def _due_text(task: dict[str, Any]) -> str:
    due_on: str | None = task["due_on"]
    if due_on:
        return due_on
    return f"持续推进（{task['review_label']}报送）" if task["review_label"] else "持续推进"


def write_ledger(tasks: list[dict[str, Any]], path: Path, *, title: str) -> None:
    from openpyxl import Workbook  # lazy: heavy, only for this command
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "重点任务台账"
    last_col = len(COLUMNS)
    ws.cell(1, 1, title).font = Font(name="宋体", size=16, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    for c, (name, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(2, c, name)
        cell.font = Font(name="宋体", size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        ws.column_dimensions[cell.column_letter].width = width
    r = 3
    section = None
    for t in tasks:
        if t["section"] and t["section"] != section:
            section = t["section"]
            ws.cell(r, 1, section).font = Font(name="宋体", size=11, bold=True)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last_col)
            r += 1
        values = [
            t["code"],
            t["title"],
            t["requirement"],
            t["lead_label"] + (f"（{t['work']}）" if t["work"] else ""),
            t["cooperating_label"],
            _due_text(t),
            t["status_label"] + (f"\n{t['done_on']}" if t["done_on"] else ""),
            _progress_text(t),
        ]
        for c, v in enumerate(values, start=1):
            cell = ws.cell(r, c, v)
            cell.alignment = wrap
            cell.border = border
            cell.font = Font(name="宋体", size=10)
        r += 1
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_setup.fitToPage = True  # proxy for sheet_properties.pageSetUpPr.fitToPage
    wb.save(path)
    wb.close()
