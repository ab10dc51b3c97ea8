"""Benchmarks of the request register (issue 3).

1. Registering applications through the service layer (target ≥ 2,000 per second, SQLite):

       .venv/bin/python bench/bench_register.py register [--n 100000] [--batch 100]
           [--per-tx-n 10000] [--url sqlite:///…|postgresql+psycopg://…]

   Three ways, each on a fresh database, each checked afterwards (row count, counter, numbers
   1…N without a gap):
   - per_tx: one `register_application` per transaction, the office loaded in every
     transaction — what one clerk's `disclosure register` or one web request does;
   - loop: `--batch` calls of `register_application` per transaction, office loaded once per
     transaction;
   - many: `register_many` with `--batch` applications per call and transaction.

2. The due-within-3 query (target < 50 ms) at `--rows` applications:

       .venv/bin/python bench/bench_register.py query --db sqlite|postgres [--rows 1000000]
           [--open-fraction 0.02] [--repeat 15]

   Rows are bulk-inserted with Core inserts into a throwaway database (a temp file, or a
   database created on the local PostgreSQL and dropped afterwards). Times
   `list_application_rows(ListFilter(due_within=3))` as the list command runs it (every match),
   the first page of 50, and `count_applications`; prints the query plan (EXPLAIN).

Times are wall clock and process CPU; the machine may be shared, so both are printed.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, make_url, select, text
from sqlmodel import col

from disclosure.db import make_engine, transaction
from disclosure.models import Application
from disclosure.schemas import ApplicationCreate
from disclosure.services.context import Context
from disclosure.services.numbering import peek_last
from disclosure.services.office import Office, load_office
from disclosure.services.queries import (
    ListFilter,
    _where,
    count_applications,
    list_application_rows,
)
from disclosure.services.registration import APPLICATION_SERIES, register_application, register_many
from disclosure.services.setup import ensure_database
from disclosure.settings import Settings, load_settings

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TODAY = date(2026, 11, 27)  # a Friday
NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
DEPARTMENTS = [
    {"code": "bgs", "name": "办公室"},
    {"code": "hpc", "name": "环境影响评价处"},
    {"code": "zfzd", "name": "执法监督处"},
]
TYPES = ["natural", "business", "research", "public_interest", "legal_services", "other"]


# -- databases ---------------------------------------------------------------------------------
@contextmanager
def fresh_database(kind: str, url: str | None = None) -> Iterator[Settings]:
    """A migrated, empty database that is removed afterwards."""
    if kind == "sqlite" and url is None:
        folder = tempfile.mkdtemp(prefix="bench_reg_")
        try:
            yield _settings(f"sqlite:///{folder}/bench.db")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    if url is not None:
        yield _settings(url)
        return
    import psycopg

    name = f"bench_reg_{uuid.uuid4().hex[:10]}"
    admin = make_url(PG_ADMIN)
    with psycopg.connect(host=admin.host, user=admin.username, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _settings(str(admin.set(database=name)))
    finally:
        with psycopg.connect(host=admin.host, user=admin.username, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _settings(url: str) -> Settings:
    return load_settings(None, database={"url": url}, departments=DEPARTMENTS)


def _engine(settings: Settings) -> Engine:
    engine = make_engine(settings)
    ensure_database(engine, settings)
    return engine


@contextmanager
def clock() -> Iterator[dict[str, float]]:
    out: dict[str, float] = {}
    wall, cpu = time.perf_counter(), time.process_time()
    yield out
    out["wall"] = time.perf_counter() - wall
    out["cpu"] = time.process_time() - cpu


# -- 1. registering ----------------------------------------------------------------------------
def make_items(n: int, seed: int, office: Office) -> list[ApplicationCreate]:
    """`n` valid applications received on working days of 2026 up to TODAY."""
    rnd = random.Random(seed)
    ordinals = [o for o in office.calendar.working_ordinals if o <= TODAY.toordinal()]
    days = [date.fromordinal(o) for o in ordinals if date.fromordinal(o).year == TODAY.year]
    items = []
    for i in range(n):
        day = rnd.choice(days)
        items.append(
            ApplicationCreate(
                channel="in_person",
                received_on=day,
                applicant_name=f"申请人{i}",
                applicant_type=rnd.choice(TYPES),  # type: ignore[arg-type]
                content=f"请求公开2025年第{i}号环境影响评价批复文件",
                phone="13800000000",
                id_number="110101199001011234",
                department=rnd.choice(["bgs", "hpc", "zfzd", None]),
            )
        )
    return items


def run_per_tx(engine: Engine, settings: Settings, items: list[ApplicationCreate]) -> None:
    for data in items:
        with transaction(engine) as session:
            office = load_office(session, settings)
            register_application(session, data=data, ctx=Context(office, TODAY, "bench", NOW))


def run_loop(
    engine: Engine, settings: Settings, items: list[ApplicationCreate], batch: int
) -> None:
    for start in range(0, len(items), batch):
        with transaction(engine) as session:
            office = load_office(session, settings)
            for data in items[start : start + batch]:
                register_application(session, data=data, ctx=Context(office, TODAY, "bench", NOW))


def run_many(
    engine: Engine, settings: Settings, items: list[ApplicationCreate], batch: int
) -> None:
    for start in range(0, len(items), batch):
        with transaction(engine) as session:
            office = load_office(session, settings)
            register_many(
                session,
                items=items[start : start + batch],
                ctx=Context(office, TODAY, "bench", NOW),
            )


def check_gapless(engine: Engine, n: int) -> str:
    with transaction(engine, write=False) as session:
        count, low, high = session.execute(
            text("SELECT count(*), min(seq), max(seq) FROM application WHERE year = :y"),
            {"y": TODAY.year},
        ).one()
        last = peek_last(session, series=APPLICATION_SERIES, year=TODAY.year)
    ok = count == n and low == 1 and high == n and last == n
    return f"rows={count} seq {low}..{high} counter={last} {'gapless' if ok else 'GAP!'}"


def bench_register(args: argparse.Namespace) -> None:
    kind = "postgres" if args.url and args.url.startswith("postgresql") else "sqlite"
    print(f"register: python {platform.python_version()}, {os.cpu_count()} CPUs, db={kind}")
    plans: list[tuple[str, int, Callable[[Engine, Settings, list[ApplicationCreate]], None]]] = [
        ("per_tx (1 per transaction)", args.per_tx_n, run_per_tx),
        (
            f"loop ({args.batch} register_application per transaction)",
            args.n,
            lambda e, s, i: run_loop(e, s, i, args.batch),
        ),
        (
            f"many (register_many, {args.batch} per call/transaction)",
            args.n,
            lambda e, s, i: run_many(e, s, i, args.batch),
        ),
    ]
    for label, n, fn in plans:
        if n <= 0:
            continue
        with fresh_database(kind, args.url) as settings:
            engine = _engine(settings)
            try:
                with transaction(engine, write=False) as session:
                    items = make_items(n, args.seed, load_office(session, settings))
                with clock() as t:
                    fn(engine, settings, items)
                check = check_gapless(engine, n)
            finally:
                engine.dispose()
        print(
            f"  {label}: n={n:,} wall {t['wall']:.1f} s = {n / t['wall']:,.0f}/s; "
            f"cpu {t['cpu']:.1f} s = {n / t['cpu']:,.0f}/s; {check}"
        )


# -- 2. the due-within-3 query -----------------------------------------------------------------
def bulk_rows(engine: Engine, office: Office, rows: int, open_fraction: float, seed: int) -> int:
    """Insert `rows` applications with Core inserts; returns how many are open.

    Closed applications were received on working days of 2019-01-02 … 2026-09-30; open ones
    in the 45 working days up to TODAY (so some are overdue and some due soon).
    """
    rnd = random.Random(seed)
    cal = office.calendar
    ords = cal.working_ordinals
    first = date(2019, 1, 2).toordinal()
    closed_pool = [o for o in ords if first <= o <= date(2026, 9, 30).toordinal()]
    recent = [o for o in ords if o <= TODAY.toordinal()][-45:]
    table = Application.__table__  # type: ignore[attr-defined]
    per_year: dict[int, int] = {}
    n_open = 0
    chunk = 20_000
    for start in range(0, rows, chunk):
        batch: list[dict[str, Any]] = []
        for _ in range(start, min(rows, start + chunk)):
            is_open = rnd.random() < open_fraction
            n_open += is_open
            received = date.fromordinal(rnd.choice(recent if is_open else closed_pool))
            due = cal.add_working_days(received, 20)
            seq = per_year[received.year] = per_year.get(received.year, 0) + 1
            closed = None if is_open else min(due, received + timedelta(days=rnd.randint(1, 25)))
            batch.append(
                {
                    "number": f"{received.year}-{seq:07d}",
                    "year": received.year,
                    "seq": seq,
                    "channel": "in_person",
                    "arrived_on": received,
                    "received_on": received,
                    "applicant_name": f"申请人{seq}",
                    "applicant_type": rnd.choice(TYPES),
                    "email": "",
                    "phone": "",
                    "address": "",
                    "id_number": "110101199001011234",
                    "content": "请求公开某项目环境影响评价批复",
                    "form_wanted": "",
                    "case_type": "",
                    "lead_department_id": rnd.choice([1, 2, 3, None]),
                    "cooperating": [],
                    "stage": "handling" if is_open else "archived",
                    "outcome": None if is_open else "1",
                    "is_open": is_open,
                    "reply_due": due,
                    "next_action_due": due if is_open else None,
                    "internal_target": cal.subtract_working_days(due, 5),
                    "correction_notice_due": cal.add_working_days(received, 7),
                    "provisional": False,
                    "awaiting_correction": False,
                    "closed_on": closed,
                    "closed_on_time": None if is_open else True,
                    "created_at": NOW,
                    "updated_at": NOW,
                    "created_by": "bench",
                }
            )
        with transaction(engine) as session:
            session.execute(insert(table), batch)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return n_open


def explain(engine: Engine, office: Office, flt: ListFilter) -> list[str]:
    stmt = _where(select(Application), office, TODAY, flt)
    stmt = stmt.order_by(col(Application.reply_due).asc().nulls_last(), col(Application.id))
    if flt.limit:
        stmt = stmt.limit(flt.limit)
    sql = str(stmt.compile(engine, compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN ANALYZE "
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + sql).all()
    lines = [" ".join(sql.split())]
    lines += [str(r[-1]) for r in rows]
    return lines


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, float, Any]:
    fn()  # warm: statement cache, page cache
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return statistics.median(times), times[0], p95, result


def bench_query(args: argparse.Namespace) -> None:
    print(
        f"query: db={args.db} rows={args.rows:,} open_fraction={args.open_fraction} "
        f"today={TODAY} python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    with fresh_database(args.db) as settings:
        engine = _engine(settings)
        try:
            with transaction(engine, write=False) as session:
                office = load_office(session, settings)
            with clock() as t:
                n_open = bulk_rows(engine, office, args.rows, args.open_fraction, args.seed)
            print(f"  bulk insert: {args.rows:,} rows ({n_open:,} open) in {t['wall']:.1f} s")
            cases = {
                "list due_within=3 (all matches)": ListFilter(due_within=3),
                "list due_within=3, first page of 50": ListFilter(due_within=3, limit=50),
            }
            for label, flt in cases.items():
                with transaction(engine, write=False) as session:

                    def run(flt: ListFilter = flt, session: Any = session) -> int:
                        found = list_application_rows(session, office=office, today=TODAY, flt=flt)
                        return len(found)

                    med, best, p95, found = timed(run, args.repeat)
                print(
                    f"  {label}: {found} rows; median {med:.1f} ms, "
                    f"min {best:.1f} ms, p95 {p95:.1f} ms"
                )
            with transaction(engine, write=False) as session:
                med, best, p95, found = timed(
                    lambda: count_applications(
                        session, office=office, today=TODAY, flt=ListFilter(due_within=3)
                    ),
                    args.repeat,
                )
            print(
                f"  count due_within=3: {found}; median {med:.1f} ms, "
                f"min {best:.1f} ms, p95 {p95:.1f} ms"
            )
            print("  plan (all matches):")
            for line in explain(engine, office, ListFilter(due_within=3)):
                print("    " + line)
        finally:
            engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    reg = sub.add_parser("register")
    reg.add_argument("--n", type=int, default=100_000)
    reg.add_argument("--batch", type=int, default=100)
    reg.add_argument("--per-tx-n", type=int, default=10_000)
    reg.add_argument("--url", default=None, help="database URL (default: a temp SQLite file)")
    reg.add_argument("--seed", type=int, default=2026)
    q = sub.add_parser("query")
    q.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    q.add_argument("--rows", type=int, default=1_000_000)
    q.add_argument("--open-fraction", type=float, default=0.02)
    q.add_argument("--repeat", type=int, default=15)
    q.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if args.what == "register":
        bench_register(args)
    else:
        bench_query(args)


if __name__ == "__main__":
    main()
