"""Export cells that are safe to open (the rule is stated in docs/exports.md).

1. **Control characters.** A C0 control character other than tab, line feed and carriage
   return (U+0000–U+0008, U+000B, U+000C, U+000E–U+001F) cannot be stored in an xlsx file
   (XML 1.0 forbids it; openpyxl raises `IllegalCharacterError`) and shows as nothing or as
   garbage elsewhere. Each one is replaced by its Unicode control picture (U+2400 + code: a
   vertical tab, which a Word line break becomes when pasted, shows as "␋"), in CSV and xlsx
   alike, so the text stays visibly what was registered.
2. **Formulas.** A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is
   one a spreadsheet would run as a formula (OWASP, "CSV Injection"). In CSV it is prefixed
   with a single quote (`'=HYPERLINK(…)`); in xlsx it is written as a string cell with
   Excel's quote prefix (the xlsx form of the leading quote: shown as the text itself, never
   evaluated, and still text after the cell is edited).

Only text is touched: dates and numbers are written as they are.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell import WriteOnlyCell

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _picture(m: re.Match[str]) -> str:
    return chr(0x2400 + ord(m.group()))


def visible(text: str) -> str:
    """`text` with each forbidden control character replaced by its control picture."""
    return _CONTROL.sub(_picture, text) if _CONTROL.search(text) else text


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def csv_value(value: Any) -> Any:
    """A value as a CSV cell: text made visible and formula-like text quoted."""
    if not isinstance(value, str):
        return value
    text = visible(value)
    return "'" + text if is_formula_like(text) else text


def xlsx_value(ws: Any, value: Any) -> Any:
    """A value for `ws.append` (a write-only or an ordinary worksheet): text made visible,
    formula-like text as a quoted string cell."""
    if not isinstance(value, str):
        return value
    text = visible(value)
    if not is_formula_like(text):
        return text
    return safe_cell(WriteOnlyCell(ws, value=text))


def safe_cell(cell: Any) -> Any:
    """`cell` (an openpyxl cell already holding its value) with the rule applied in place:
    text made visible, formula-like text a string cell with the quote prefix."""
    if not isinstance(cell.value, str):
        return cell
    text = visible(cell.value)
    if text != cell.value:
        cell.value = text
    if is_formula_like(text):
        cell.data_type = "s"  # openpyxl would store "=…" as a formula
        cell.quotePrefix = True
    return cell


def safe_workbook(wb: Any) -> None:
    """The rule on every cell of an ordinary workbook (one that holds no formulas of its own)."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                safe_cell(cell)
