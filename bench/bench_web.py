"""Benchmark: the application list page at 100,000 applications, 20 concurrent users.

Builds a database (SQLite in a temporary folder, or a throwaway PostgreSQL database with
`--postgres`) by bulk insert with stored deadlines, starts uvicorn on 127.0.0.1 in a
subprocess (`--workers N` processes, the same factory `disclosure serve --workers` uses,
with "today" fixed at 2026-03-05), signs in `--users` clerks (one session cookie each) and
runs a closed loop per user: the next request goes out as soon as the previous answer is
read, or after a pause of 0.5–1.5 × `--think` seconds. The load generator is one asyncio
process on raw keep-alive sockets (little CPU next to the server on a 2-core machine).
Each scenario is bounded by `--requests` and `--max-seconds`.

    python bench/bench_web.py [--rows 100000] [--users 20] [--requests 2000] [--workers 2]
        [--think 0] [--postgres] [--scenarios default,overdue,page50,all200]

The hello-world anchor (`/healthz`) runs first; `× hello` is each scenario's server CPU per
request over the anchor's, in the same run.

Prints p50/p95/p99 latency (ms), requests per second, the server's CPU ms per request (the
uvicorn processes; with `--postgres` also PostgreSQL's own processes, `db ms/req`) and the
load average per scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

try:  # the test extra installs httpx2 (what Starlette's TestClient uses)
    import httpx2 as httpx
except ImportError:  # pragma: no cover
    import httpx
from sqlalchemy import create_engine

from disclosure.calendar_source import make_calendar
from disclosure.db import make_engine, transaction
from disclosure.models import Application
from disclosure.services.departments import list_departments
from disclosure.services.setup import ensure_database
from disclosure.services.users import create_user
from disclosure.settings import load_settings

PASSWORD = "bench-password-1"
TODAY = date(2026, 3, 5)
SCENARIOS = {
    # The anchor, measured first in every run: the same server, stack and middleware, no
    # session and no database (`disclosure.web.routes.health`).
    "hello": ("hello-world anchor (/healthz)", "/healthz"),
    "default": ("open applications (default list)", "/applications"),
    "overdue": ("overdue (?overdue=1)", "/applications?overdue=1"),
    "page50": ("default list, page 50", "/applications?page=50"),
    "all200": ("all applications, page 200", "/applications?status=all&page=200"),
    "dept5": ("department + due within 5", "/applications?department=hbc&due_within=5"),
    "search": ("search (LIKE, all rows)", "/applications?status=all&q=%E5%BC%A0%E4%B8%8999"),
}
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _config(folder: Path, port: int, url: str | None = None) -> Path:
    path = folder / "config.toml"
    url = url or f"sqlite:///{folder / 'bench.db'}"
    path.write_text(
        f'[database]\nurl = "{url}"\n\n'
        f'[web]\nsecret_key = "bench-secret"\nport = {port}\n\n'
        '[[departments]]\ncode = "zcfg"\nname = "政策法规处"\n\n'
        '[[departments]]\ncode = "hbc"\nname = "环境保护处"\n',
        encoding="utf-8",
    )
    return path


def populate(config: Path, rows: int) -> None:
    settings = load_settings(config)
    engine = make_engine(settings)
    ensure_database(engine, settings)
    cal = make_calendar(settings)
    now = datetime(2026, 3, 5, tzinfo=UTC)
    rng = random.Random(7)
    start = date(2021, 1, 4)
    span = (TODAY - start).days
    batch: list[dict] = []
    with transaction(engine) as session:
        create_user(session, username="clerk", password=PASSWORD, role="clerk", now=now)
        dep_ids = [d.id for d in list_departments(session)]
    for i in range(rows):
        received = start + timedelta(days=int(span * (i / rows)))
        due = cal.add_working_days(received, 20)
        open_ = received > TODAY - timedelta(days=45) or rng.random() < 0.01
        batch.append(
            {
                "number": f"{received.year}-{i + 1:06d}",
                "year": received.year,
                "seq": i + 1,
                "channel": "in_person",
                "arrived_on": received,
                "received_on": received,
                "applicant_name": f"张三{i}",
                "applicant_type": "natural",
                "content": f"关于某事项的政府信息 {i}",
                "lead_department_id": rng.choice(dep_ids),
                "cooperating": [],
                "stage": "handling" if open_ else "replied",
                "outcome": None if open_ else "1",
                "is_open": open_,
                "reply_due": due,
                "next_action_due": due if open_ else None,
                "internal_target": cal.subtract_working_days(due, 5),
                "provisional": False,
                "closed_on": None if open_ else due - timedelta(days=rng.randint(0, 10)),
                "closed_on_time": None if open_ else True,
                "created_at": now,
                "updated_at": now,
                "created_by": "bench",
            }
        )
        if len(batch) == 5000:
            with transaction(engine) as session:
                session.execute(Application.__table__.insert(), batch)
            batch = []
    if batch:
        with transaction(engine) as session:
            session.execute(Application.__table__.insert(), batch)
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.commit()  # VACUUM cannot run in a transaction: autocommit
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.exec_driver_sql("VACUUM ANALYZE application")  # what autovacuum would do
        else:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    engine.dispose()


def bench_app():  # type: ignore[no-untyped-def]
    """uvicorn factory for the server subprocess: the real app, today fixed at `TODAY`."""
    from disclosure.web.app import create_app

    return create_app(load_settings(), today=lambda: TODAY)


SERVER = """
import sys, uvicorn
uvicorn.run("bench_web:bench_app", factory=True, app_dir=sys.argv[1], host="127.0.0.1",
            port=int(sys.argv[2]), workers=int(sys.argv[3]), log_level="warning",
            access_log=False)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(config: Path, port: int, workers: int, probe: str) -> Iterator[tuple[int, str]]:
    """The office's web app under uvicorn in a child process (`workers` workers) on `port`,
    once `probe` answers: (the child's pid, its base URL); stopped on leaving."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "DISCLOSURE_CONFIG": str(config)}
    # The server compiles what it imports once (.pyc), as an installed program does: with
    # PYTHONDONTWRITEBYTECODE set, every module edited since its last compile would be
    # compiled again by each worker, and that CPU counted against the requests.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    here = str(Path(__file__).parent)
    cmd = [sys.executable, "-c", SERVER, here, str(port), str(workers)]
    proc = subprocess.Popen(cmd, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + probe, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield proc.pid, base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _login(base: str) -> str:
    """Sign in one clerk; returns the session cookie ("name=value")."""
    with httpx.Client(base_url=base, timeout=30) as client:
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        data = {"username": "clerk", "password": PASSWORD, "csrf_token": token}
        r = client.post("/login", data=data)
        assert r.status_code == 303, r.text
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


async def _fetch(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes
) -> tuple[int, bool]:
    """One keep-alive GET; (status, server closes) once the whole body is read."""
    writer.write(raw)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    closes = False
    for line in head.split(b"\r\n")[1:]:
        low = line.lower()
        if low[:15] == b"content-length:":
            length = int(line[15:])
        elif low.startswith(b"connection:") and b"close" in low:
            closes = True
    await reader.readexactly(length)
    return status, closes


async def _user(
    port: int, cookie: str, path: str, stop: float, budget: list[int], think: float, out: list
) -> None:
    raw = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
        "Accept: text/html\r\n\r\n"
    ).encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    rng = random.Random(cookie)
    try:
        while budget[0] > 0 and time.perf_counter() < stop:
            budget[0] -= 1
            t = time.perf_counter()
            status, closes = await _fetch(reader, writer, raw)
            if closes:  # as a browser does: reconnect for the next request (timed with it)
                writer.close()
                await writer.wait_closed()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            out.append((time.perf_counter() - t) * 1000)
            if status != 200:
                raise RuntimeError(f"{path}: HTTP {status}")
            if think:
                await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
    finally:
        writer.close()
        await writer.wait_closed()


def run_load(
    port: int, cookies: list[str], path: str, requests: int, think: float, max_seconds: float
) -> tuple[list[float], float]:
    """All users against `path` until `requests` answers or `max_seconds`; (latencies, secs)."""
    out: list[float] = []
    budget = [requests]

    async def main() -> float:
        t = time.perf_counter()
        stop = t + max_seconds
        await asyncio.gather(*(_user(port, c, path, stop, budget, think, out) for c in cookies))
        return time.perf_counter() - t

    return out, asyncio.run(main())


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by the server process and its workers.

    Unlike latency this does not depend on what else the machine runs, so it is the figure
    to compare between runs: CPU ms per request = Δcpu / requests."""
    total, todo = 0.0, [pid]
    tick = os.sysconf("SC_CLK_TCK")
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        todo.extend(int(c) for c in children)
    return total


