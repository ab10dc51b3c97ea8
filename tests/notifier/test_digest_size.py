"""Large digests: one e-mail per recipient, every item listed while it fits a mail server's
size limit; beyond that the most urgent items in full and the rest counted per department."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import Session

import notifier.digest
from disclosure.db import make_engine, transaction
from disclosure.services.setup import ensure_database
from notifier import outbox
from notifier.models import OutboxItem
from notifier.scan import run_once
from tests.notifier.conftest import NOW, digest_lines, html_of, text_of

TODAY = date(2026, 3, 23)  # a Monday
OFFICE = "office@example.gov.cn"
DEPARTMENTS = ("第一处", "第二处", "第三处")


def queue(engine, n: int, **extra: Any) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """`n` reminders for the office, days left from -20 to 19; returns number → days left."""
    rows, left_of = [], {}
    for i in range(n):
        left = i % 40 - 20
        number = f"2026-{i + 1:05d}"
        left_of[number] = left
        rows.append(
            {"application_id": i + 1, "clock": "reply_due", "threshold": f"t{left}",
             "due_on": TODAY + timedelta(days=left), "recipient": OFFICE, "number": number,
             "summary": f"申请公开第{i}号项目的环境影响评价文件", "department": DEPARTMENTS[i % 3],
             "days_left": left, "queued_on": TODAY, "status": "pending", "attempts": 0,
             "next_attempt_at": NOW, "claim_token": None, "claimed_at": None, "last_error": "",
             "created_at": NOW, **extra}
        )  # fmt: skip
    with transaction(engine) as s:
        assert outbox.insert_if_absent(s, rows) == n
        assert outbox.insert_if_absent(s, rows[:10]) == 0  # keys collide: nothing new
    return left_of


def only_message(smtp_server):  # type: ignore[no-untyped-def]
    got = smtp_server.by_recipient()
    assert list(got) == [OFFICE] and len(got[OFFICE]) == 1
    return got[OFFICE][0]


def test_a_large_digest_is_one_message_listing_every_item(smtp_settings, smtp_server):
    engine = make_engine(smtp_settings)
    try:
        ensure_database(engine, smtp_settings)
        left_of = queue(engine, 3000)
        result = run_once(engine, smtp_settings, now=NOW, today=TODAY)
    finally:
        engine.dispose()
    assert (result.sent, result.messages, result.pending) == (3000, 1, 0)
    msg = only_message(smtp_server)
    text, html = text_of(msg), html_of(msg)
    lines = digest_lines(text)
    assert len(lines) == 3000
    assert {line.split("　")[0] for line in lines} == set(left_of)
    assert lines[0].endswith("（已超期 20 个工作日）")  # most urgent first
    assert html.count('<a href="http://10.0.0.5:8000/applications/2026-') == 3000
    assert "未逐条列出" not in text and "共 3000 项，其中已超期 1500 项" in text


def test_an_oversized_digest_lists_the_most_urgent_and_counts_the_rest(
    smtp_settings, smtp_server, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(notifier.digest, "MAX_MESSAGE_BYTES", 200_000)
    engine = make_engine(smtp_settings)
    try:
        ensure_database(engine, smtp_settings)
        left_of = queue(engine, 3000)
        result = run_once(engine, smtp_settings, now=NOW, today=TODAY)
        with Session(engine) as s:
            status = set(s.scalars(select(OutboxItem.status)))
    finally:
        engine.dispose()
    assert (result.sent, result.messages, status) == (3000, 1, {"sent"})
    msg = only_message(smtp_server)
    assert len(msg.as_bytes()) <= 200_000
    text, html = text_of(msg), html_of(msg)
    listed = [line.split("　")[0] for line in digest_lines(text)]
    assert 100 < len(listed) < 3000
    unlisted = set(left_of) - set(listed)
    assert max(left_of[n] for n in listed) <= min(left_of[n] for n in unlisted)
    assert f"另有 {len(unlisted)} 项未逐条列出" in text
    counted = re.findall(r"^(第.处)：(\d+) 项，其中已超期 (\d+) 项", text, re.MULTILINE)
    assert sorted(d for d, _, _ in counted) == sorted(DEPARTMENTS)
    assert sum(int(n) for _, n, _ in counted) == len(unlisted)
    overdue_unlisted = sum(left_of[n] < 0 for n in unlisted)
    assert sum(int(o) for _, _, o in counted) == overdue_unlisted
    assert "http://10.0.0.5:8000/applications?department=%E7%AC%AC%E4%B8%80%E5%A4%84" in html
    assert "共 3000 项，其中已超期 1500 项" in text


def test_listing_is_capped_while_streaming(smtp_settings, smtp_server, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(notifier.digest, "LISTED_MAX", 100)
    engine = make_engine(smtp_settings)
    try:
        ensure_database(engine, smtp_settings)
        left_of = queue(engine, 500)
        result = run_once(engine, smtp_settings, now=NOW, today=TODAY)
    finally:
        engine.dispose()
    assert (result.sent, result.messages) == (500, 1)
    text = text_of(only_message(smtp_server))
    listed = [line.split("　")[0] for line in digest_lines(text)]
    unlisted = set(left_of) - set(listed)
    assert len(listed) == 100 and max(left_of[n] for n in listed) <= min(
        left_of[n] for n in unlisted
    )
    assert "另有 400 项未逐条列出" in text


def test_retry_gives_up_per_row_after_max_attempts(smtp_settings, smtp_server):
    engine = make_engine(smtp_settings)
    try:
        ensure_database(engine, smtp_settings)
        queue(engine, 2)
        with transaction(engine) as s:  # two more that have been tried 9 times already
            rows = [
                {**row, "application_id": 100 + i, "attempts": 9}
                for i, row in enumerate(_plain_rows(s))
            ]
            assert outbox.insert_if_absent(s, rows) == 2
        smtp_server.handler.reply = "451 4.3.0 Try again later"
        result = run_once(engine, smtp_settings, now=NOW, today=TODAY)
        with Session(engine) as s:
            rows = s.scalars(select(OutboxItem))
            got = sorted((r.attempts, r.status, r.next_attempt_at - NOW) for r in rows)
    finally:
        engine.dispose()
    assert (result.retry, result.failed, result.sent) == (2, 2, 0)
    five = timedelta(minutes=5)
    assert got == [(1, "pending", five), (1, "pending", five)] + [(10, "failed", timedelta(0))] * 2


def _plain_rows(s: Session) -> list[dict[str, Any]]:
    return [
        {name: getattr(r, name) for name in outbox.INSERT_COLUMNS}
        for r in s.scalars(select(OutboxItem))
    ]
