"""Benchmark: the JSON API (issue 21) through a real uvicorn server on SQLite.

Builds a database of `--rows` applications by bulk insert (bench_web.populate: stored
deadlines, SQLite in a temporary folder), creates one read-write token, starts uvicorn on
127.0.0.1 in a subprocess (the factory `disclosure serve` uses, "today" fixed at 2026-03-05)
and measures, each with `--clients` concurrent clients (one keep-alive httpx client per
thread, closed loop: the next request goes out as soon as the previous answer is read):

- anchors on the same server in the same run: a static file (`/static/favicon.svg`: the
  middleware stack, no database) and `GET /api/v1/calendar` (token check, rate count and
  audit record in one write transaction, then a small read);
- `--registrations` pushes of `POST /api/v1/applications`, each with its own `external_ref`;
- list calls `GET /api/v1/applications` (default filters, 50 per page) at `--rows` rows,
  and the next page by cursor.

    python bench/bench_api.py [--rows 100000] [--clients 10] [--registrations 1000]
        [--lists 1000]

Prints n, p50/p95/p99 latency (ms), requests per second and the load average per scenario.
Targets (issue 21): ≥ 200 registrations/s with p95 < 100 ms; list p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

try:  # the test extra installs httpx2 (what Starlette's TestClient uses)
    import httpx2 as httpx
except ImportError:  # pragma: no cover
    import httpx

from bench_web import SERVER, _config, _free_port, pct, populate

from disclosure.api.models import SCOPES
from disclosure.api.tokens import MAX_RATE, add_token
from disclosure.db import make_engine, transaction
from disclosure.settings import load_settings

assert "write" in SCOPES
Call = Callable[[httpx.Client, int], httpx.Response]


def make_token(config: Path) -> str:
    engine = make_engine(load_settings(config))
    with transaction(engine) as session:
        _row, secret = add_token(
            session,
            name="bench",
            scope="write",
            rate_per_minute=MAX_RATE,
            actor="bench",
            now=datetime.now(UTC),
        )
    engine.dispose()
    return secret


def run(
    base: str, token: str, clients: int, total: int, call: Call, ok: int
) -> tuple[list[float], float]:
    """`total` calls spread over `clients` threads; (latencies in ms, seconds)."""
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(total))
    errors: list[str] = []

    def worker() -> None:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                t = time.perf_counter()
                r = call(client, i)
                ms = (time.perf_counter() - t) * 1000
                if r.status_code != ok:
                    errors.append(f"{r.status_code} {r.text[:200]}")
                with lock:
                    latencies.append(ms)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    secs = time.perf_counter() - t
    if errors:
        raise SystemExit(f"{len(errors)} unexpected answers, e.g. {errors[0]}")
    return latencies, secs


def push(run_id: str) -> Call:
    def call(client: httpx.Client, i: int) -> httpx.Response:
        body = {
            "channel": "online",
            "received": "2026-03-04",
            "applicant": f"推送申请人{i}",
            "applicant_type": "natural",
            "content": f"关于某事项的政府信息（平台推送 {i}）",
            "phone": "13800000000",
            "external_ref": f"BENCH-{run_id}-{i}",
        }
        return client.post("/api/v1/applications", json=body)

    return call


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--registrations", type=int, default=1000)
    ap.add_argument("--lists", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        port = _free_port()
        config = _config(folder, port)
        t = time.perf_counter()
        populate(config, args.rows)
        print(f"populated {args.rows} applications in {time.perf_counter() - t:.1f} s")
        token = make_token(config)
        env = {**os.environ, "PYTHONWARNINGS": "ignore", "DISCLOSURE_CONFIG": str(config)}
        here = str(Path(__file__).parent)
        proc = subprocess.Popen([sys.executable, "-c", SERVER, here, str(port), "1"], env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    httpx.get(base + "/static/favicon.svg", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            first = httpx.get(
                base + "/api/v1/applications",
                headers={"Authorization": f"Bearer {token}"},
                params={"limit": 50},
                timeout=30,
            ).json()
            cursor = first["next_after"]
            scenarios: list[tuple[str, int, Call, int]] = [
                ("anchor: static file", args.lists, lambda c, i: c.get("/static/favicon.svg"), 200),
                ("anchor: GET /calendar", args.lists, lambda c, i: c.get("/api/v1/calendar"), 200),
                ("POST /applications (register)", args.registrations, push(str(os.getpid())), 201),
                ("GET /applications (list, 50)", args.lists,
                 lambda c, i: c.get("/api/v1/applications", params={"limit": 50}), 200),
                ("GET /applications?after= (page 2)", args.lists,
                 lambda c, i: c.get("/api/v1/applications", params={"limit": 50, "after": cursor}),
                 200),
            ]  # fmt: skip
            for _name, _n, call, ok in scenarios:  # warm-up (not for the registrations)
                if ok == 200:
                    run(base, token, args.clients, 5 * args.clients, call, ok)
            print(f"{args.clients} concurrent clients, 1 uvicorn worker, SQLite, {args.rows} rows")
            print(f"{'scenario':36} {'n':>5} {'p50':>7} {'p95':>7} {'p99':>7} {'req/s':>7}  load")
            for name, n, call, ok in scenarios:
                lat, secs = run(base, token, args.clients, n, call, ok)
                print(
                    f"{name:36} {len(lat):5d} {statistics.median(lat):7.1f} {pct(lat, 95):7.1f} "
                    f"{pct(lat, 99):7.1f} {len(lat) / secs:7.1f}  {os.getloadavg()[0]:.2f}"
                )
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
