"""The list page's CPU cost without HTTP: list items per row, and whole requests in-process.

    python bench/bench_list_inprocess.py                 # builds 100,000 applications first
    python bench/bench_list_inprocess.py --keep /tmp/webdb   # reuse/keep that folder

Prints µs per list row for `listing.list_item` (and its parts) and ms per request for
`GET /applications` driven straight through the ASGI app, with FastAPI's thread pool
replaced by inline calls (so only the app's own CPU is timed: no sockets, no thread hops).
The machine's speed varies between runs here; compare runs made minutes apart.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import time
from collections.abc import Callable
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
    from disclosure.web.listing import list_item

    settings = load_settings(config)
    engine = make_engine(settings)
    today = bench_web.TODAY
    with transaction(engine, write=False) as s:
        office = load_office(s, settings)
        deps = department_names(s)
        flt = ListFilter(open_only=True, limit=50)
        rows = list_application_rows(s, office=office, today=today, flt=flt)
    parts = {
        "list_item": lambda: [list_item(r, office, today, deps) for r in rows],
        "deadline_state": lambda: [deadline_state(r, today) for r in rows],  # type: ignore[arg-type]
        "working_days_left": lambda: [working_days_left(r, office, today) for r in rows],  # type: ignore[arg-type]
    }
    for name, fn in parts.items():
        print(f"{name:24} {per_call(fn, 200) / len(rows) * 1e6:7.2f} µs per row")
    engine.dispose()


def page_bench(config: Path, path: str, n: int) -> None:
    import fastapi.dependencies.utils
    import fastapi.routing
    import starlette.concurrency

    async def inline(func, *a, **kw):  # type: ignore[no-untyped-def]
        return func(*a, **kw)

    for module in (starlette.concurrency, fastapi.routing, fastapi.dependencies.utils):
        if hasattr(module, "run_in_threadpool"):
            module.run_in_threadpool = inline  # type: ignore[attr-defined]

    from disclosure.settings import load_settings
    from disclosure.web.app import create_app

    app = create_app(load_settings(config), today=lambda: bench_web.TODAY)

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
        t = time.perf_counter()
        for _ in range(n):
            await call("GET", path, [cookie])
        print(f"GET {path:22} {(time.perf_counter() - t) / n * 1000:7.2f} ms per request")

    asyncio.run(main())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--keep", help="folder for the database (reused if it holds one)")
    ap.add_argument("--requests", type=int, default=400)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        config = folder / "config.toml"
        if not (folder / "bench.db").exists():
            bench_web.populate(bench_web._config(folder, 8000), args.rows)
        rows_bench(config)
        for path in ("/applications", "/applications?overdue=1"):
            page_bench(config, path, args.requests)


if __name__ == "__main__":
    main()
