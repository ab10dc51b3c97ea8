"""What a file is, from its bytes (never from its name): the accepted media types.

The signature of the first bytes is read by `filetype` (PDF, JPEG, PNG, TIFF, executables);
the three zip-based formats are told apart by what the zip holds, which `filetype` cannot do
reliably: OFD (GB/T 33190-2016) has `OFD.xml` at its root, a Word document `word/document.xml`
and a workbook `xl/workbook.xml`, both with `[Content_Types].xml` (ECMA-376 part 2).
A file that starts like a PDF must also open as one, with at least one page: pikepdf (qpdf,
which repairs what it can, as a reader does) opens it, so a few bytes after "%PDF-", a
truncated upload or a file that needs a password to open is refused naming the file.
"""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import filetype

from disclosure.errors import InvalidInput

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OFD = "application/ofd"

# Accepted media type → (what people call it, the file extension used for downloads).
ACCEPTED: dict[str, tuple[str, str]] = {
    PDF: ("PDF", ".pdf"),
    JPEG: ("JPEG 图片", ".jpg"),
    PNG: ("PNG 图片", ".png"),
    TIFF: ("TIFF 图片", ".tif"),
    DOCX: ("Word 文档", ".docx"),
    XLSX: ("Excel 表格", ".xlsx"),
    OFD: ("OFD 版式文件", ".ofd"),
}
IMAGES = frozenset({JPEG, PNG, TIFF})
PREVIEWABLE = frozenset({PDF, JPEG, PNG})  # what a browser shows inline
HEAD_BYTES = 8192
MAX_NAME = 255
EXECUTABLE_MAGIC = (b"\x7fELF", b"MZ")  # ELF (Linux), PE/DOS "MZ" (Windows)
_PROGRAM = "可执行程序不能作为材料上传（按文件内容识别）"


def check_name(name: str, *, field: str = "file") -> str:
    """The file's own name, as it will be kept: no folders, no control characters."""
    clean = name.strip()
    if not clean:
        raise InvalidInput("文件名不能为空", field=field)
    if "/" in clean or "\\" in clean or clean in (".", ".."):
        raise InvalidInput(f"文件名不能包含路径分隔符：{clean!r}", field=field)
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in clean):
        raise InvalidInput("文件名不能包含控制字符", field=field)
    if len(clean) > MAX_NAME:
        raise InvalidInput(f"文件名过长（最多 {MAX_NAME} 个字符）", field=field)
    return clean


def detect(path: Path, *, field: str = "file", name: str = "") -> str:
    """The media type of the file at `path`, one of `ACCEPTED`; anything else is refused,
    the message naming the file as `name` (the name it came with) when given."""
    with path.open("rb") as f:
        head = f.read(HEAD_BYTES)
    named = f"“{name}”：" if name else ""
    if not head:
        raise InvalidInput(f"{named}文件为空", field=field)
    if head.startswith(EXECUTABLE_MAGIC):
        raise InvalidInput(f"{named}{_PROGRAM}", field=field)
    kind: str | None = filetype.guess_mime(head)
    if kind == PDF:
        _check_pdf(path, field=field, name=name or path.name)
    if kind in (PDF, JPEG, PNG, TIFF):
        return kind
    if head.startswith(b"PK\x03\x04"):
        found = _zip_kind(path)
        if found is not None:
            return found
    if kind in ("application/x-executable", "application/x-msdownload"):
        raise InvalidInput(f"{named}{_PROGRAM}", field=field)
    accepted = "、".join(label for label, _ext in ACCEPTED.values())
    raise InvalidInput(
        f"{named}不支持的文件类型（按文件内容识别为 {kind or '未知类型'}）；可上传：{accepted}",
        field=field,
    )


def _check_pdf(path: Path, *, field: str, name: str) -> None:
    """`InvalidInput` unless the file opens as a PDF with at least one page."""
    import pikepdf  # only for a PDF

    try:
        with pikepdf.open(path) as pdf:
            pages = len(pdf.pages)
    except pikepdf.PasswordError as exc:
        raise InvalidInput(
            f"文件“{name}”是加密的 PDF，须输入密码才能打开；请上传未加密的文件", field=field
        ) from exc
    except pikepdf.PdfError as exc:
        raise InvalidInput(
            f"文件“{name}”以 PDF 开头，但无法作为 PDF 打开（内容不完整或已损坏）", field=field
        ) from exc
    if pages < 1:
        raise InvalidInput(f"文件“{name}”是没有任何页面的 PDF", field=field)


def _zip_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    if "OFD.xml" in names:
        return OFD
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


def extension(media_type: str) -> str:
    return ACCEPTED.get(media_type, ("", ""))[1]


def label(media_type: str) -> str:
    return ACCEPTED.get(media_type, (media_type, ""))[0]
