"""Checking that a file named .xlsx or .docx is one before a library reads it.

openpyxl, calamine and python-docx report a file that is not an Office Open XML package (a
text file renamed, an old .xls/.doc, a workbook with an opening password, a truncated
download) in English ("File is not a zip file", "invalid Zip archive: Could not find EOCD").
`office_file` refuses such a file first, in Chinese, naming the file and what it is instead.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Literal

from disclosure.errors import InvalidInput, readable_file

Kind = Literal["xlsx", "docx"]
# The compound-file signature of .xls/.doc and of password-protected .xlsx/.docx
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# kind → (the folder its main part lives in, what to call it, its old format, the program)
_KINDS: dict[str, tuple[str, str, str, str]] = {
    "xlsx": ("xl/", "Excel 工作簿", ".xls", "Excel"),
    "docx": ("word/", "Word 文档", ".doc", "Word"),
}


def damaged(path: Path, field: str, kind: Kind) -> InvalidInput:
    """The refusal of a `kind` package that passed `office_file` but that its library could
    not read (a damaged part); the library's own English message is not shown."""
    return InvalidInput(
        f"不是有效的 {kind} 文件（{path.name}）：文件内容已损坏，无法读取", field=field
    )


def office_file(path: Path, field: str, kind: Kind) -> Path:
    """`path` when it is a readable `kind` package; else `InvalidInput` naming `field` and
    the file, saying in Chinese what is wrong with it."""
    readable_file(path, field)
    folder, label, old, program = _KINDS[kind]

    def refuse(reason: str) -> InvalidInput:
        return InvalidInput(f"不是有效的 {kind} 文件（{path.name}）：{reason}", field=field)

    try:
        with path.open("rb") as f:
            head = f.read(len(OLE2_SIGNATURE))
    except OSError as exc:
        raise InvalidInput(f"无法读取文件（{path.name}）", field=field) from exc
    if head == OLE2_SIGNATURE:
        raise refuse(
            f"这是旧版 {old} 格式或设有打开密码的文件；"
            f"请在 {program} 中取消密码并“另存为” .{kind} 格式后再试"
        )
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise refuse(f"文件内容不是 {label}（可能是改了扩展名的其他文件，或文件不完整）") from exc
    if "[Content_Types].xml" not in names or not any(n.startswith(folder) for n in names):
        raise refuse(f"文件是压缩包，但其中没有 {label}（可能是改了扩展名的其他文件）")
    return path
