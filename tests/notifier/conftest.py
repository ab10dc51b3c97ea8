"""A real SMTP server (aiosmtpd on 127.0.0.1, a free port) and helpers to register cases."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine

from disclosure.db import transaction
from disclosure.schemas import ApplicationCreate
from disclosure.services.context import Context
from disclosure.services.office import load_office
from disclosure.services.registration import register_application
from disclosure.settings import Settings
from notifier.scan import run_once
from tests.conftest import base_settings

NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def _no_office_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Built-in defaults only: never pick up a ./config.toml from the working directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCLOSURE_CONFIG", raising=False)


@dataclass
class Handler:
    """Records every message; `reply` (e.g. "451 …" or "550 …") makes DATA fail instead."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    reply: str | None = None

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if self.reply:
            return self.reply
        msg = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(msg)  # type: ignore[arg-type]
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


@dataclass
class SmtpServer:
    port: int
    handler: Handler
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def by_recipient(self) -> dict[str, list[EmailMessage]]:
        out: dict[str, list[EmailMessage]] = {}
        for msg in self.handler.messages:
            out.setdefault(str(msg["To"]), []).append(msg)
        return out


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port(), Handler())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_settings(tmp_path: Path, db_url: str, smtp_server: SmtpServer) -> Settings:
    return base_settings(
        tmp_path,
        db_url,
        smtp={"host": "127.0.0.1", "port": smtp_server.port, "sender": "gk@example.gov.cn"},
        office={"agency_name": "某市生态环境局", "web_base_url": "http://10.0.0.5:8000"},
    )


def register(
    engine: Engine,
    settings: Settings,
    *,
    received: date | None,
    department: str | None = "zcfg",
    content: str = "申请公开2025年度某某项目环境影响评价报告",
    arrived: date | None = None,
    **extra: str,
) -> str:
    data = ApplicationCreate(
        channel="in_person" if received else "post_unsigned",
        received_on=received,
        arrived_on=arrived,
        applicant_name="张三",
        applicant_type="natural",
        content=content,
        department=department,
        **extra,
    )
    basis = received or arrived
    assert basis is not None
    with transaction(engine) as s:
        office = load_office(s, settings)
        app = register_application(s, data=data, ctx=Context(office, basis, "tester", NOW))
        return app.number


def scans(engine: Engine, settings: Settings, *days: date) -> None:
    """One `run_once` on each of `days`, a minute apart."""
    for i, day in enumerate(days):
        run_once(engine, settings, now=NOW + timedelta(minutes=i), today=day)


def subject_of(msg: EmailMessage) -> str:
    return str(make_header(decode_header(msg["Subject"])))


def text_of(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return part.get_content()


def html_of(msg: EmailMessage) -> str:
    part = msg.get_body(("html",))
    assert part is not None
    return part.get_content()


SECTION = re.compile(r"^【(.+?)】\d+ 项")
DATE = re.compile(r"^\d{4}-\d\d-\d\d$")


def digest_lines(text: str) -> list[str]:
    """The items of a plain-text digest as "<number>　<clock>：<due>（<days left>）" lines.

    The digest lists items under one heading per clock, one row each:
    "<number>　<due>　<days left>　<department>　<summary>".
    """
    out: list[str] = []
    label = ""
    for line in text.splitlines():
        if m := SECTION.match(line):
            label = m.group(1)
            continue
        parts = line.split("　")
        if label and len(parts) == 5 and DATE.match(parts[1]):
            out.append(f"{parts[0]}　{label}：{parts[1]}（{parts[2]}）")
    return out
