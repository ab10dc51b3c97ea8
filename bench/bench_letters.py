"""Benchmark: letters per second for a batch of N letters (target >= 50/s).

    python bench/bench_letters.py                     # N = 1,000 on a throwaway SQLite file
    python bench/bench_letters.py --db-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_letters

N applications are registered through the services first (not timed). Then each letter is one
transaction, as the CLI does it: `issue_letter` (records the event where the kind has one,
assigns the 文号, builds the context from the ledger and the deadline engine), render the
.docx with docxtpl, write the file. The batch cycles through receipt, correction, fee (by
volume) and consultation letters, and then regenerates the first 100 (same number, no event).
The Office (settings + calendar) is loaded once per batch. PDF conversion is not included
(LibreOffice takes about 1–2 s per file; see docs/bench-notes/letters.md).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import make_url

from disclosure.db import make_engine, transaction
from disclosure.letters.service import LetterOptions, issue_letter
from disclosure.services import applications as apps
from disclosure.services.office import load_office
from disclosure.services.setup import ensure_database
from disclosure.settings import load_settings

RECEIVED = date(2026, 3, 2)
TODAY = date(2026, 3, 5)
NOW = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)
TARGET_PER_S = 50.0
KINDS = (
    ("receipt", LetterOptions()),
    ("correction", LetterOptions(items=("请说明所需信息的名称",))),
    ("fee", LetterOptions(pages=250)),
    ("consultation", LetterOptions(party="某某有限公司")),
)


def _pg_fresh(url: str) -> None:
    import psycopg

    u = make_url(url)
    with psycopg.connect(
        host=u.host, port=u.port or 5432, user=u.username, dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{u.database}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--db-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-letters-") as tmp:
        url = args.db_url or f"sqlite:///{tmp}/bench.db"
        if url.startswith("postgresql"):
            _pg_fresh(url)
        settings = load_settings(None, database={"url": url})
        engine = make_engine(settings)
        try:
            ensure_database(engine, settings)
            run(engine, settings, args.n, Path(tmp) / "letters", url)
        finally:
            engine.dispose()


def run(engine, settings, n: int, out_dir: Path, url: str) -> None:  # type: ignore[no-untyped-def]
    data = apps.parse_create(
        {
            "channel": "in_person",
            "received_on": RECEIVED,
            "applicant_name": "A<B & C公司",
            "applicant_type": "business",
            "content": "2025年度安全生产检查记录",
        }
    )
    with transaction(engine) as s:
        office = load_office(s, settings)
        numbers = [
            apps.register_application(
                s, office=office, data=data, today=RECEIVED, actor="bench", now=NOW
            ).number
            for _ in range(n)
        ]
    out_dir.mkdir()
    size = 0

    def one(number: str, kind: str, options: LetterOptions) -> None:
        nonlocal size
        with transaction(engine) as s:
            issued = issue_letter(
                s,
                office=office,
                number=number,
                kind=kind,
                options=options,
                today=TODAY,
                actor="bench",
                now=NOW,
            )
            content = issued.render()
        path = out_dir / f"{number}-{kind}.docx"
        path.write_bytes(content)
        size += len(content)

    start, cpu = time.perf_counter(), time.process_time()
    for i, number in enumerate(numbers):
        kind, options = KINDS[i % len(KINDS)]
        one(number, kind, options)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    regen = min(100, n)
    start2 = time.perf_counter()
    for i, number in enumerate(numbers[:regen]):
        kind, options = KINDS[i % len(KINDS)]
        one(number, kind, options)
    elapsed2 = time.perf_counter() - start2
    rate = n / elapsed
    backend = make_url(url).get_backend_name()
    print(f"backend={backend} n={n}")
    each = elapsed / n * 1000
    print(f"issue+render+write: {elapsed:.2f} s, {rate:.1f} letters/s ({each:.1f} ms each)")
    print(f"CPU time of this process: {cpu:.2f} s ({n / cpu:.1f} letters per CPU-second)")
    print(f"regenerate {regen}: {regen / elapsed2:.1f} letters/s")
    print(f"average .docx size: {size / (n + regen) / 1024:.1f} KiB")
    print(f"target >= {TARGET_PER_S:.0f}/s: {'met' if rate >= TARGET_PER_S else 'NOT met'}")


if __name__ == "__main__":
    main()
