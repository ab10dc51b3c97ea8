"""Benchmark: the JSON API (issue 21) through a real uvicorn server on SQLite.

Builds a database of `--rows` applications by bulk insert (bench_web.populate: stored
deadlines, SQLite in a temporary folder), creates one read-write token, starts uvicorn on
127.0.0.1 in a subprocess (the factory `disclosure serve` uses, "today" fixed at 2026-03-05)
and measures, each with `--clients` concurrent clients (closed loop: the next request goes out
as soon as the previous answer is read; raw keep-alive sockets from one asyncio loop, as in
bench_web, or `--generator httpx`: one httpx client per thread, which costs the 2 shared
cores several times more CPU per call):

- anchors on the same server in the same run: a static file (`/static/favicon.svg`: the
  middleware stack, no database) and `GET /api/v1/calendar` (token check, rate count and
  audit record in one write transaction, then a small read);
- `--registrations` pushes of `POST /api/v1/applications`, each with its own `external_ref`;
- list calls `GET /api/v1/applications` (default filters, 50 per page) at `--rows` rows,
  and the next page by cursor.

    python bench/bench_api.py [--rows 100000] [--clients 10] [--registrations 1000]
        [--lists 1000] [--workers 1] [--generator sockets|httpx]

The `cpu ms/req` column is the server's CPU (uvicorn processes, user + system) per request
over the scenario: unlike the latencies it does not depend on what else the machine runs.

In-process (no server, no sockets; FastAPI's thread pool replaced by inline calls, so only
the app's own CPU is timed), optionally under cProfile (CPU clock) with the top N printed:

    python bench/bench_api.py --inprocess [--profile 40] [--keep /tmp/apidb] [--rows …]

Prints n, p50/p95/p99 latency (ms), requests per second and the load average per scenario.
Targets (issue 21): ≥ 200 registrations/s with p95 < 100 ms; list p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
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

from bench_web import TODAY, _config, _fetch, _free_port, pct, populate, server_cpu, serving

from disclosure.api.models import SCOPES
from disclosure.api.tokens import MAX_RATE, add_token
from disclosure.db import make_engine, transaction
from disclosure.settings import load_settings

assert "write" in SCOPES


def make_token(config: Path, name: str = "bench") -> str:
    engine = make_engine(load_settings(config))
    with transaction(engine) as session:
        _row, secret = add_token(
            session,
            name=name,
            scope="write",
            rate_per_minute=MAX_RATE,
            actor="bench",
            now=datetime.now(UTC),
        )
    engine.dispose()
    return secret


# One call of a scenario: (method, path with query, JSON body or None) for call number i.
Request = Callable[[int], tuple[str, str, bytes | None]]


def run_threads(
    base: str, token: str, clients: int, total: int, request: Request, ok: int
) -> tuple[list[float], float]:
    """`total` calls spread over `clients` threads of httpx clients; (latencies ms, seconds)."""
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(total))
    errors: list[str] = []

    def worker() -> None:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                method, path, body = request(i)
                t = time.perf_counter()
                r = client.request(method, path, content=body)
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


def run_sockets(
    port: int, token: str, clients: int, total: int, request: Request, ok: int
) -> tuple[list[float], float]:
    """The same on raw keep-alive sockets from one asyncio loop (bench_web's generator):
    much less CPU per call than httpx, which shares the 2 cores with the server here."""
    latencies: list[float] = []
    counter = iter(range(total))
    auth = f"Host: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"

    def raw(i: int) -> bytes:
        method, path, body = request(i)
        head = f"{method} {path} HTTP/1.1\r\n{auth}"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        return head.encode() + b"\r\n" + (body or b"")

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for i in counter:
                message = raw(i)
                t = time.perf_counter()
                status, closes = await _fetch(reader, writer, message)
                if closes:  # `[web] keepalive_requests`: reconnect, timed with the call
                    writer.close()
                    await writer.wait_closed()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                latencies.append((time.perf_counter() - t) * 1000)
                if status != ok:
                    raise SystemExit(f"unexpected answer {status} to {message[:80]!r}")
        finally:
            writer.close()
            await writer.wait_closed()

    async def main() -> float:
        t = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        return time.perf_counter() - t

    return latencies, asyncio.run(main())


def push(run_id: str) -> Request:
    def request(i: int) -> tuple[str, str, bytes | None]:
        body = json.dumps(body_of(run_id, i), ensure_ascii=False).encode()
        return "POST", "/api/v1/applications", body

    return request


def get(path: str) -> Request:
    return lambda i: ("GET", path, None)


def body_of(run_id: str, i: int) -> dict[str, str]:
    return {
        "channel": "online",
        "received": "2026-03-04",
        "applicant": f"推送申请人{i}",
        "applicant_type": "natural",
        "content": f"关于某事项的政府信息（平台推送 {i}）",
        "phone": "13800000000",
        "external_ref": f"BENCH-{run_id}-{i}",
    }


def inprocess(config: Path, token: str, n_reg: int, n_list: int, profile: int) -> None:
    """Registrations, re-pushes, list calls and the calendar anchor straight through the
    ASGI app in this process: CPU per request (and a cProfile with `profile`)."""
    from bench_list_inprocess import asgi_caller, inline_threadpool, measure

    inline_threadpool()
    from disclosure.web.app import create_app

    app = create_app(load_settings(config), today=lambda: TODAY)
    call = asgi_caller(app)
    auth = (b"authorization", f"Bearer {token}".encode())
    kind = (b"content-type", b"application/json")
    run_id = f"IP{os.getpid()}"

    async def main() -> None:
        async def post(i: int, ok: int) -> None:
            body = json.dumps(body_of(run_id, i)).encode()
            r = await call("POST", "/api/v1/applications", [auth, kind], body)
            assert r["status"] == ok, (r["status"], r["body"][:300])

        async def get(url: str) -> None:
            r = await call("GET", url, [auth])
            assert r["status"] == 200, (r["status"], r["body"][:300])

        for i in range(20):  # warm-up
            await post(10_000_000 + i, 201)
            await get("/api/v1/applications?limit=50")
            await get("/api/v1/calendar")
        cases = [
            ("GET /calendar (anchor)", n_list, lambda i: get("/api/v1/calendar")),
            ("POST /applications", n_reg, lambda i: post(i, 201)),
            ("POST /applications (re-push)", n_reg, lambda i: post(i, 200)),
            ("GET /applications?limit=50", n_list, lambda i: get("/api/v1/applications?limit=50")),
        ]
        for label, n, fn in cases:
            await measure(label, n, fn, profile)

    asyncio.run(main())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--registrations", type=int, default=1000)
    ap.add_argument("--lists", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    ap.add_argument(
        "--generator", choices=("sockets", "httpx"), default="sockets", help="load generator"
    )
    ap.add_argument("--inprocess", action="store_true", help="no server: CPU per request")
    ap.add_argument("--profile", type=int, default=0, help="with --inprocess: cProfile top N")
    ap.add_argument("--keep", help="with --inprocess: folder for the database (reused)")
    args = ap.parse_args()
    if args.inprocess:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(args.keep or tmp)
            folder.mkdir(parents=True, exist_ok=True)
            config = _config(folder, 8000)
            if not (folder / "bench.db").exists():
                populate(config, args.rows)
            token = make_token(config, f"bench{os.getpid()}")
            inprocess(config, token, args.registrations, args.lists, args.profile)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        port = _free_port()
        config = _config(folder, port)
        t = time.perf_counter()
        populate(config, args.rows)
        print(f"populated {args.rows} applications in {time.perf_counter() - t:.1f} s")
        token = make_token(config)
        with serving(config, port, args.workers, "/static/favicon.svg") as (pid, base):
            first = httpx.get(
                base + "/api/v1/applications",
                headers={"Authorization": f"Bearer {token}"},
                params={"limit": 50},
                timeout=30,
            ).json()
            cursor = first["next_after"]
            page2 = f"/api/v1/applications?limit=50&after={cursor}"
            scenarios: list[tuple[str, int, Request, int]] = [
                ("anchor: static file", args.lists, get("/static/favicon.svg"), 200),
                ("anchor: GET /calendar", args.lists, get("/api/v1/calendar"), 200),
                ("POST /applications (register)", args.registrations, push(str(os.getpid())), 201),
                ("GET /applications (list, 50)", args.lists, get("/api/v1/applications?limit=50"),
                 200),
                ("GET /applications?after= (page 2)", args.lists, get(page2), 200),
            ]  # fmt: skip

            def run(n: int, request: Request, ok: int) -> tuple[list[float], float]:
                if args.generator == "httpx":
                    return run_threads(base, token, args.clients, n, request, ok)
                return run_sockets(port, token, args.clients, n, request, ok)

            for _name, _n, request, ok in scenarios:  # warm-up (not for the registrations)
                if ok == 200:
                    run(5 * args.clients, request, ok)
            print(
                f"{args.clients} concurrent clients ({args.generator}), {args.workers} uvicorn "
                f"worker(s), SQLite, {args.rows} rows"
            )
            print(
                f"{'scenario':36} {'n':>5} {'p50':>7} {'p95':>7} {'p99':>7} {'req/s':>7}"
                f" {'cpu ms/req':>10}  load"
            )
            for name, n, request, ok in scenarios:
                cpu = server_cpu(pid)
                lat, secs = run(n, request, ok)
                per_request = (server_cpu(pid) - cpu) * 1000 / len(lat)
                print(
                    f"{name:36} {len(lat):5d} {statistics.median(lat):7.1f} {pct(lat, 95):7.1f} "
                    f"{pct(lat, 99):7.1f} {len(lat) / secs:7.1f} {per_request:10.2f}"
                    f"  {os.getloadavg()[0]:.2f}"
                )


if __name__ == "__main__":
    main()
