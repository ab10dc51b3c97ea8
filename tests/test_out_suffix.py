"""A command that writes one format refuses an --out of another extension: exit 2, a Chinese
error naming --out, and nothing written (no file, no letter issued, no audit entry)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REGISTER = (
    "register", "--channel", "in_person", "--received", "2026-03-02", "--applicant", "张三",
    "--applicant-type", "natural", "--content", "检查记录", "--today", "2026-03-05",
)  # fmt: skip
TODAY = ("--today", "2026-03-05")


@pytest.mark.parametrize(
    ("args", "name", "wanted"),
    [
        (("letter", "2026-00001", "--kind", "receipt", *TODAY), "x.txt", ".docx"),
        (("letter", "2026-00001", "--kind", "receipt", "--pdf", *TODAY), "x.pdf", ".docx"),
        (("letter", "2026-00001", "--kind", "receipt", *TODAY), "x", ".docx"),
        (("approval-sheet", "2026-00001", *TODAY), "sheet.pdf", ".docx"),
        (("archive", "2026-00001", *TODAY), "case.docx", ".pdf"),
        (("report", "annual", "--year", "2026", "--format", "docx"), "r.xlsx", ".docx"),
        (("report", "annual", "--year", "2026", "--format", "json"), "r.md", ".json"),
        (("report", "annual", "--year", "2026"), "r.doc", ".docx、.pdf、.xlsx、.md、.txt 或 .json"),
        (("report", "template", "--year", "2026"), "t.csv", ".xlsx"),
        (("tasks", "export"), "t.csv", ".xlsx"),
        (("export", *TODAY), "ledger.txt", ".xlsx 或 .csv"),
    ],
)
def test_an_out_of_another_format_is_refused(cli, tmp_path: Path, args, name, wanted) -> None:  # type: ignore[no-untyped-def]
    assert cli(*REGISTER).exit_code == 0
    out = tmp_path / name
    r = cli(*args, "--out", str(out))
    assert r.exit_code == 2, (r.stdout, r.stderr)
    suffix = f"收到 {out.suffix}" if out.suffix else "该文件名没有扩展名"
    assert r.stderr.strip() == f"错误：--out: 文件扩展名须为 {wanted}，{suffix}"
    assert not out.exists() and not out.with_suffix(".docx").exists()
    assert not (tmp_path / "letters").exists()
    issued = cli("letter", "list", "2026-00001", "--json")
    assert issued.exit_code == 0 and json.loads(issued.stdout) == []
    show = json.loads(cli("show", "2026-00001", "--json", *TODAY).stdout)
    assert show["stage"] != "archived"


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("letter", "2026-00001", "--kind", "receipt", *TODAY), "回执.DOCX"),
        (("report", "annual", "--year", "2026", "--format", "md"), "r.txt"),
        (("report", "annual", "--year", "2026"), "r.json"),
        (("report", "template", "--year", "2026"), "t.xlsx"),
    ],
)
def test_an_out_of_the_right_format_is_written(cli, tmp_path: Path, args, name) -> None:  # type: ignore[no-untyped-def]
    assert cli(*REGISTER).exit_code == 0
    out = tmp_path / name
    r = cli(*args, "--out", str(out))
    assert r.exit_code == 0, r.stderr
    assert out.stat().st_size > 0
