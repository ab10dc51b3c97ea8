"""Benchmark: letters per second for a batch of N letters (target >= 50/s).

    python bench/bench_letters.py                     # N = 1,000 on a throwaway SQLite file
    python bench/bench_letters.py --db-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_letters

One "letter" here is everything a clerk's `disclosure letter NUMBER --kind KIND` does for it:
read the application and its event log, record the step the letter announces (correction
requested, fee notice sent, consultation sent: an event row, the application's deadlines
recomputed and stored), assign the 文号 (counter UPDATE … RETURNING), insert the letter row and
its ledger line, compute the dates from the deadline engine, render the .docx from the Word
template and write the file. The batch cycles through receipt, correction, fee (250 pages, by
volume) and consultation letters. PDF conversion is not included (LibreOffice takes seconds
per file; see docs/bench-notes/letters.md).

2N applications are registered through the services first (not timed). Timed:
  1. one transaction per letter (as the CLI and the web do it), N letters;
  2. `issue_many`: N letters on the other N applications in one transaction, rendered inside it,
     files written after the commit;
  3. regenerating the first 100 letters of run 1 (same number, no new event).
Load average (from /proc/loadavg) is printed beside the numbers: on a shared machine wall
time is CPU time stretched by the other processes, so the CPU rate is printed too.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import make_url

from disclosure.db import make_engine, transaction
from disclosure.letters.service import LetterOptions, LetterRequest, issue_letter, issue_many
from disclosure.services.context import Context
from disclosure.services.office import load_office
from disclosure.services.registration import parse_create, register_application
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


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def run(engine, settings, n: int, out_dir: Path, url: str) -> None:  # type: ignore[no-untyped-def]
    data = parse_create(
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
            register_application(s, data=data, ctx=Context(office, RECEIVED, "bench", NOW)).number
            for _ in range(2 * n)
        ]
    singles, batch = numbers[:n], numbers[n:]
    out_dir.mkdir()
    size = [0, 0]

    def write(number: str, kind: str, content: bytes) -> None:
        (out_dir / f"{number}-{kind}.docx").write_bytes(content)
        size[0] += len(content)
        size[1] += 1

    def one(number: str, kind: str, options: LetterOptions) -> None:
        with transaction(engine) as s:
            issued = issue_letter(
                s,
                number=number,
                kind=kind,
                options=options,
                ctx=Context(office, TODAY, "bench", NOW),
            )
            content = issued.render()
        write(number, kind, content)

    backend = make_url(url).get_backend_name()
    print(f"backend={backend} n={n} load average before: {_load()}")

    start, cpu = time.perf_counter(), time.process_time()
    for i, number in enumerate(singles):
        kind, options = KINDS[i % len(KINDS)]
        one(number, kind, options)
    single_rate = _report("one transaction per letter", n, start, cpu)

    requests = [LetterRequest(number, *KINDS[i % len(KINDS)]) for i, number in enumerate(batch)]
    start, cpu = time.perf_counter(), time.process_time()
    with transaction(engine) as s:
        issued_all = issue_many(s, requests=requests, ctx=Context(office, TODAY, "bench", NOW))
        contents = [issued.render() for issued in issued_all]
    for req, content in zip(requests, contents, strict=True):
        write(req.number, req.kind, content)
    rate = _report("issue_many, one transaction", n, start, cpu)

    regen = min(100, n)
    start, cpu = time.perf_counter(), time.process_time()
    for i, number in enumerate(singles[:regen]):
        kind, options = KINDS[i % len(KINDS)]
        one(number, kind, options)
    _report(f"regenerate {regen} (same 文号)", regen, start, cpu)
    print(f"average .docx size: {size[0] / size[1] / 1024:.1f} KiB; load average after: {_load()}")
    for label, r in (("one transaction per letter", single_rate), ("issue_many", rate)):
        print(
            f"target >= {TARGET_PER_S:.0f}/s, {label}: {'met' if r >= TARGET_PER_S else 'NOT met'}"
        )


def _report(label: str, n: int, start: float, cpu: float) -> float:
    """Print one line: wall letters/s, ms each, letters per CPU-second; returns wall rate."""
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    rate = n / wall
    print(
        f"{label}: {n} letters in {wall:.2f} s = {rate:.1f} letters/s wall"
        f" ({wall / n * 1000:.1f} ms each); {n / cpu:.1f} letters per CPU-second"
    )
    return rate


if __name__ == "__main__":
    main()
