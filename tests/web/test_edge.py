"""The edge of the web service: security headers on every answer, and the request gate
checked against a real uvicorn server with real large requests."""

from __future__ import annotations

import select
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from disclosure.cli.web_cmds import UVICORN_OPTIONS
from disclosure.settings import Settings
from disclosure.web.app import create_app
from disclosure.web.headers import CSP
from tests.web.conftest import PASSWORD, TODAY, csrf_of

MB = 1024 * 1024


def _app(settings: Settings, engine):  # type: ignore[no-untyped-def]
    settings.web.secret_key = "test-secret-key"
    return create_app(settings, engine, today=lambda: TODAY)


@pytest.mark.parametrize("url", ["/login", "/", "/applications", "/admin/audit", "/nope"])
def test_security_headers_on_every_page(client_for, url: str) -> None:  # type: ignore[no-untyped-def]
    admin = client_for("admin")
    r = admin.get(url)
    assert r.headers["content-security-policy"] == CSP
    assert "frame-ancestors 'none'" in CSP and "script-src 'self'" in CSP
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "same-origin"
    assert r.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in r.headers  # plain HTTP: no HSTS


def test_static_files_may_be_cached_and_downloads_may_not(client_for) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    assert "no-store" not in clerk.get("/static/style.css").headers.get("cache-control", "")
    r = clerk.get("/exports/ledger.xlsx")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"


def test_hsts_over_https(settings, engine, users) -> None:  # type: ignore[no-untyped-def]
    settings.web.https = True
    with TestClient(_app(settings, engine), base_url="https://testserver") as client:
        assert client.get("/login").headers["strict-transport-security"] == "max-age=31536000"


@contextmanager
def real_server(app) -> Iterator[int]:  # type: ignore[no-untyped-def]
    """The app under uvicorn on a free port, with the options `disclosure serve` uses."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **UVICORN_OPTIONS))
    server.config.log_level = "warning"
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _signed_in_cookie(app, username: str) -> str:  # type: ignore[no-untyped-def]
    with TestClient(app, follow_redirects=False) as client:
        page = client.get("/login")
        r = client.post(
            "/login",
            data={"username": username, "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        )
        assert r.status_code == 303
        return f"disclosure_session={client.cookies['disclosure_session']}"


def _upload(
    port: int, path: str, *, declared: int | None, send: int, cookie: str = ""
) -> tuple[bytes, int]:
    """POST a multipart upload of `send` bytes; returns (the response head, bytes sent before
    the answer came). Stops sending as soon as the server answers."""
    head = [
        f"POST {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Content-Type: multipart/form-data; boundary=XyZ",
    ]
    head.append(
        f"Content-Length: {declared}" if declared is not None else "Transfer-Encoding: chunked"
    )
    if cookie:
        head.append(f"Cookie: {cookie}")
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sent = 0
    answer = b""
    try:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        preamble = (
            b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.toml"\r\n\r\n'
        )
        chunk = preamble + b"x" * (256 * 1024 - len(preamble))
        while sent < send:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            piece = chunk if sent == 0 else b"x" * len(chunk)
            data = piece if declared is not None else b"%x\r\n%s\r\n" % (len(piece), piece)
            try:
                sock.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(piece)
        sock.settimeout(30)
        while b"\r\n\r\n" not in answer:
            block = sock.recv(65536)
            if not block:
                break
            answer += block
    finally:
        sock.close()
    return answer.split(b"\r\n\r\n", 1)[0], sent


@pytest.fixture
def spool(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Where the server would spool uploaded files (python-multipart uses tempfile)."""
    folder = tmp_path / "spool"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_an_anonymous_200_mb_upload_is_refused_before_it_is_read(
    settings, engine, users, spool: Path
) -> None:  # type: ignore[no-untyped-def]
    settings.web.max_request_mb = 1024  # so that only the sign-in check can refuse it
    app = _app(settings, engine)
    with real_server(app) as port:
        head, sent = _upload(port, "/calendar/preview", declared=200 * MB, send=200 * MB)
    assert head.startswith(b"HTTP/1.1 303"), head
    assert b"location: /login" in head.lower() and b"connection: close" in head.lower()
    assert sent < 16 * MB  # answered at once: nothing like 200 MB went over the wire
    assert list(spool.iterdir()) == []  # and nothing was spooled


def test_a_chunked_anonymous_upload_is_refused_too(settings, engine, users, spool: Path) -> None:  # type: ignore[no-untyped-def]
    app = _app(settings, engine)
    with real_server(app) as port:
        head, sent = _upload(port, "/calendar/preview", declared=None, send=200 * MB)
    assert head.startswith(b"HTTP/1.1 303"), head
    assert sent < 16 * MB and list(spool.iterdir()) == []


def test_request_size_limits_for_signed_in_users(settings, engine, users, spool: Path) -> None:  # type: ignore[no-untyped-def]
    settings.web.max_request_mb = 2
    app = _app(settings, engine)
    cookie = _signed_in_cookie(app, "admin")
    with real_server(app) as port:
        head, sent = _upload(
            port, "/calendar/preview", declared=50 * MB, send=50 * MB, cookie=cookie
        )
        assert head.startswith(b"HTTP/1.1 413"), head
        assert sent < 16 * MB
        head, sent = _upload(port, "/calendar/preview", declared=None, send=50 * MB, cookie=cookie)
        assert head.startswith(b"HTTP/1.1 413"), head
        assert sent < 16 * MB
    assert list(spool.iterdir()) == []  # what was spooled (at most the limit) is gone


def test_the_login_form_has_a_small_body_limit(client_for) -> None:  # type: ignore[no-untyped-def]
    anon = client_for(None)
    r = anon.post("/login", content=b"username=" + b"a" * (100 * 1024),
                  headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert r.status_code == 413


def test_a_bad_content_length_is_refused(client_for) -> None:  # type: ignore[no-untyped-def]
    from disclosure.web.edge import RequestGate

    assert RequestGate  # the gate answers before the app sees the request
    anon = client_for(None)
    r = anon.post("/login", content=b"x=1", headers={"content-length": "abc"})
    assert r.status_code in (400, 413)


def test_uvicorn_does_not_trust_forwarded_for_from_localhost(settings, engine, users) -> None:  # type: ignore[no-untyped-def]
    """`disclosure serve` on 127.0.0.1: a rotating X-Forwarded-For is still one address."""
    from sqlmodel import select

    from disclosure.db import transaction
    from disclosure.ops.models import AuditEntry

    settings.web.address_attempts = 4
    app = _app(settings, engine)
    with real_server(app) as port:
        statuses = [_raw_login(port, f"guess{i}", "wrong", f"203.0.113.{i}") for i in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    with transaction(engine, write=False) as session:
        seen = set(session.exec(select(AuditEntry.address).where(AuditEntry.address != "")))
    assert seen == {"127.0.0.1"}


def _raw_login(port: int, username: str, password: str, forwarded: str) -> int:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", "/login", headers={"X-Forwarded-For": forwarded})
        page = conn.getresponse()
        cookie = page.getheader("set-cookie", "").split(";", 1)[0]
        token = csrf_of(page.read().decode())
        body = f"username={username}&password={password}&csrf_token={token}"
        conn.request(
            "POST",
            "/login",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "X-Forwarded-For": forwarded,
            },
        )
        answer = conn.getresponse()
        answer.read()
        return answer.status
    finally:
        conn.close()
