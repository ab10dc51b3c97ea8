"""Media types come from the bytes: every accepted type, and what is refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from disclosure.casefile import detect
from disclosure.errors import InvalidInput
from tests.casefile.conftest import image_bytes, ofd_bytes, pdf_bytes, xlsx_bytes


def _docx() -> bytes:
    """A Word document made by the project's letters path (the shipped receipt template)."""
    from disclosure.letters.render import SHIPPED, render_docx

    return render_docx(SHIPPED / "receipt.docx", {})


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.mark.parametrize(
    ("maker", "expected"),
    [
        (lambda: pdf_bytes("x"), detect.PDF),
        (lambda: image_bytes("JPEG"), detect.JPEG),
        (lambda: image_bytes("PNG"), detect.PNG),
        (lambda: image_bytes("TIFF"), detect.TIFF),
        (_docx, detect.DOCX),
        (xlsx_bytes, detect.XLSX),
        (ofd_bytes, detect.OFD),
    ],
    ids=["pdf", "jpeg", "png", "tiff", "docx", "xlsx", "ofd"],
)
def test_accepted_types_by_their_bytes(tmp_path, maker, expected) -> None:  # type: ignore[no-untyped-def]
    # named .bin: the extension plays no part
    assert detect.detect(_write(tmp_path, "file.bin", maker())) == expected


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64, "可执行程序"),
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "可执行程序"),
        (b"just some text, not a document\n", "不支持的文件类型"),
        (b"GIF89a" + b"\x00" * 32, "不支持的文件类型"),
        (b"", "文件为空"),
    ],
    ids=["elf", "pe", "text", "gif", "empty"],
)
def test_refused_whatever_the_name(tmp_path, data, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as e:
        detect.detect(_write(tmp_path, "申请表.pdf", data))
    assert words in e.value.message and e.value.field == "file"


def _zero_pages() -> bytes:
    import pikepdf

    out = io.BytesIO()
    pikepdf.new().save(out)
    return out.getvalue()


def _locked() -> bytes:
    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf_bytes("x"))) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    return out.getvalue()


@pytest.mark.parametrize(
    ("maker", "words"),
    [
        (lambda: b"%PDF-1.4\n%abc", "无法作为 PDF 打开"),  # 13 bytes with the signature
        (lambda: pdf_bytes("x")[:400], "无法作为 PDF 打开"),  # a truncated upload
        (_zero_pages, "没有任何页面"),
        (_locked, "须输入密码"),
    ],
    ids=["thirteen-bytes", "truncated", "no-page", "password"],
)
def test_a_pdf_must_open_with_a_page(tmp_path, maker, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as e:
        detect.detect(_write(tmp_path, "x.bin", maker()), name="申请表.pdf")
    assert words in e.value.message and "申请表.pdf" in e.value.message
    assert e.value.field == "file"


def test_a_pdf_that_a_reader_repairs_is_accepted(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cut = pdf_bytes("x")[:-30]  # the end of the file (startxref, %%EOF) lost
    assert detect.detect(_write(tmp_path, "cut.pdf", cut)) == detect.PDF


def test_a_plain_zip_is_not_an_office_document(tmp_path) -> None:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")  # neither word/ nor xl/
    with pytest.raises(InvalidInput):
        detect.detect(_write(tmp_path, "x.docx", buf.getvalue()))


@pytest.mark.parametrize(
    "name",
    ["../etc/passwd", "a/b.pdf", "a\\b.pdf", "bad\x00.pdf", "tab\t.pdf", "rtl\u202e.pdf", ".."],
)
def test_names_with_folders_or_control_characters(name: str) -> None:
    with pytest.raises(InvalidInput) as e:
        detect.check_name(name)
    assert e.value.field == "file"


def test_plain_chinese_names_are_kept() -> None:
    assert detect.check_name(" 申请表（扫描件）.pdf ") == "申请表（扫描件）.pdf"
