"""Ledger CSV files in the encodings offices' tools write, and cells too long for Excel."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.report.test_ledger import HEADERS, LIST_TODAY, _register_view, _row

NAMES = ["张三", "李四（代理人：王五）", "某某科技有限公司", "𠀀字号研究所"]  # 𠀀: outside GBK


def _rows(names: list[str]) -> list[list[str]]:
    return [
        _row(**{"登记编号": f"2025-{i + 1:05d}", "申请人": name}) for i, name in enumerate(names)
    ]


def _csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter)
    w.writerow(HEADERS)
    w.writerows(rows)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("encoding", "names", "delimiter", "shown"),
    [
        ("gbk", NAMES[:3], ",", "GB18030"),  # Excel's plain "CSV" on a Chinese Windows
        ("gb18030", NAMES, ",", "GB18030"),
        ("utf-16", NAMES, "\t", "UTF-16"),  # Excel's "Unicode text": BOM, tab-separated
        ("utf-16-le", NAMES, ",", "UTF-16"),  # no BOM
        ("utf-8", NAMES, ",", "UTF-8"),  # no BOM (LibreOffice, WPS)
        ("utf-8-sig", NAMES, ",", "UTF-8（带 BOM）"),  # Excel's "CSV UTF-8"
    ],
)
def test_csv_in_each_encoding_is_read_and_reported(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, encoding: str, names: list[str], delimiter: str, shown: str
) -> None:
    path = tmp_path / f"ledger-{encoding}.csv"
    path.write_bytes(_csv_text(_rows(names), delimiter).encode(encoding))
    r = cli("import", str(path), "--today", LIST_TODAY)
    assert r.exit_code == 0, r.stderr
    assert f"按 {shown} 编码读取" in r.stderr
    assert [a["applicant"] for a in _register_view(cli)] == names


def test_a_file_in_no_known_encoding_is_refused_naming_the_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = _csv_text(_rows(NAMES[:2])).encode("utf-8")
    path = tmp_path / "broken.csv"
    path.write_bytes(good + "2025-00009,当面提交,2025-03-03,".encode() + b"\xff\xfe\xff\n")
    r = cli("import", str(path), "--today", LIST_TODAY)
    assert r.exit_code == 2
    assert "无法识别文件编码：第 4 行" in r.stderr and "CSV UTF-8" in r.stderr
    assert "Traceback" not in r.stderr and "UnicodeDecodeError" not in r.stderr
    assert _register_view(cli) == []


@pytest.mark.parametrize("length", [32_768, 200_000])  # over Excel's limit; over csv's default
def test_oversized_cells_are_refused_with_row_and_column(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, length: int
) -> None:
    rows = _rows(NAMES[:3])
    rows[1] = _row(**{"登记编号": "2025-00002", "申请内容": "长" * length})
    path = tmp_path / "long.csv"
    path.write_bytes(_csv_text(rows).encode("utf-8"))
    r = cli("import", str(path), "--json", "--today", LIST_TODAY)
    assert r.exit_code == 2, r.stderr
    (error,) = json.loads(r.stdout)["errors"]
    assert (error["row"], error["column"]) == (3, "申请内容")
    assert f"{length}" in error["problem"] and "32767" in error["problem"]
    assert _register_view(cli) == []


def test_a_cell_at_excels_limit_is_left_to_the_fields_own_rules(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "limit.csv"
    rows = [_row(**{"申请人": "长" * 32_767})]
    path.write_bytes(_csv_text(rows).encode("utf-8"))
    r = cli("import", str(path), "--json", "--today", LIST_TODAY)
    (error,) = json.loads(r.stdout)["errors"]
    assert error["column"] == "申请人" and "32767" not in error["problem"]
