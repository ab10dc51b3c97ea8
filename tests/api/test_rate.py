"""Rate limit per token, counted in the database: every server process sees one count."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import httpx2 as httpx
import pytest
from sqlalchemy import Engine

from disclosure.api.rate import RateLimited, hit
from disclosure.api.tokens import add_token
from disclosure.db import transaction
from disclosure.settings import Settings
from disclosure.web.app import create_app
from tests.api.conftest import API, CREATED, Api
from tests.web.conftest import TODAY
from tests.web.test_edge import real_server


def _token(engine: Engine, name: str, rate: int) -> tuple[int, str]:
    with transaction(engine) as session:
        row, secret = add_token(
            session, name=name, rate_per_minute=rate, actor="admin", now=CREATED
        )
        assert row.id is not None
        return row.id, secret


def test_the_count_is_per_token_and_minute(engine: Engine) -> None:
    a, _ = _token(engine, "a", 3)
    b, _ = _token(engine, "b", 3)
    t = datetime(2026, 3, 5, 2, 0, 10, tzinfo=UTC)
    assert [hit(engine, token_id=a, limit=3, now=t) for _ in range(3)] == [1, 2, 3]
    with pytest.raises(RateLimited) as refused:
        hit(engine, token_id=a, limit=3, now=t.replace(second=50))
    assert refused.value.retry_after == 11  # 10 s to 02:01:00, rounded up
    assert hit(engine, token_id=b, limit=3, now=t) == 1  # another token: its own count
    assert hit(engine, token_id=a, limit=3, now=t.replace(minute=1)) == 1  # a new minute


def test_two_servers_on_one_database_share_the_count(
    api: Api, settings: Settings, engine: Engine
) -> None:
    _id, secret = _token(engine, "busy", 5)
    second = create_app(settings, engine, today=lambda: TODAY)
    if datetime.now(UTC).second >= 50:  # stay inside one minute window
        time.sleep(61 - datetime.now(UTC).second)
    headers = {"Authorization": f"Bearer {secret}"}
    with real_server(second) as port:
        bases = [api.base, f"http://127.0.0.1:{port}"]
        answers = [
            httpx.get(bases[i % 2] + API + "/calendar", headers=headers).status_code
            for i in range(5)
        ]
        assert answers == [200] * 5
        for base in bases:
            r = httpx.get(base + API + "/calendar", headers=headers)
            assert r.status_code == 429, r.text
            assert r.headers["content-type"] == "application/problem+json"
            assert 1 <= int(r.headers["retry-after"]) <= 60
    other = api.as_("calm")  # other tokens are not affected
    assert other.get("/calendar").status_code == 200
