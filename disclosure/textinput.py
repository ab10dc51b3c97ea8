"""The one rule for text and dates typed into the register, from every edge (issue 17).

- Text: a carriage return becomes a newline; any other control character (C0 but tab and
  newline, DEL, C1 — e.g. the ESC of a terminal escape sequence) is **refused**, naming the
  field and the position; single-line fields refuse newlines too; a text of invisible format
  characters (a zero-width space) and at most spaces is refused as empty; every field has a
  bound length. Nothing is silently changed, so what is stored is what the clerk typed.
- Dates typed by a person (CLI options, web forms): strictly ``YYYY-MM-DD``. Python's
  `date.fromisoformat` also takes ``20261125`` and ``2026-W45-1``, which a clerk never means.
  (The ledger import keeps its wider list of spreadsheet formats: `report/ledger_file.py`.)
- Output: `printable` shows control characters that reached the register before this rule
  (or through a file) as visible symbols, so printing a record can never drive a terminal.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from disclosure.errors import InvalidInput

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

NOTE_MAX = 2000  # a note, a reason, a comment
LINE_MAX = 500  # any other single line (a party, an approver, a reference)


def clean_text(value: str, field: str, *, max_len: int, multiline: bool = False) -> str:
    """`value` checked by the module's rule (returned with CRLF → LF); `InvalidInput` else."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    found = _CONTROL.search(text)
    if found:
        raise InvalidInput(
            f"含有不可见的控制字符（第 {found.start() + 1} 个字符，U+{ord(found.group()):04X}），"
            "请删除后重新填写",
            field=field,
        )
    if not multiline and "\n" in text:
        raise InvalidInput("不能换行", field=field)
    if text and not text.isspace() and all(_invisible(c) for c in text):
        # invisible format characters (a zero-width space, say) and at most spaces: it looks
        # empty wherever it is shown (the check stops at the first visible character)
        raise InvalidInput("只有空白或不可见字符，请填写内容", field=field)
    if len(text) > max_len:
        raise InvalidInput(f"过长，最多 {max_len} 个字符", field=field)
    return text


def email_problem(value: str) -> str | None:
    """Why `value` (non-empty) is no e-mail address, or None: the plain shape only, the
    same for every edge (an applicant's, a department's)."""
    if "@" not in value or value.startswith("@") or value.endswith("@") or " " in value:
        return "电子邮箱格式不正确"
    return None


def _invisible(c: str) -> bool:
    return c.isspace() or unicodedata.category(c) == "Cf"


def iso_date(value: str, field: str) -> date:
    """A date typed as YYYY-MM-DD (nothing else); `InvalidInput` naming `field` otherwise."""
    text = value.strip()
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:  # the form is right, the day is not (2026-02-30, 2026-13-01)
            raise InvalidInput(f"没有这一天：{text}", field=field) from None
    raise InvalidInput(f"日期格式应为 YYYY-MM-DD，收到 {value!r}", field=field)


def printable(value: str) -> str:
    """`value` with control characters (but tab and newline) shown as visible symbols."""
    return _CONTROL.sub(_picture, value)


def _picture(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (Control Pictures)
    return "\ufffd"  # DEL and C1: the replacement character
