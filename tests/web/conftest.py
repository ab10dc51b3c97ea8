"""Web fixtures: the app on this test's database, signed-in clients per role."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from disclosure.db import transaction
from disclosure.services.users import create_user
from disclosure.settings import Settings
from disclosure.web.app import create_app
from tests.conftest import NOW

TODAY = date(2026, 3, 5)
PASSWORD = "correct-horse-1"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Argon2 with small parameters: the same code path, a fraction of the time."""
    from argon2 import PasswordHasher

    from disclosure.services import users as user_svc

    fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(user_svc, "_HASHER", fast)
    user_svc._dummy_hash.cache_clear()
    yield
    user_svc._dummy_hash.cache_clear()


@pytest.fixture
def users(engine: Engine) -> dict[str, str]:
    """admin, clerk, and one handler per department (zcfg, hbc)."""
    made = {"admin": "admin", "clerk": "clerk", "zcfg_user": "department", "hbc_user": "department"}
    with transaction(engine) as session:
        for name, role in made.items():
            create_user(
                session,
                username=name,
                password=PASSWORD,
                role=role,
                department=name.split("_")[0] if role == "department" else None,
                now=NOW,
            )
    return made


@pytest.fixture
def web_app(settings: Settings, engine: Engine, users: dict[str, str]):  # type: ignore[no-untyped-def]
    settings.web.secret_key = "test-secret-key"
    return create_app(settings, engine, today=lambda: TODAY)


@pytest.fixture
def client_for(web_app) -> Iterator[Callable[[str | None], TestClient]]:  # type: ignore[no-untyped-def]
    """`client_for("clerk")` → a TestClient signed in as that user (None = anonymous)."""
    made: list[TestClient] = []

    def make(username: str | None) -> TestClient:
        client = TestClient(web_app, follow_redirects=False)
        made.append(client)
        if username is not None:
            page = client.get("/login")
            r = client.post(
                "/login",
                data={"username": username, "password": PASSWORD, "csrf_token": csrf_of(page.text)},
            )
            assert r.status_code == 303, r.text
        return client

    yield make
    for c in made:
        c.close()


def post_form(client: TestClient, page_url: str, url: str, data: dict) -> object:
    """GET `page_url` for a CSRF token, then POST `data` with it to `url`."""
    token = csrf_of(client.get(page_url).text)
    return client.post(url, data={**data, "csrf_token": token})


def register(client: TestClient, **fields: str) -> str:
    """Register through the form; returns the new application number. Many tests register
    the same application twice: asked about it, 仍然登记 is ticked unless `again=""`."""
    data = {
        "channel": "in_person",
        "received": "2026-03-02",
        "applicant": "张三",
        "applicant_type": "natural",
        "content": "2025年某河道水质监测报告",
    }
    data.update(fields)
    tick = data.pop("again", "1")
    r = post_form(client, "/applications/new", "/applications/new", data)
    asked = re.search(r'name="again" value="([^"]+)"', r.text)  # type: ignore[attr-defined]
    if r.status_code == 409 and tick and asked:  # type: ignore[attr-defined]
        r = post_form(client, "/applications/new", "/applications/new", {**data, "again": asked[1]})
    day = re.search(r'name="day_ok" value="([^"]+)"', r.text)  # type: ignore[attr-defined]
    if r.status_code == 409 and day:  # type: ignore[attr-defined]  # a closed day, confirmed
        data = {**data, "day_ok": day[1], **({"again": asked[1]} if tick and asked else {})}
        r = post_form(client, "/applications/new", "/applications/new", data)
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    return r.headers["location"].rsplit("/", 1)[1]  # type: ignore[attr-defined]
