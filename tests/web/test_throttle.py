"""The login throttle in the database: shared by workers, kept across restarts, per account
and per address, known browsers never locked out, X-Forwarded-For only from trusted proxies;
the number of simultaneous password checks is bounded."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from disclosure.db import transaction
from disclosure.ops.models import AuditEntry
from disclosure.settings import Settings
from disclosure.web.app import create_app
from tests.web.conftest import PASSWORD, TODAY, csrf_of


def _app(settings: Settings, engine):  # type: ignore[no-untyped-def]
    settings.web.secret_key = "test-secret-key"
    return create_app(settings, engine, today=lambda: TODAY)


def _try(client: TestClient, username: str, password: str, **headers: str) -> int:
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        headers=headers,
    )
    return r.status_code


def test_failures_are_shared_by_workers_and_survive_a_restart(settings, engine, users) -> None:  # type: ignore[no-untyped-def]
    worker_a = TestClient(_app(settings, engine), follow_redirects=False)
    worker_b = TestClient(_app(settings, engine), follow_redirects=False)
    attempts = settings.web.login_attempts
    for i in range(attempts):
        assert _try(worker_a if i % 2 else worker_b, "clerk", "wrong") == 400
    assert _try(worker_a, "clerk", PASSWORD) == 429
    assert _try(worker_b, "clerk", PASSWORD) == 429
    restarted = TestClient(_app(settings, engine), follow_redirects=False)
    assert _try(restarted, "clerk", PASSWORD) == 429


def test_rotating_usernames_from_one_address_is_throttled(settings, engine, users) -> None:  # type: ignore[no-untyped-def]
    settings.web.address_attempts = 6
    client = TestClient(_app(settings, engine), follow_redirects=False)
    for i in range(6):
        assert _try(client, f"guess{i}", "wrong") == 400
    assert _try(client, "admin", PASSWORD) == 429  # the address is paused, for every account
    other = TestClient(_app(settings, engine), follow_redirects=False, client=("10.9.9.9", 5000))
    assert _try(other, "admin", PASSWORD) == 303  # another address is not


def test_a_known_browser_is_not_locked_out_by_others(settings, engine, users) -> None:  # type: ignore[no-untyped-def]
    app = _app(settings, engine)
    own = TestClient(app, follow_redirects=False)
    assert _try(own, "clerk", PASSWORD) == 303  # signed in once: the browser is known
    own.post("/logout", data={"csrf_token": csrf_of(own.get("/").text)})
    attacker = TestClient(app, follow_redirects=False)  # same shared office address
    for _ in range(settings.web.address_attempts):
        _try(attacker, "clerk", "guess")
    assert _try(attacker, "clerk", PASSWORD) == 429
    assert _try(own, "clerk", PASSWORD) == 303  # the real user, in their own browser
    own.post("/logout", data={"csrf_token": csrf_of(own.get("/").text)})
    # ...and the known browser has its own limit
    for _ in range(settings.web.login_attempts):
        assert _try(own, "clerk", "typo") == 400
    assert _try(own, "clerk", PASSWORD) == 429


def test_failures_and_locks_are_audited_with_the_address(settings, engine, users) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(_app(settings, engine), follow_redirects=False, client=("10.1.2.3", 4000))
    for _ in range(settings.web.login_attempts):
        _try(client, "clerk", "wrong")
    with transaction(engine, write=False) as session:
        rows = session.exec(select(AuditEntry).where(AuditEntry.actor == "clerk")).all()
    actions = [r.action for r in rows]
    assert actions.count("sign_in_failed") == settings.web.login_attempts
    assert actions.count("sign_in_locked") == 1
    assert {r.address for r in rows} == {"10.1.2.3"}


def test_forwarded_for_is_ignored_unless_from_a_trusted_proxy(settings, engine, users) -> None:  # type: ignore[no-untyped-def]
    settings.web.trusted_proxies = ["10.0.0.0/8"]
    app = _app(settings, engine)
    direct = TestClient(app, follow_redirects=False, client=("192.0.2.7", 5000))
    for i in range(settings.web.login_attempts):  # a new spoofed address each time
        assert _try(direct, "clerk", "wrong", **{"X-Forwarded-For": f"203.0.113.{i}"}) == 400
    assert _try(direct, "clerk", PASSWORD, **{"X-Forwarded-For": "203.0.113.200"}) == 429
    with transaction(engine, write=False) as session:
        seen = set(session.exec(select(AuditEntry.address)).all())
    assert "192.0.2.7" in seen and not any(a.startswith("203.0.113.") for a in seen)

    proxied = TestClient(app, follow_redirects=False, client=("10.0.0.5", 5000))
    assert _try(proxied, "admin", "wrong", **{"X-Forwarded-For": "198.51.100.9"}) == 400
    with transaction(engine, write=False) as session:
        last = session.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()  # type: ignore[union-attr]
    assert last is not None and last.address == "198.51.100.9"


def test_simultaneous_password_checks_are_bounded(settings, engine, users, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from disclosure.services import users as user_svc

    settings.web.concurrent_sign_ins = 2
    app = _app(settings, engine)
    running = 0
    peak = 0
    lock = threading.Lock()
    real = user_svc._HASHER

    class Counting:
        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(real, name)

        def verify(self, hashed: str, password: str) -> bool:
            nonlocal running, peak
            with lock:
                running += 1
                peak = max(peak, running)
            try:
                time.sleep(0.05)
                return real.verify(hashed, password)
            finally:
                with lock:
                    running -= 1

    monkeypatch.setattr(user_svc, "_HASHER", Counting())
    results: list[int] = []

    def sign_in(i: int) -> None:
        client = TestClient(app, follow_redirects=False, client=(f"10.7.0.{i}", 4000))
        results.append(_try(client, "clerk", PASSWORD))

    threads = [threading.Thread(target=sign_in, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert results == [303] * 8
    assert peak == 2


@pytest.mark.parametrize("password", ["", "x" * 300])
def test_odd_passwords_are_just_wrong(client_for, password: str) -> None:  # type: ignore[no-untyped-def]
    anon = client_for(None)
    assert _try(anon, "clerk", password) == 400
