"""Process tuning for the server command (`disclosure serve` / `office`), not for tests.

`tune_process(engine)` runs once when uvicorn starts the app (`create_app(on_start=…)`):
- AnyIO's thread pool is capped at the engine's pool size: sync routes and dependencies run
  there (40 threads by default); more threads than pooled connections only open and close
  overflow connections (on SQLite each repeats its PRAGMAs) and contend for the GIL, while
  requests beyond the cap wait for a thread, which is cheaper.
- Everything built by then (modules, compiled templates, SQL caches) lives as long as the
  process: `gc.freeze()` keeps it out of the cyclic collector's full passes, which otherwise
  walk it all and stall every request in flight.
Measured in docs/bench-notes/web.md (`bench/bench_web.py`, which runs the real server).
"""

from __future__ import annotations

import gc

import anyio.to_thread
from sqlalchemy import Engine


def tune_process(engine: Engine) -> None:
    size = getattr(engine.pool, "size", None)
    if callable(size):
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = max(2, min(limiter.total_tokens, int(size())))
    gc.collect()
    gc.freeze()
