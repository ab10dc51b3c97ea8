"""API fixtures: the web app (with the API mounted) under a real uvicorn server, tokens, and an
httpx client per token. Every test runs on SQLite and on PostgreSQL (`db_url`)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx2 as httpx
import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from disclosure.api.tokens import add_token
from disclosure.db import transaction
from disclosure.models import Application, EventRecord
from disclosure.settings import Settings
from disclosure.web.app import create_app
from tests.notifier.conftest import free_port
from tests.web.conftest import (  # noqa: F401  (the web pages' fixtures: test_tokens_web)
    TODAY,
    cheap_hashes,
    client_for,
    users,
    web_app,
)
from tests.web.test_edge import real_server

API = "/api/v1"
CREATED = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)


def application_body(**fields: object) -> dict[str, object]:
    body: dict[str, object] = {
        "channel": "online",
        "received": "2026-03-02",
        "applicant": "张三",
        "applicant_type": "natural",
        "content": "2025年某河道水质监测报告",
    }
    body.update(fields)
    return body


@dataclass
class Api:
    """The running server and a way to mint tokens and clients for it."""

    base: str
    engine: Engine
    clients: list[httpx.Client]

    def token(self, name: str, scope: str = "write", department: str | None = None) -> str:
        with transaction(self.engine) as session:
            _row, secret = add_token(
                session, name=name, scope=scope, department=department, actor="admin", now=CREATED
            )
        return secret

    def client(self, secret: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        c = httpx.Client(base_url=self.base + API, headers=headers, timeout=30)
        self.clients.append(c)
        return c

    def as_(self, name: str, scope: str = "write", department: str | None = None) -> httpx.Client:
        return self.client(self.token(name, scope, department))

    def counts(self) -> tuple[int, int]:
        """(applications, events) in the database: what an error must leave unchanged."""
        with transaction(self.engine, write=False) as session:
            apps = session.exec(select(func.count()).select_from(Application)).one()
            events = session.exec(select(func.count()).select_from(EventRecord)).one()
        return int(apps), int(events)


@pytest.fixture
def api(settings: Settings, engine: Engine) -> Iterator[Api]:
    settings.web.secret_key = "test-secret-key"
    app = create_app(settings, engine, today=lambda: TODAY)
    with real_server(app) as port:
        made = Api(f"http://127.0.0.1:{port}", engine, [])
        yield made
        for c in made.clients:
            c.close()


@pytest.fixture
def platform(api: Api) -> httpx.Client:
    """A read-write token for every department, named like the provincial platform's."""
    return api.as_("platform")


Push = Callable[..., httpx.Response]


@pytest.fixture
def push(platform: httpx.Client) -> Push:
    def send(**fields: object) -> httpx.Response:
        return platform.post("/applications", json=application_body(**fields))

    return send


@dataclass
class Receiver:
    url: str
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    fail_next: int = 0  # answer this many requests with 500


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    port = free_port()
    made = Receiver(f"http://127.0.0.1:{port}/hook")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if made.fail_next > 0:
                made.fail_next -= 1
                self.send_response(500)
            else:
                made.received.append((dict(self.headers.items()), body))
                self.send_response(204)
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield made
    server.shutdown()
    server.server_close()
