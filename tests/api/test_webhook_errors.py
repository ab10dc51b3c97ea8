"""A failing webhook's 最近错误 in words a clerk reads — a real subscriber on 127.0.0.1 that
answers 500, a closed port, and one that does not answer in time — on the admins' page, in
`disclosure webhook list` and in its --json."""

from __future__ import annotations

import http.server
import json
import socket
import threading
import urllib.error
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from disclosure.api import webhooks
from disclosure.api.webhooks import add_webhook, deliver_due, describe_error, list_webhooks
from disclosure.db import transaction
from disclosure.services.office import Office
from tests.notifier.conftest import free_port
from tests.ops.conftest import TODAY, register

T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


@pytest.fixture
def slow_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A subscriber that accepts the request and answers only after the (shortened) timeout."""
    monkeypatch.setattr(webhooks, "TIMEOUT", 1)
    release = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            release.wait(5)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            pass

    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}/slow/hook"
    release.set()
    server.shutdown()
    server.server_close()


def _fail_all(engine: Engine, office: Office, receiver_url: str, slow_url: str) -> dict[str, str]:
    closed = free_port()  # nothing listens there: the connection is refused
    with transaction(engine) as session:
        add_webhook(session, name="err500", url=receiver_url, actor="admin", now=T0)
        add_webhook(
            session, name="refused", url=f"http://127.0.0.1:{closed}/x", actor="admin", now=T0
        )
        add_webhook(session, name="slow", url=slow_url, actor="admin", now=T0)
    register(engine, office)
    done = deliver_due(engine, office=office, today=TODAY, now=T0)
    assert done.delivered == 0 and done.retrying == done.queued > 0
    with transaction(engine, write=False) as session:
        errors = {w["name"]: w["last_error"] for w in list_webhooks(session)}
    assert errors["err500"] == "对方返回 HTTP 500（应为 2xx）：http://127.0.0.1:{}/…".format(
        receiver_url.split(":")[2].split("/")[0]
    )
    assert errors["refused"] == f"无法连接（拒绝连接）：http://127.0.0.1:{closed}/…"
    assert errors["slow"].startswith("超时（1 秒内无应答）：http://127.0.0.1:")
    for text in errors.values():
        assert "urlopen" not in text and "Errno" not in text and "timed out" not in text
    return errors


def test_last_errors_read_in_chinese_on_the_page(  # type: ignore[no-untyped-def]
    engine: Engine, office: Office, receiver, slow_url: str, client_for
) -> None:
    receiver.fail_next = 100
    errors = _fail_all(engine, office, receiver.url, slow_url)
    page = client_for("admin").get("/admin/tokens").text
    for text in errors.values():
        assert f"<td>{text}</td>" in page
    assert "Connection refused" not in page and "urlopen" not in page


def test_last_errors_read_in_chinese_in_the_cli(  # type: ignore[no-untyped-def]
    engine: Engine, office: Office, receiver, slow_url: str, cli
) -> None:
    receiver.fail_next = 100
    errors = _fail_all(engine, office, receiver.url, slow_url)
    listed = json.loads(cli("webhook", "list", "--json").stdout)
    assert {r["name"]: r["last_error"] for r in listed} == errors
    shown = cli("webhook", "list").stdout
    assert _column(shown, "名称", "最近错误") == {
        name: text.replace(" ", "") for name, text in errors.items()
    }
    assert "Connection refused" not in shown and "urlopen" not in shown


def _column(table: str, key: str, wanted: str) -> dict[str, str]:
    """One column of a rich table by the key column, its folded lines joined (spaces dropped)."""
    lines = [line.split("│")[1:-1] for line in table.splitlines()]
    head = next(line for line in table.splitlines() if key in line).split("┃")[1:-1]
    k, w = ([c.strip() for c in head].index(x) for x in (key, wanted))
    out: dict[str, str] = {}
    name = ""
    for cells in (c for c in lines if c):
        name = cells[k].strip() or name
        out[name] = out.get(name, "") + cells[w].strip().replace(" ", "")
    return out


def test_other_failures_are_named_too() -> None:
    url = "https://oa.example.gov.cn/hooks/disclosure?key=1"
    dns = urllib.error.URLError(socket.gaierror(-2, "Name or service not known"))
    assert describe_error(dns, url) == "地址无法解析（oa.example.gov.cn）"
    reset = ConnectionResetError(104, "Connection reset by peer")
    assert describe_error(reset, url) == "连接被对方中断（未收到应答）：https://oa.example.gov.cn/…"
    assert describe_error(webhooks.HttpStatus(302), "http://h:1/").startswith("对方返回 HTTP 302")
    assert describe_error(ValueError("unknown url type"), "x").startswith("地址无效")
    assert len(describe_error(OSError(5, "x"), "http://h/" + "a" * 900)) <= 500
    # An error stored in English before this still reads as a failure, not as bare English.
    assert webhooks._older_error("<urlopen error timed out>").startswith("发送失败（")
    assert webhooks._older_error("超时（10 秒内无应答）") == "超时（10 秒内无应答）"
