"""Reading a ledger file (xlsx or csv) into header + rows, and converting its cell values."""

from __future__ import annotations

import csv
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from disclosure.errors import InvalidInput

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def read_table(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The header row and the non-blank data rows, each with its 1-based row number."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InvalidInput(f"文件不存在：{path} / no such file", field="FILE")
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            raw = [list(r) for r in csv.reader(fh)]
    elif suffix == ".xlsx":
        raw = _read_xlsx(path)
    else:
        raise InvalidInput("文件扩展名须为 .xlsx 或 .csv / use .xlsx or .csv", field="FILE")
    if not raw:
        raise InvalidInput("文件为空 / empty file", field="FILE")
    header = [text(v) for v in raw[0]]
    while header and not header[-1]:
        header.pop()
    rows = [
        (i, list(r))
        for i, r in enumerate(raw[1:], start=2)
        if any(v is not None and str(v).strip() for v in r)
    ]
    return header, rows


def _read_xlsx(path: Path) -> list[list[Any]]:
    """The first sheet's cells from A1 (calamine: about ten times openpyxl's read_only speed,
    which matters for a 100k-row migration). Blank cells come back as "", numbers as float,
    date cells as `date`/`datetime`; `text`, `to_date` and `to_int` accept all of them."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types for a damaged file
        raise InvalidInput(f"无法读取 Excel 文件：{exc} / unreadable xlsx", field="FILE") from exc
    try:
        return wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:
        raise InvalidInput(f"无法读取 Excel 文件：{exc} / unreadable xlsx", field="FILE") from exc
    finally:
        wb.close()


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def to_date(value: Any) -> date | None:
    """A cell as a date; None when blank. Raises ValueError with a Chinese message."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = str(value).strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.match(s)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                break
    raise ValueError(f"日期格式不正确：{s!r}（应为 YYYY-MM-DD）")


def to_int(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"应为整数：{value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    s = str(value).strip()
    if re.fullmatch(r"-?\d+", s):
        return int(s)
    raise ValueError(f"应为整数：{s!r}")
