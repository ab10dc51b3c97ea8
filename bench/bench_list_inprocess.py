"""The list page's CPU cost without HTTP: list items per row, and whole requests in-process.

    python bench/bench_list_inprocess.py                 # builds 100,000 applications first
    python bench/bench_list_inprocess.py --keep /tmp/webdb   # reuse/keep that folder
    python bench/bench_list_inprocess.py --keep /tmp/webpg --postgres  # PostgreSQL database
        # bench_inprocess on 127.0.0.1:5432, built once and reused while the folder is kept
    python bench/bench_list_inprocess.py --keep /tmp/webdb --profile 30  # cProfile of the
        # page loop: the 30 functions with the most cumulative time, and tottime

Prints µs per list row for `listing.list_item` (and its parts) and ms per request for
`GET /applications` driven straight through the ASGI app, with FastAPI's thread pool
replaced by inline calls (so only the app's own CPU is timed: no sockets, no thread hops).
The machine's speed varies between runs here; compare runs made minutes apart.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import bench_web


def per_call(fn: Callable[[], Any], n: int) -> float:
    """Seconds per call of `fn`, after 20 warm-up calls."""
    for _ in range(20):
        fn()
    t = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t) / n


def rows_bench(config: Path) -> None:
    from disclosure.db import make_engine, transaction
    from disclosure.services.office import load_office
    from disclosure.services.queries import (
        ListFilter,
        deadline_state,
        department_names,
        list_application_rows,
        working_days_left,
    )
    from disclosure.settings import load_settings
    from disclosure.web.listing import ListedCache

    settings = load_settings(config)
    engine = make_engine(settings)
    today = bench_web.TODAY
    with transaction(engine, write=False) as s:
        office = load_office(s, settings)
        deps = department_names(s)
        flt = ListFilter(open_only=True, limit=50)
        rows = list_application_rows(s, office=office, today=today, flt=flt)
    cache = ListedCache()
    parts = {
        "listed_in (uncached)": lambda: [ListedCache(1).item(r, office, today, deps) for r in rows],
        "ListedCache.item (hit)": lambda: [cache.item(r, office, today, deps) for r in rows],
        "deadline_state": lambda: [deadline_state(r, today) for r in rows],  # type: ignore[arg-type]
        "working_days_left": lambda: [working_days_left(r, office, today) for r in rows],  # type: ignore[arg-type]
    }
    for name, fn in parts.items():
        print(f"{name:24} {per_call(fn, 200) / len(rows) * 1e6:7.2f} µs per row")
    engine.dispose()


def inline_threadpool() -> None:
    """Run FastAPI's sync endpoints and dependencies inline (no thread hops to time)."""
    import fastapi.dependencies.utils
    import fastapi.routing
    import starlette.concurrency

    async def inline(func, *a, **kw):  # type: ignore[no-untyped-def]
        return func(*a, **kw)

    for module in (starlette.concurrency, fastapi.routing, fastapi.dependencies.utils):
        if hasattr(module, "run_in_threadpool"):
            module.run_in_threadpool = inline  # type: ignore[attr-defined]


def asgi_caller(app: Any) -> Callable[..., Any]:
    """`await call(method, url, headers, body)` → {"status", "headers", "body"}: one request
    straight through the ASGI app (no sockets, no HTTP parsing)."""

    async def call(method: str, url: str, headers: list, body: bytes = b"") -> dict:  # type: ignore[type-arg]
        route, _, query = url.partition("?")
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": method, "path": route, "raw_path": route.encode(),
                 "query_string": query.encode(), "headers": [(b"host", b"127.0.0.1"), *headers],
                 "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80), "scheme": "http",
                 "root_path": "", "app": app, "state": {}}  # fmt: skip
        out: dict = {"body": b"", "headers": []}  # type: ignore[type-arg]
        sent = False

        async def receive() -> dict:  # type: ignore[type-arg]
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.sleep(3600)
            return {}

        async def send(message: dict) -> None:  # type: ignore[type-arg]
            if message["type"] == "http.response.start":
                out["status"], out["headers"] = message["status"], message["headers"]
            else:
                out["body"] += message.get("body", b"")

        await app(scope, receive, send)
        return out

    return call


