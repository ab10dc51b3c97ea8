"""The ledger says what `show` and the letters say about a case: a reply date that is only a
projection or provisional is marked, and a withdrawal reads as one (trial of 2026-12-03)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.register.conftest import Cli

TODAY = "2026-12-10"


@pytest.fixture
def c(cli: Callable[..., Any]) -> Cli:
    return Cli(cli)


def _rows(c: Cli, tmp_path: Path) -> dict[str, dict[str, str]]:
    out = tmp_path / "ledger.csv"
    r = c.run("export", "--out", str(out), "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    with out.open(encoding="utf-8-sig", newline="") as f:
        return {r["登记编号"]: r for r in csv.DictReader(f)}


def test_marks_and_withdrawal(c: Cli, tmp_path: Path) -> None:
    plain = c.register("2026-11-02", today=TODAY)["number"]  # due 2026-11-30, published year
    late = c.register("2026-12-08", today=TODAY)["number"]  # due in 2027: no notice yet
    paused = c.register("2026-11-16", today=TODAY)["number"]  # due 12-14 before the pause
    c.ok("consult", "send", paused, "--party", "某公司", "--date", "2026-12-03",
         "--served", "2026-12-03", "--today", TODAY)  # fmt: skip
    gone = c.register("2026-11-04", today=TODAY)["number"]
    c.ok("withdraw", gone, "--date", "2026-11-06", "--today", TODAY)
    rows = _rows(c, tmp_path)
    assert rows[plain]["答复期限标注"] == ""
    assert rows[late]["答复期限标注"] == "临时"
    # the consultation is open: its date assumes the full 15 working days, into 2027
    assert rows[paused]["答复期限标注"] == "推算、临时"
    c.ok("consult", "answer", paused, "--date", "2026-12-07", "--today", TODAY)
    assert _rows(c, tmp_path)[paused]["答复期限标注"] == ""  # answered: due 12-18, a date
    assert rows[gone]["办理结果"] == "其他（申请人撤回）" and rows[gone]["结果代码"] == "6.3"
    assert rows[plain]["办理结果"] == ""
