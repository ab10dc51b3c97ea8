"""Reading a ledger file (xlsx or csv) into header + rows, and converting its cell values.

CSV files come in the encodings offices' tools write: UTF-8 with or without a BOM (Excel's
"CSV UTF-8", WPS, LibreOffice), GB18030 and its subset GBK (Excel's plain "CSV" on a Chinese
Windows), and UTF-16 (Excel's "Unicode text"; tab-separated). The encoding is detected from
the BOM, then by trying UTF-8 strictly, then GB18030, and reported ("按 GB18030 编码读取").
A file that is none of them is refused naming the line of the first undecodable byte.
Cells longer than `MAX_CELL_CHARS` (Excel's own limit per cell) are refused with their row
and column.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from disclosure.errors import InvalidInput, readable_file
from disclosure.office_file import damaged
from disclosure.report.cell_safety import FORMULA_START

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


MAX_CELL_CHARS = 32_767  # Excel's limit of characters in one cell
_CSV_FIELD_LIMIT = 16 * 1024 * 1024  # lets csv read an oversized cell, so that it is reported
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, list[Any]]]  # non-blank data rows with their 1-based row number
    encoding: str  # how a CSV file was decoded ("" for xlsx)


def read_table(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The header row and the non-blank data rows, each with its 1-based row number."""
    t = read_ledger_file(path)
    return t.header, t.rows


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding (see the module's docstring)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", "strict"), "UTF-8（带 BOM）"
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise _undecodable(data, exc, "UTF-16") from exc
    head = data[:4096]
    if head and head.count(0) * 4 >= len(head):  # UTF-16 without a BOM: ASCII's zero bytes
        codec = "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
        try:
            return data.decode(codec), "UTF-16"
        except UnicodeDecodeError as exc:
            raise _undecodable(data, exc, "UTF-16") from exc
    try:
        return data.decode("utf-8", "strict"), "UTF-8"
    except UnicodeDecodeError as first:
        try:
            return data.decode("gb18030", "strict"), "GB18030"
        except UnicodeDecodeError:
            raise _undecodable(data, first, "UTF-8、GB18030（GBK）或 UTF-16") from first


def _undecodable(data: bytes, exc: UnicodeDecodeError, tried: str) -> InvalidInput:
    line = data.count(b"\n", 0, exc.start) + 1
    return InvalidInput(
        f"无法识别文件编码：第 {line} 行有不能按 {tried} 读取的字节；"
        "请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”后再导入",
        field="FILE",
    )


@contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    old = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _read_csv(path: Path) -> tuple[list[list[Any]], str]:
    text_, encoding = decode_csv(path.read_bytes())
    first = text_.split("\n", 1)[0]
    # Excel's "Unicode text" is tab-separated; every other export uses commas.
    delimiter = "\t" if encoding == "UTF-16" and first.count("\t") > first.count(",") else ","
    with _csv_field_limit(_CSV_FIELD_LIMIT):
        try:
            reader = csv.reader(io.StringIO(text_, newline=""), delimiter=delimiter)
            return [list(r) for r in reader], encoding
        except csv.Error as exc:
            raise InvalidInput(
                f"CSV 文件格式错误（第 {reader.line_num} 行）：{exc}", field="FILE"
            ) from exc


def oversized_cells(
    header: list[str], number: int, cells: list[Any], limit: int = MAX_CELL_CHARS
) -> Iterator[tuple[int, str, int]]:
    """(row, column, length) of each cell of row `number` longer than `limit` characters."""
    for j, v in enumerate(cells):
        if isinstance(v, str) and len(v) > limit:
            yield number, header[j] if j < len(header) and header[j] else f"第{j + 1}列", len(v)


def read_ledger_file(path: Path) -> Table:
    """The file's header, its non-blank data rows and, for CSV, the encoding it was read in."""
    suffix = path.suffix.lower()
    readable_file(path, "FILE")
    encoding = ""
    if suffix == ".csv":
        raw, encoding = _read_csv(path)
    elif suffix == ".xlsx":
        raw = _read_xlsx(path)
    else:
        raise InvalidInput("文件扩展名须为 .xlsx 或 .csv", field="FILE")
    if not raw:
        raise InvalidInput("文件为空", field="FILE")
    header = [text(v) for v in raw[0]]
    while header and not header[-1]:
        header.pop()
    rows = [
        (i, list(r))
        for i, r in enumerate(raw[1:], start=2)
        if any(v is not None and str(v).strip() for v in r)
    ]
    return Table(header, rows, encoding)


def _read_xlsx(path: Path) -> list[list[Any]]:
    """The first sheet's cells from A1 (calamine: about ten times openpyxl's read_only speed,
    which matters for a 100k-row migration). Blank cells come back as "", numbers as float,
    date cells as `date`/`datetime`; `text`, `to_date` and `to_int` accept all of them."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types (English) for a damaged file
        raise damaged(path, "FILE", "xlsx") from exc
    try:
        return wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:
        raise damaged(path, "FILE", "xlsx") from exc
    finally:
        wb.close()


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    s = str(value).strip()
    # The inverse of the export's formula rule (`cell_safety`): "'=…" in a CSV we wrote
    # comes back as "=…", so an exported ledger imports as it was.
    if s.startswith("'") and s[1:].startswith(FORMULA_START):
        return s[1:]
    return s


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
            except ValueError:  # the form is right, the day is not (2024-02-30)
                raise ValueError(f"没有这一天：{s}") from None
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
