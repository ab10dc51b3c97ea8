"""Benchmark: the application list page at 100,000 applications, 20 concurrent users.

Builds a SQLite database under a temporary folder (bulk insert with stored deadlines),
starts `uvicorn` on 127.0.0.1 in a subprocess, signs in 20 clients (one session each) and
has them fetch list pages in a closed loop (no think time) for a bounded number of requests.
Prints latency percentiles per scenario.

    python bench/bench_web.py [--rows 100000] [--users 20] [--requests 1000] [--workers 1]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

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
    "open (default)": "/applications",
    "all, page 200": "/applications?status=all&page=200",
    "overdue": "/applications?overdue=1",
    "department + due within 5": "/applications?department=hbc&due_within=5",
    "search": "/applications?status=all&q=%E5%BC%A0%E4%B8%8999",
}


def _config(folder: Path, port: int) -> Path:
    path = folder / "config.toml"
    path.write_text(
        f'[database]\nurl = "sqlite:///{folder / "bench.db"}"\n\n'
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
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    engine.dispose()


SERVER = """
import sys, uvicorn
from datetime import date
from disclosure.settings import load_settings
from disclosure.web.app import create_app
settings = load_settings(sys.argv[1])
app = create_app(settings, today=lambda: date(2026, 3, 5))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _login(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    r = client.post("/login", data={"username": "clerk", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 303, r.text
    return client


def run_load(base: str, url: str, users: int, requests: int, think: float = 0.0) -> list[float]:
    clients = [_login(base) for _ in range(users)]
    per_user = max(1, requests // users)

    def work(client: httpx.Client) -> list[float]:
        out = []
        for _ in range(per_user):
            t = time.perf_counter()
            r = client.get(url)
            out.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, r.status_code
            if think:
                time.sleep(random.uniform(0.5 * think, 1.5 * think))
        return out

    try:
        with ThreadPoolExecutor(users) as pool:
            return [x for part in pool.map(work, clients) for x in part]
    finally:
        for c in clients:
            c.close()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * len(ordered)) - 1)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--requests", type=int, default=1000, help="per scenario")
    ap.add_argument(
        "--think", type=float, default=0.0, help="mean pause between a user's requests (s)"
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        port = _free_port()
        config = _config(folder, port)
        t = time.perf_counter()
        populate(config, args.rows)
        print(f"populated {args.rows} applications in {time.perf_counter() - t:.1f} s")
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        proc = subprocess.Popen([sys.executable, "-c", SERVER, str(config), str(port)], env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    httpx.get(base + "/login", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            run_load(base, "/applications", 2, 20)  # warm-up
            print(
                f"{args.users} concurrent users, think time {args.think} s, "
                f"{args.requests} requests per scenario (ms):"
            )
            print(f"{'scenario':32} {'p50':>8} {'p95':>8} {'p99':>8} {'req/s':>8}")
            for name, url in SCENARIOS.items():
                t = time.perf_counter()
                lat = run_load(base, url, args.users, args.requests, args.think)
                rate = len(lat) / (time.perf_counter() - t)
                print(
                    f"{name:32} {statistics.median(lat):8.1f} {pct(lat, 95):8.1f} "
                    f"{pct(lat, 99):8.1f} {rate:8.1f}"
                )
        finally:
            proc.terminate()
            proc.wait(timeout=20)


if __name__ == "__main__":
    main()
