"""The annual report's entered parts: section 二's figures and the texts of 一, 五 and 六.

Entered per year by `disclosure report set`, the web form, or the xlsx the departments fill
(`write_template` / `read_template`). Every entry is a new `ReportValue` row; the latest per
key counts. Figures are non-negative integers; 行政事业性收费 is an amount in 万元 (a decimal,
at most four places, i.e. to the 元). A bad value is refused naming its key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from disclosure.errors import InvalidInput
from disclosure.office_file import damaged, office_file
from disclosure.report.annual_models import VALUE_SOURCES, ReportValue
from disclosure.textinput import clean_text


@dataclass(frozen=True)
class Key:
    key: str
    label: str
    kind: str  # "int" | "wan" (万元, decimal) | "text"


FIGURES = (
    Key("rules_issued", "规章：本年制发件数", "int"),
    Key("rules_repealed", "规章：本年废止件数", "int"),
    Key("rules_in_force", "规章：现行有效件数", "int"),
    Key("normative_issued", "行政规范性文件：本年制发件数", "int"),
    Key("normative_repealed", "行政规范性文件：本年废止件数", "int"),
    Key("normative_in_force", "行政规范性文件：现行有效件数", "int"),
    Key("licensing_decisions", "行政许可：本年处理决定数量", "int"),
    Key("punishment_decisions", "行政处罚：本年处理决定数量", "int"),
    Key("coercion_decisions", "行政强制：本年处理决定数量", "int"),
    Key("fees_amount", "行政事业性收费：本年收费金额（万元）", "wan"),
)
TEXTS = (
    Key("overview", "一、总体情况", "text"),
    Key("problems", "五、存在的主要问题及改进情况", "text"),
    Key("other", "六、其他需要报告的事项", "text"),
)
KEYS = {k.key: k for k in (*FIGURES, *TEXTS)}
_INT = re.compile(r"^\d+$")
_WAN = re.compile(r"^\d+(\.\d{1,4})?$")
TEXT_MAX = 20_000


def key_info(key: str) -> Key:
    info = KEYS.get(key)
    if info is None:
        raise InvalidInput(f"未知项目 {key!r}；可用：{'、'.join(KEYS)}", field="key")
    return info


def normalise(key: str, value: Any) -> str:
    """The stored text of `value` for `key`; `InvalidInput` naming the key when it is bad."""
    info = key_info(key)
    if info.kind == "text":
        text = str(value or "").strip()
        if len(text) <= TEXT_MAX:  # the module's rule: no control characters (a crash in xlsx)
            text = clean_text(text, key, max_len=TEXT_MAX, multiline=True)
        if len(text) > TEXT_MAX:
            raise InvalidInput(f"{info.label}过长（最多 {TEXT_MAX} 字）", field=key)
        return text
    raw = str(value).strip().replace("，", ",").replace(",", "") if value is not None else ""
    if isinstance(value, float) and info.kind == "int" and value.is_integer():
        raw = str(int(value))
    if info.kind == "int":
        if not _INT.match(raw):
            raise InvalidInput(f"{info.label}应为非负整数，收到 {value!r}", field=key)
        return str(int(raw))
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        amount = Decimal(-1)
    if not _WAN.match(raw) or amount < 0:
        raise InvalidInput(
            f"{info.label}应为非负金额（单位万元，最多 4 位小数），收到 {value!r}", field=key
        )
    return format(amount.normalize(), "f")


def set_value(
    session: Session, *, year: int, key: str, value: Any, source: str, actor: str, now: datetime
) -> ReportValue:
    assert source in VALUE_SOURCES
    row = ReportValue(
        year=year,
        key=key,
        value=normalise(key, value),
        source=source,
        entered_at=now,
        entered_by=actor,
    )
    session.add(row)
    session.flush()
    return row


def set_many(
    session: Session, *, year: int, values: dict[str, Any], source: str, actor: str, now: datetime
) -> int:
    """Validate every value first (all or nothing, every problem named at once), then store
    those that changed."""
    clean, problems = {}, []
    for k, v in values.items():
        try:
            clean[k] = normalise(k, v)
        except InvalidInput as exc:
            problems.append(exc)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        said = "；".join(_named(e) for e in problems)
        raise InvalidInput(f"共 {len(problems)} 项有误，均未保存：{said}", field=problems[0].field)
    current = current_values(session, year)
    changed = 0
    for key, value in clean.items():
        if current.get(key) != value:
            set_value(session, year=year, key=key, value=value, source=source, actor=actor, now=now)
            changed += 1
    return changed


def _named(error: InvalidInput) -> str:
    label = key_info(error.field).label
    return error.message if error.message.startswith(label) else f"{label}：{error.message}"


def current_values(session: Session, year: int) -> dict[str, str]:
    """key → the latest value entered for `year`."""
    latest = (
        select(func.max(ReportValue.id))
        .where(ReportValue.year == year)
        .group_by(col(ReportValue.key))
    )
    rows = session.exec(select(ReportValue).where(col(ReportValue.id).in_(latest)))
    return {r.key: r.value for r in rows}


def suggestions(session: Session, year: int) -> dict[str, str]:
    """Texts for `year`, with last year's text offered where this year has none yet."""
    now = current_values(session, year)
    before = current_values(session, year - 1)
    return {k.key: now.get(k.key) or before.get(k.key, "") for k in TEXTS}


# -- the xlsx the departments fill ---------------------------------------------------------
TEMPLATE_TITLE = "年度报告填报表"


def write_template(session: Session, year: int, path: Path, *, agency: str) -> None:
    from openpyxl import Workbook  # lazy: heavy, only for this command
    from openpyxl.styles import Alignment, Font

    from disclosure.report.cell_safety import xlsx_value  # the ledger's rule: no formulas

    values = current_values(session, year)
    texts = suggestions(session, year)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = TEMPLATE_TITLE
    ws["A1"] = f"{agency}{year}年政府信息公开工作年度报告填报表"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:C1")
    ws.append(["项目代码", "项目", "填报内容"])
    for k in (*FIGURES, *TEXTS):
        value = values.get(k.key, "") if k.kind != "text" else texts[k.key]
        ws.append([k.key, k.label, xlsx_value(ws, value)])
    ws.append([])
    ws.append(
        ["", "说明：数量填非负整数；收费金额单位为万元；文字部分已预填上一年度内容，请修改。"]
    )
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 80
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    wb.save(path)
    wb.close()


def read_template(path: Path) -> dict[str, Any]:
    """key → value from a filled template (rows with a known 项目代码 in column A)."""
    from openpyxl import load_workbook  # lazy: heavy, only for this command

    office_file(path, "file", "xlsx")  # before openpyxl, whose messages are English
    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged part
        raise damaged(path, "file", "xlsx") from exc
    try:
        ws = wb[TEMPLATE_TITLE] if TEMPLATE_TITLE in wb.sheetnames else wb.worksheets[0]
        out: dict[str, Any] = {}
        for row in ws.iter_rows(min_row=3, max_col=3, values_only=True):
            code, value = row[0], row[2] if len(row) > 2 else None
            if isinstance(code, str) and code.strip() in KEYS and value not in (None, ""):
                out[code.strip()] = value
        return out
    finally:
        wb.close()
