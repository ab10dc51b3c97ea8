"""Ledger import/export speed: `python bench/bench_ledger.py [ROWS] [--pg] [--skip-xlsx-import]`.

Writes a synthetic ledger of ROWS applications (2025, half replied with an extension) as CSV
and as xlsx, imports each into a fresh database in one transaction, then exports the register
to xlsx and csv. Prints seconds and rows per second for each step, and the peak RSS.

SQLite: a file in a temp dir. `--pg`: a throwaway database on 127.0.0.1:5432 (user postgres),
created for the run and dropped afterwards.
"""

from __future__ import annotations

import csv
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from disclosure.db import make_engine, transaction
from disclosure.report.ledger_columns import COLUMNS
from disclosure.report.ledger_export import export_ledger
from disclosure.report.ledger_import import import_ledger
from disclosure.services.context import Context
from disclosure.services.office import load_office
from disclosure.services.setup import ensure_database
from disclosure.settings import load_settings

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def ledger_rows(rows: int) -> Iterator[list[str]]:
    headers = [c.header for c in COLUMNS]
    yield headers
    start = date(2025, 1, 6)
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
        yield [row.get(h, "") for h in headers]


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(ledger_rows(rows))


def write_xlsx(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    for r in ledger_rows(rows):
        ws.append(r)
    wb.save(path)
    wb.close()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def database(tmp: Path, pg: bool, name: str) -> Iterator[str]:
    if not pg:
        yield f"sqlite:///{tmp / f'{name}.db'}"
        return
    import psycopg

    db = f"bench_ledger_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{db}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def run_import(url: str, src: Path, rows: int, *, export_to: Path | None) -> None:
    settings = load_settings(None, database={"url": url})
    engine = make_engine(settings)
    try:
        ensure_database(engine, settings)
        today, now = date(2026, 3, 2), datetime.now(UTC)
        t = time.perf_counter()
        with transaction(engine) as s:
            rep = import_ledger(s, path=src, ctx=Context(load_office(s, settings), today, "b", now))
        dt = time.perf_counter() - t
        assert rep.ok and rep.imported == rows, rep.errors[:3]
        label = f"import {src.suffix[1:]}"
        print(f"{label:<13}{rows:>7} rows  {dt:8.2f} s  {rows / dt:8.0f} rows/s  "
              f"peak RSS {peak_mb():.0f} MB", flush=True)  # fmt: skip
        if export_to is None:
            return
        for suffix in (".xlsx", ".csv"):
            t = time.perf_counter()
            with transaction(engine, write=False) as s:
                n = export_ledger(s, path=export_to / f"out{suffix}", today=today, admin=True)
            dt = time.perf_counter() - t
            print(f"export {suffix[1:]:<6}{n:>7} rows  {dt:8.2f} s  {n / dt:8.0f} rows/s  "
                  f"peak RSS {peak_mb():.0f} MB", flush=True)  # fmt: skip
    finally:
        engine.dispose()


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    rows = int(args[0]) if args else 5000
    pg = "--pg" in sys.argv
    print(f"{'PostgreSQL' if pg else 'SQLite'}, {rows} rows", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        write_csv(d / "in.csv", rows)
        with database(d, pg, "csv") as url:
            run_import(url, d / "in.csv", rows, export_to=d)
        if "--skip-xlsx-import" not in sys.argv:
            write_xlsx(d / "in.xlsx", rows)
            with database(d, pg, "xlsx") as url:
                run_import(url, d / "in.xlsx", rows, export_to=None)


if __name__ == "__main__":
    main()
