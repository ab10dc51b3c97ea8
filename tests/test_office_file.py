"""A file named .xlsx/.docx that is not one is refused in Chinese, naming the file.

The libraries that read these files (calamine, openpyxl, python-docx) say it in English
("invalid Zip archive: Could not find EOCD", "File is not a zip file") or crash.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from disclosure.errors import InvalidInput
from disclosure.office_file import OLE2_SIGNATURE, office_file

ENGLISH = ("EOCD", "zip", "Zip", "Traceback", "Error")


def _text_file(path: Path) -> Path:
    path.write_text("申请人,申请内容\n张三,某文件\n", encoding="utf-8")
    return path


def _other_zip(path: Path) -> Path:  # a .docx renamed: a zip without a workbook
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return path


def test_a_real_workbook_passes(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "good.xlsx"
    openpyxl.Workbook().save(path)
    assert office_file(path, "FILE", "xlsx") == path


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"just text", "文件内容不是 Excel 工作簿"),
        (b"", "文件内容不是 Excel 工作簿"),
        (b"PK\x03\x04 truncated", "文件内容不是 Excel 工作簿"),
        (OLE2_SIGNATURE + b"\0" * 504, "这是旧版 .xls 格式或设有打开密码的文件"),
    ],
)
def test_what_the_file_is_instead_is_said(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(content)
    with pytest.raises(InvalidInput) as exc:
        office_file(path, "FILE", "xlsx")
    assert exc.value.field == "FILE"
    assert exc.value.message.startswith("不是有效的 xlsx 文件（台账.xlsx）：")
    assert reason in exc.value.message


def test_a_zip_of_something_else_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="其中没有 Excel 工作簿"):
        office_file(_other_zip(tmp_path / "x.xlsx"), "file", "xlsx")
    assert office_file(_other_zip(tmp_path / "x.docx"), "file", "docx")


def _refused(r, name: str) -> None:  # type: ignore[no-untyped-def]
    assert r.exit_code == 2, (r.stdout, r.stderr)
    assert f"不是有效的 xlsx 文件（{name}）" in r.stderr
    assert not any(word in r.stderr for word in ENGLISH), r.stderr


@pytest.mark.parametrize(
    ("command", "options"),
    [
        (["import"], []),
        (["import"], ["--dry-run"]),
        (["import"], ["--source", "platform"]),
        (["platform-import"], []),
        (["report", "load"], ["--year", "2026"]),
        (["tasks", "import"], ["--year", "2026"]),
    ],
)
@pytest.mark.parametrize("make", [_text_file, _other_zip])
def test_every_xlsx_reader_refuses_in_chinese(cli, tmp_path: Path, command, options, make) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path / "renamed.xlsx")
    r = cli(*command, str(path), *options)
    _refused(r, "renamed.xlsx")
    listed = cli("list", "--json", "--today", "2026-06-01")
    assert json.loads(listed.stdout) == []


def test_a_damaged_docx_plan_is_refused_without_a_traceback(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _other_zip(tmp_path / "plan.docx")  # a zip with Word's folder, unreadable to Word
    r = cli("tasks", "import", str(path), "--year", "2026")
    assert r.exit_code == 2
    assert "不是有效的 docx 文件（plan.docx）：文件内容已损坏" in r.stderr


def test_a_damaged_workbook_inside_a_good_zip_is_refused_in_chinese(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The package passes the first check; calamine then fails on the broken part, and its
    English text is not shown."""
    bad = tmp_path / "台账.xlsx"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "not xml at all")
    r = cli("import", str(bad))
    assert r.exit_code == 2 and "Traceback" not in r.stderr
    assert "不是有效的 xlsx 文件（台账.xlsx）：文件内容已损坏，无法读取" in r.stderr, r.stderr
    assert not any("a" <= ch.lower() <= "z" for ch in r.stderr.split("：", 2)[-1]), r.stderr
