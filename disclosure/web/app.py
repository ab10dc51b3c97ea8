"""The application factory. Nothing is built at import time: call `create_app(settings)`."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from starlette.middleware.sessions import SessionMiddleware

from disclosure.clock import today_in
from disclosure.services.office import OfficeCache
from disclosure.settings import Settings
from disclosure.web import errors, filters
from disclosure.web.deps import csrf_guard
from disclosure.web.keepalive import KeepAliveLimit
from disclosure.web.security import LoginThrottle, secret_key

HERE = Path(__file__).parent
SESSION_MAX_AGE = 8 * 3600  # one working day


@dataclass
class WebState:
    """What every request needs; kept on `app.state.web`."""

    settings: Settings
    engine: Engine
    templates: Jinja2Templates
    throttle: LoginThrottle
    clock: Callable[[], date]
    owns_engine: bool
    offices: OfficeCache

    def today(self) -> date:
        return self.clock()


def create_app(
    settings: Settings,
    engine: Engine | None = None,
    *,
    today: Callable[[], date] | None = None,
) -> FastAPI:
    """Build the web app. Without `engine`, one is made (and migrated) from `settings`.

    `today` replaces the office clock (tests, demonstrations).
    """
    owns = engine is None
    if engine is None:
        from disclosure.db import make_engine
        from disclosure.services.setup import ensure_database

        engine = make_engine(settings)
        ensure_database(engine, settings)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.auto_reload = False  # compile each template once, no stat() per request
    filters.install(templates.env)
    state = WebState(
        settings=settings,
        engine=engine,
        templates=templates,
        throttle=LoginThrottle(settings.web.login_attempts, settings.web.login_window_seconds),
        clock=today or (lambda: today_in(settings.office.timezone)),
        owns_engine=owns,
        offices=OfficeCache(settings),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        _limit_threads(engine)
        # Everything built so far (modules, compiled templates, SQL caches) lives as long as
        # the process: keep it out of the cyclic collector's full passes, which otherwise
        # walk it all and stall every request in flight (CPython's gc.freeze).
        gc.collect()
        gc.freeze()
        yield
        if state.owns_engine:
            state.engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="政府信息公开申请办理",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf_guard)],
    )
    app.state.web = state
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key(settings),
        session_cookie="disclosure_session",
        max_age=SESSION_MAX_AGE,
        same_site="lax",
    )
    app.add_middleware(KeepAliveLimit, limit=settings.web.keepalive_requests)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    errors.install(app)

    from disclosure.web.routes import admin, applications, auth, calendar, dashboard, exports

    for module in (auth, dashboard, applications, exports, admin, calendar):
        app.include_router(module.router)
    return app


def _limit_threads(engine: Engine) -> None:
    """Run at most as many sync routes at once as the engine keeps pooled connections.

    Sync routes and dependencies run in AnyIO's thread pool (40 threads by default). More
    threads than pooled connections only open and close overflow connections (on SQLite each
    new connection repeats its PRAGMAs) and contend for the GIL; requests beyond the limit
    wait for a thread instead, which is cheaper.
    """
    size = getattr(engine.pool, "size", None)
    if callable(size):
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = max(2, min(limiter.total_tokens, int(size())))


def create_app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` (several worker processes: `disclosure serve --workers`).

    Each worker process calls it once: settings from $DISCLOSURE_CONFIG (or ./config.toml),
    its own engine. The database is already migrated by the parent `serve` command.
    """
    from disclosure.settings import load_settings

    return create_app(load_settings())
