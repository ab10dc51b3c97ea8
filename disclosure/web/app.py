"""The application factory. Nothing is built at import time: call `create_app(settings)`."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from starlette.middleware.sessions import SessionMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from disclosure.api.app import PREFIX as API_PREFIX
from disclosure.api.app import create_api
from disclosure.clock import today_in
from disclosure.services.office import OfficeCache
from disclosure.services.throttle import ThrottlePolicy
from disclosure.settings import Settings, load_settings
from disclosure.web import errors, filters
from disclosure.web.deps import csrf_guard
from disclosure.web.edge import RequestGate
from disclosure.web.headers import SecurityHeaders
from disclosure.web.keepalive import KeepAliveLimit
from disclosure.web.listing import ListedCache
from disclosure.web.routes import (
    account,
    admin,
    annual,
    applicants,
    applications,
    approvals,
    audit,
    auth,
    calendar,
    dashboard,
    departments,
    documents,
    exports,
    health,
    register,
    reviews,
    tasks,
    tokens,
)
from disclosure.web.security import secret_key
from disclosure.web.server import tune_process
from disclosure.web.state import WebState

HERE = Path(__file__).parent


def create_app(
    settings: Settings,
    engine: Engine | None = None,
    *,
    today: Callable[[], date] | None = None,
    on_start: Callable[[Engine], None] | None = None,
) -> FastAPI:
    """Build the web app. Without `engine`, one is made (and migrated) from `settings`.

    `today` replaces the office clock (tests, demonstrations); `on_start` runs once when the
    server starts the app (the server command tunes the process there: `web.server`).
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
        if on_start is not None:
            on_start(engine)
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
    app.mount(API_PREFIX, create_api(state))  # the JSON API: its own errors and token auth
    errors.install(app)

    for module in (
        # register's /applications/new before applications' /applications/{number}
        auth, dashboard, register, applications, documents, exports, admin, audit, tasks,
        annual, calendar, approvals, account, applicants, reviews, tokens, departments, health,
    ):  # fmt: skip
        app.include_router(module.router)
    return app


def session_cookie_name(https: bool) -> str:
    """`__Host-` over HTTPS: the browser then insists on Secure, path / and no Domain."""
    return "__Host-disclosure_session" if https else "disclosure_session"


def create_app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` (several worker processes: `disclosure serve --workers`).

    Each worker process calls it once: settings from $DISCLOSURE_CONFIG (or ./config.toml),
    its own engine. The database is already migrated by the parent `serve` command.
    """
    return create_app(load_settings(), on_start=tune_process)
