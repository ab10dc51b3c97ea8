"""Ledger import/export speed: `python bench/bench_ledger.py [ROWS]` (SQLite in a temp dir).

Writes a synthetic CSV ledger of ROWS applications (2025, half replied with an extension),
imports it through the service layer in one transaction, then exports it to xlsx and csv.
Prints seconds and rows per second for each step.
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from disclosure.db import make_engine, transaction
from disclosure.report.ledger_columns import COLUMNS
from disclosure.report.ledger_export import export_ledger
from disclosure.report.ledger_import import import_ledger
from disclosure.services.office import load_office
from disclosure.services.setup import ensure_database
from disclosure.settings import load_settings


def write_csv(path: Path, rows: int) -> None:
    headers = [c.header for c in COLUMNS]
    start = date(2025, 1, 6)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        for i in range(rows):
            received = start + timedelta(days=7 * ((i * 7) // max(rows, 1) * 7 // 7 % 45))
            row = {
                "登记编号": f"2025-{i + 1:05d}",
                "提交方式": "当面提交",
                "收到日期": received.isoformat(),
                "申请人": f"申请人{i}",
                "申请人类型": "自然人",
                "申请内容": "请公开某项目环境影响评价批复文件",
            }
            if i % 2 == 0:
                row["延期日期"] = (received + timedelta(days=7)).isoformat()
                row["延期工作日数"] = "10"
                row["延期批准人"] = "李四"
                row["办结日期"] = (received + timedelta(days=14)).isoformat()
                row["结果代码"] = "1"
            w.writerow([row.get(h, "") for h in headers])


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        settings = load_settings(None, database={"url": f"sqlite:///{d / 'b.db'}"})
        engine = make_engine(settings)
        ensure_database(engine, settings)
        src = d / "in.csv"
        write_csv(src, rows)
        today, now = date(2026, 3, 2), datetime.now(UTC)
        t = time.perf_counter()
        with transaction(engine) as s:
            rep = import_ledger(
                s, office=load_office(s, settings), path=src, today=today, actor="b", now=now
            )
        dt = time.perf_counter() - t
        assert rep.ok, rep.errors[:3]
        print(f"import csv  {rows:>7} rows  {dt:8.2f} s  {rows / dt:8.0f} rows/s")
        for suffix in (".xlsx", ".csv"):
            t = time.perf_counter()
            with transaction(engine, write=False) as s:
                n = export_ledger(s, path=d / f"out{suffix}", today=today, admin=True)
            dt = time.perf_counter() - t
            print(f"export {suffix:<5}{n:>7} rows  {dt:8.2f} s  {n / dt:8.0f} rows/s")
        engine.dispose()


if __name__ == "__main__":
    main()