async def measure(
    label: str, n: int, fn: Callable[[int], Awaitable[Any]], profile: int = 0, batches: int = 25
) -> None:
    """`await fn(i)` for i in 0…n-1 in `batches` batches; prints the CPU time per call of
    this process, the least and the median over the batches (the least is the one least
    disturbed by whatever else the machine runs), and the median wall time. With `profile`
    the calls run under cProfile (CPU clock) and the top `profile` functions are printed."""
    per = max(1, n // batches)
    prof = cProfile.Profile(time.process_time) if profile else None  # CPU, not waits
    cpus, walls, i = [], [], 0
    for _ in range(batches):
        t, c = time.perf_counter(), time.process_time()
        if prof:
            prof.enable()
        for _ in range(per):
            await fn(i)
            i += 1
        if prof:
            prof.disable()
        cpus.append((time.process_time() - c) / per * 1000)
        walls.append((time.perf_counter() - t) / per * 1000)
    print(
        f"{label:32} CPU ms/call min {min(cpus):6.2f}  median {statistics.median(cpus):6.2f}"
        f"  (wall median {statistics.median(walls):6.2f}; {batches} × {per})"
    )
    if prof:
        slug = re.sub(r"[^A-Za-z0-9]+", "_", label).strip("_")
        prof.dump_stats(f"{tempfile.gettempdir()}/bench_inprocess_{slug}.prof")
        for key in ("cumulative", "tottime"):
            pstats.Stats(prof).sort_stats(key).print_stats(profile)


def page_bench(config: Path, path: str, n: int, profile: int = 0) -> None:
    inline_threadpool()
    from disclosure.settings import load_settings
    from disclosure.web.app import create_app

    app = create_app(load_settings(config), today=lambda: bench_web.TODAY)
    call = asgi_caller(app)

    def cookie_of(r: dict) -> tuple[bytes, bytes]:  # type: ignore[type-arg]
        cookies = [v.split(b";")[0] for k, v in r["headers"] if k == b"set-cookie"]
        value = next(c for c in cookies if c.startswith(b"disclosure_session="))
        return (b"cookie", value)

    async def main() -> None:
        r = await call("GET", "/login", [])
        token = re.search(rb'name="csrf_token" value="([^"]+)"', r["body"]).group(1)  # type: ignore[union-attr]
        form = b"username=clerk&password=" + bench_web.PASSWORD.encode() + b"&csrf_token=" + token
        kind = (b"content-type", b"application/x-www-form-urlencoded")
        r = await call("POST", "/login", [cookie_of(r), kind], form)
        assert r["status"] == 303, r["status"]
        cookie = cookie_of(r)
        for _ in range(50):
            assert (await call("GET", path, [cookie]))["status"] == 200

        async def get(_i: int) -> None:
            await call("GET", path, [cookie])

        await measure(f"GET {path}", n, get, profile)

    asyncio.run(main())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--keep", help="folder for the database (reused if it holds one)")
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--postgres", action="store_true", help=f"database {PG_NAME} on :5432")
    ap.add_argument("--profile", type=int, default=0, help="print the top N of a cProfile")
    ap.add_argument("--paths", default="/applications,/applications?overdue=1")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        config = folder / "config.toml"
        marker = folder / ("populated-pg" if args.postgres else "bench.db")
        if not marker.exists():
            url = _fresh_postgres() if args.postgres else None
            bench_web.populate(bench_web._config(folder, 8000, url), args.rows)
            if args.postgres:
                marker.write_text(str(args.rows))
        rows_bench(config)
        for path in args.paths.split(","):
            page_bench(config, path, args.requests, args.profile)


PG_NAME = "bench_inprocess"


def _fresh_postgres() -> str:
    """The URL of database `PG_NAME`, (re)created empty (kept for the next run)."""
    from sqlalchemy import create_engine

    admin = create_engine(bench_web.PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        conn.exec_driver_sql(f"CREATE DATABASE {PG_NAME}")
    admin.dispose()
    return bench_web.PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_NAME


if __name__ == "__main__":
    main()
