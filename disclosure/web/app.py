"""The application factory. Nothing is built at import time: call `create_app(settings)`."""

from __future__ import annotations

import gc
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from starlette.middleware.sessions import SessionMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from disclosure.clock import today_in
from disclosure.services.office import OfficeCache
from disclosure.services.throttle import ThrottlePolicy
from disclosure.settings import Settings
from disclosure.web import errors, filters
from disclosure.web.deps import csrf_guard
from disclosure.web.edge import RequestGate
from disclosure.web.headers import SecurityHeaders
from disclosure.web.keepalive import KeepAliveLimit
from disclosure.web.listing import ListedCache
from disclosure.web.security import secret_key

HERE = Path(__file__).parent


@dataclass
class WebState:
    """What every request needs; kept on `app.state.web`."""

    settings: Settings
    engine: Engine
    templates: Jinja2Templates
    throttle: ThrottlePolicy
    clock: Callable[[], date]
    owns_engine: bool
    offices: OfficeCache
    rows: ListedCache
    secret: str
    sign_ins: threading.BoundedSemaphore  # password checks running at once (services.passwords)

    @property
    def session_lifetime(self) -> timedelta:
        return timedelta(hours=self.settings.web.session_hours)

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
    filters.install(templates.env, timezone=settings.office.timezone)
    web = settings.web
    key = secret_key(settings)
    state = WebState(
        settings=settings,
        engine=engine,
        templates=templates,
        throttle=ThrottlePolicy(
            attempts=web.login_attempts,
            address_attempts=web.address_attempts,
            window=timedelta(seconds=web.login_window_seconds),
        ),
        clock=today or (lambda: today_in(settings.office.timezone)),
        owns_engine=owns,
        offices=OfficeCache(settings),
        rows=ListedCache(),
        secret=key,
        sign_ins=threading.BoundedSemaphore(web.concurrent_sign_ins),
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
    # Added innermost first. The gate reads the session the session middleware decoded; the
    # proxy middleware (only with `[web] trusted_proxies`) sets the client address and scheme
    # from X-Forwarded-For/-Proto of those proxies; the keep-alive limit counts the real
    # connection; the security headers go on every response.
    app.add_middleware(RequestGate, engine=engine, max_body=web.max_request_mb * 1024 * 1024)
    app.add_middleware(
        SessionMiddleware,
        secret_key=key,
        session_cookie=session_cookie_name(web.https),
        max_age=web.idle_minutes * 60,
        same_site="lax",
        https_only=web.https,
    )
    if web.trusted_proxies:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(web.trusted_proxies))
    app.add_middleware(KeepAliveLimit, limit=web.keepalive_requests)
    app.add_middleware(SecurityHeaders, https=web.https)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    errors.install(app)

    from disclosure.web.routes import (
        admin,
        annual,
        applications,
        audit,
        auth,
        dashboard,
        documents,
        exports,
        tasks,
    )

    for module in (
        auth, dashboard, applications, documents, exports, admin, audit, tasks, annual
    ):  # fmt: skip
        app.include_router(module.router)
    return app


def session_cookie_name(https: bool) -> str:
    """`__Host-` over HTTPS: the browser then insists on Secure, path / and no Domain."""
    return "__Host-disclosure_session" if https else "disclosure_session"


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
