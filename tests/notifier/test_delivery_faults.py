"""Mail faults through a real aiosmtpd server: a slow reply to DATA, 451, 550, a dropped
connection, and a `notify --once` killed between the server's 250 and the database update."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine, make_url, select
from sqlmodel import Session

from disclosure.clock import now_utc
from disclosure.db import make_engine
from disclosure.services.setup import ensure_database
from disclosure.settings import Settings
from notifier.models import OutboxItem
from notifier.outbox import CLAIM_LEASE
from notifier.scan import run_once, run_retries
from tests.conftest import base_settings
from tests.notifier.conftest import NOW, free_port, register

RECEIVED = date(2026, 3, 2)
TODAY = date(2026, 3, 23)  # a Monday: reply due in 5 working days, internal target today
AT_0830 = datetime(2026, 3, 23, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai


@dataclass
class FaultHandler:
    """`delay` seconds before answering DATA; `reply` instead of 250; `drop` closes the
    connection without a reply; `on_data` runs before the 250 (the crash test's lock)."""

    delay: float = 0.0
    reply: str | None = None
    drop: bool = False
    on_data: Any = None
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if self.drop:
            server.transport.close()
            return "421 closing"
        if self.reply:
            return self.reply
        if self.on_data is not None:
            self.on_data()
        # Stored first, answered later: a gateway that queued the message, then is slow.
        msg = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(msg)  # type: ignore[arg-type]
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 OK"


@pytest.fixture
def fault_server() -> Iterator[tuple[int, FaultHandler]]:
    handler = FaultHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, handler
    finally:
        controller.stop()


def _settings(tmp_path: Path, db_url: str, port: int, **smtp: float) -> Settings:
    return base_settings(
        tmp_path,
        db_url,
        smtp={"host": "127.0.0.1", "port": port, "sender": "gk@example.gov.cn", **smtp},
    )


def _one_case(settings: Settings) -> Engine:
    """A migrated database with one application without a department: the office's digest
    is the only e-mail (two reminders: reply due in 5 days, internal target today)."""
    engine = make_engine(settings)
    ensure_database(engine, settings)
    register(engine, settings, received=RECEIVED, department=None)
    return engine


def _rows(engine: Engine) -> list[OutboxItem]:
    with Session(engine) as s:
        return list(s.scalars(select(OutboxItem).order_by(OutboxItem.id)))  # type: ignore[arg-type]


def test_slow_reply_to_data_waits_for_the_data_timeout_not_the_command_timeout(
    tmp_path: Path, db_url: str, fault_server: tuple[int, FaultHandler]
) -> None:
    port, handler = fault_server
    # Commands time out after 0.5 s; the reply to the end of DATA may take 4 s (the scaled
    # RFC 5321 pair: the old client used one 15 s timeout for everything).
    settings = _settings(tmp_path, db_url, port, timeout=0.5, data_timeout=4.0)
    handler.delay = 1.5
    engine = _one_case(settings)
    try:
        started = time.monotonic()
        result = run_once(engine, settings, now=AT_0830, today=TODAY)
        took = time.monotonic() - started
        again = run_once(engine, settings, now=AT_0830 + timedelta(hours=1), today=TODAY)
        rows = _rows(engine)
    finally:
        engine.dispose()
    assert (result.sent, result.messages, result.retry, result.failed) == (2, 1, 0, 0), result
    assert took >= 1.5 and again.sent == 0
    assert len(handler.messages) == 1  # no duplicate
    assert all(r.status == "sent" and r.last_attempt_at is not None for r in rows)


def test_a_reply_later_than_the_data_timeout_is_retried_with_the_same_message_id(
    tmp_path: Path, db_url: str, fault_server: tuple[int, FaultHandler]
) -> None:
    port, handler = fault_server
    settings = _settings(tmp_path, db_url, port, timeout=5.0, data_timeout=0.5)
    handler.delay = 1.5  # the server accepts the message after the client gave up
    engine = _one_case(settings)
    try:
        first = run_once(engine, settings, now=AT_0830, today=TODAY)
        time.sleep(1.5)  # the server stores the first copy
        handler.delay = 0
        retried = run_retries(engine, settings, now=AT_0830 + timedelta(minutes=6))
    finally:
        engine.dispose()
    assert (first.sent, first.retry) == (0, 2) and "超时" in first.errors[0], first
    assert retried is not None and (retried.sent, retried.messages) == (2, 1)
    assert len(handler.messages) == 2
    ids = {str(m["Message-ID"]) for m in handler.messages}
    assert len(ids) == 1 and ids.pop().startswith("<reminder.")


@pytest.mark.parametrize(("mode", "expect_retry"), [("451", True), ("drop", True), ("550", False)])
def test_failed_deliveries_make_notify_once_fail_with_one_chinese_line(
    tmp_path: Path,
    db_url: str,
    fault_server: tuple[int, FaultHandler],
    mode: str,
    expect_retry: bool,
) -> None:
    port, handler = fault_server
    if mode == "drop":
        handler.drop = True
    else:
        handler.reply = f"{mode} 4.3.0 Try again later" if mode == "451" else "550 5.1.1 No"
    settings = _settings(tmp_path, db_url, port)
    _one_case(settings).dispose()
    proc = _notify_once(tmp_path, db_url, port)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 7, (out, err)
    lines = [line for line in err.decode().splitlines() if line.startswith("错误")]
    assert len(lines) == 1 and "Traceback" not in err.decode()
    assert "2 条提醒未能发出" in lines[0]
    assert ("自动重试" in lines[0]) is expect_retry and ("不再重试" in lines[0]) is not expect_retry
    logged = err.decode()
    assert "delivery to office@example.gov.cn failed" in logged  # the English log line
    if expect_retry:  # the server is back: the next pass after the back-off delivers
        handler.reply, handler.drop = None, False
        engine = make_engine(settings)
        try:
            later = run_once(engine, settings, now=now_utc() + timedelta(minutes=6), today=TODAY)
        finally:
            engine.dispose()
        assert later.sent == 2 and len(handler.messages) == 1


def test_retries_wait_for_the_back_off_and_for_a_working_day(
    tmp_path: Path, db_url: str, fault_server: tuple[int, FaultHandler]
) -> None:
    port, handler = fault_server
    settings = _settings(tmp_path, db_url, port)
    handler.reply = "451 busy"
    engine = _one_case(settings)
    try:
        assert run_once(engine, settings, now=AT_0830, today=TODAY).retry == 2
        handler.reply = None
        assert run_retries(engine, settings, now=AT_0830 + timedelta(minutes=2)) is None
        assert handler.messages == []
        saturday = datetime(2026, 3, 28, 2, 0, tzinfo=UTC)  # 10:00 on a Saturday
        assert run_retries(engine, settings, now=saturday) is None and handler.messages == []
        done = run_retries(engine, settings, now=AT_0830 + timedelta(minutes=5))
        nothing = run_retries(engine, settings, now=AT_0830 + timedelta(minutes=30))
    finally:
        engine.dispose()
    assert done is not None and done.sent == 2 and nothing is None
    assert len(handler.messages) == 1


def _notify_once(tmp_path: Path, db_url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DISCLOSURE_DATABASE__URL": db_url,
        "DISCLOSURE_SMTP__HOST": "127.0.0.1",
        "DISCLOSURE_SMTP__PORT": str(port),
        "DISCLOSURE_SMTP__SENDER": "gk@example.gov.cn",
        "DISCLOSURE_NOTIFIER__OFFICE_RECIPIENTS": '["office@example.gov.cn"]',
    }
    env.pop("DISCLOSURE_CONFIG", None)
    exe = str(Path(sys.executable).with_name("disclosure"))
    cmd = [exe, "notify", "--once", "--today", TODAY.isoformat()]
    return subprocess.Popen(
        cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


class OutboxLock:
    """Holds a lock that makes every UPDATE of the outbox wait (reads go on): SQLite's write
    lock, or PostgreSQL's SHARE ROW EXCLUSIVE lock on the table."""

    def __init__(self, db_url: str) -> None:
        self.url = make_url(db_url)
        self.conn: Any = None

    def take(self) -> None:
        if self.url.get_backend_name() == "sqlite":
            self.conn = sqlite3.connect(
                self.url.database or "", isolation_level=None, check_same_thread=False
            )
            self.conn.execute("BEGIN IMMEDIATE")
            return
        import psycopg

        self.conn = psycopg.connect(
            host=self.url.host, port=self.url.port or 5432, user=self.url.username,
            dbname=self.url.database,
        )  # fmt: skip
        self.conn.execute("LOCK TABLE notifier_outbox IN SHARE ROW EXCLUSIVE MODE")

    def release(self) -> None:
        if self.conn is not None:
            self.conn.rollback()
            self.conn.close()


def test_a_crash_after_the_250_resends_the_digest_with_the_same_message_id(
    tmp_path: Path, db_url: str, fault_server: tuple[int, FaultHandler]
) -> None:
    port, handler = fault_server
    settings = _settings(tmp_path, db_url, port)
    _one_case(settings).dispose()
    lock = OutboxLock(db_url)
    handler.on_data = lock.take  # the server's 250 goes out; marking it sent must wait
    proc = _notify_once(tmp_path, db_url, port)
    try:
        deadline = time.monotonic() + 60
        while not handler.messages and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert handler.messages, proc.communicate()
        time.sleep(1.0)  # the client has read the 250 and waits for the database
        assert proc.poll() is None, "the run should be waiting to mark the digest sent"
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        lock.release()
    handler.on_data = None
    engine = make_engine(settings)
    try:
        rows = _rows(engine)
        assert [r.status for r in rows] == ["pending", "pending"]  # the 250 was never recorded
        assert all(r.claim_token for r in rows)  # still held by the killed run
        later = now_utc() + CLAIM_LEASE + timedelta(minutes=1)
        again = run_once(engine, settings, now=later, today=TODAY)
        rows = _rows(engine)
    finally:
        engine.dispose()
    assert (again.sent, again.messages) == (2, 1)
    assert [r.status for r in rows] == ["sent", "sent"]
    first, second = handler.messages
    assert first["Message-ID"] == second["Message-ID"]
    assert first["Message-ID"] == f"<reminder.{rows[0].id}.{rows[1].id}.2@example.gov.cn>"


def test_the_date_header_is_in_the_office_time_zone(
    tmp_path: Path, db_url: str, fault_server: tuple[int, FaultHandler]
) -> None:
    port, handler = fault_server
    settings = _settings(tmp_path, db_url, port)
    engine = _one_case(settings)
    try:
        run_once(engine, settings, now=NOW.replace(month=3, day=23), today=TODAY)
    finally:
        engine.dispose()
    (msg,) = handler.messages
    assert str(msg["Date"]) == "Mon, 23 Mar 2026 10:00:00 +0800"