def postgres_cpu() -> float:
    """CPU seconds used so far by every PostgreSQL server process on this machine (their
    per-request share is the `db ms/req` column; 0 where no such process is readable)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, rest = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        if head.endswith("(postgres"):
            fields = rest.split()
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


@contextmanager
def _database(postgres: bool) -> Iterator[str | None]:
    """None (SQLite in the temp folder) or the URL of a throwaway PostgreSQL database."""
    if not postgres:
        yield None
        return
    name = f"bench_web_{os.getpid()}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
        yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--requests", type=int, default=2000, help="per scenario")
    ap.add_argument("--max-seconds", type=float, default=60, help="per scenario")
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    ap.add_argument("--think", type=float, default=0.0, help="mean pause per user (s)")
    ap.add_argument("--postgres", action="store_true", help="throwaway DB on 127.0.0.1:5432")
    ap.add_argument("--scenarios", default="default,overdue,page50,all200")
    args = ap.parse_args()
    names = ["hello"] + [k for k in args.scenarios.split(",") if k != "hello"]
    chosen = [SCENARIOS[k] for k in names]
    with tempfile.TemporaryDirectory() as tmp, _database(args.postgres) as url:
        folder = Path(tmp)
        port = _free_port()
        config = _config(folder, port, url)
        t = time.perf_counter()
        populate(config, args.rows)
        print(f"populated {args.rows} applications in {time.perf_counter() - t:.1f} s")
        with serving(config, port, args.workers, "/login") as (pid, base):
            cookies = [_login(base) for _ in range(args.users)]
            for _, path in chosen:  # warm-up: every worker compiles templates, fills caches
                run_load(port, cookies, path, 10 * args.users, 0.0, 30)
            print(
                f"{args.users} users, {args.workers} worker(s), think {args.think} s, "
                f"≤{args.requests} requests or {args.max_seconds:.0f} s per scenario (ms):"
            )
            print(
                f"{'scenario':34} {'n':>5} {'p50':>7} {'p95':>7} {'p99':>7} {'req/s':>7}"
                f" {'cpu ms/req':>10} {'× hello':>7} {'db ms/req':>9}  load"
            )
            anchor = 0.0
            for name, path in chosen:
                cpu, db = server_cpu(pid), postgres_cpu()
                lat, secs = run_load(
                    port, cookies, path, args.requests, args.think, args.max_seconds
                )
                per_request = (server_cpu(pid) - cpu) * 1000 / len(lat)
                db_per_request = (postgres_cpu() - db) * 1000 / len(lat) if url else 0.0
                load = os.getloadavg()[0]
                anchor = anchor or per_request  # the first scenario is the anchor
                print(
                    f"{name:34} {len(lat):5d} {statistics.median(lat):7.1f} {pct(lat, 95):7.1f} "
                    f"{pct(lat, 99):7.1f} {len(lat) / secs:7.1f} {per_request:10.2f} "
                    f"{per_request / anchor:7.1f} {db_per_request:9.2f}  {load:.2f}"
                )


if __name__ == "__main__":
    main()
