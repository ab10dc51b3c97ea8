"""Deadline webhooks (due soon / overdue) delivered to a real HTTP server on 127.0.0.1: signed,
once per application × clock × state × subscriber, retried, and sent by the office daemon."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine

from disclosure.api.webhook_deadlines import deliver_all, horizon_days, state_of
from disclosure.api.webhooks import BACKOFF, add_webhook, list_webhooks
from disclosure.db import transaction
from disclosure.services.office import Office
from disclosure.settings import Settings
from notifier.scheduler import build_scheduler, webhook_job
from tests.api.conftest import Api, Push, Receiver

T0 = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)


def _subscribe(engine: Engine, url: str, name: str) -> str:
    with transaction(engine) as session:
        _row, secret = add_webhook(session, name=name, url=url, actor="admin", now=T0)
    return secret


def _deadlines(receiver: Receiver) -> list[tuple[str, str, str, str]]:
    """(signature, number, clock, state) of every deadline POST received."""
    out = []
    for headers, body in receiver.received:
        payload = json.loads(body)
        if payload["event"]["kind"].startswith("deadline_"):
            assert headers["X-Disclosure-Event"] == payload["event"]["kind"]
            d = payload["deadline"]
            number = payload["application"]["number"]
            out.append((headers["X-Disclosure-Signature"], number, d["clock"], d["state"]))
    return out


def _signed_by(secret: str, headers: dict[str, str], body: bytes) -> bool:
    stamp = headers["X-Disclosure-Timestamp"]
    mac = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256)
    return headers["X-Disclosure-Signature"] == "sha256=" + mac.hexdigest()


def test_states_follow_the_notifier_thresholds(office: Office) -> None:
    cal, horizon = office.calendar, horizon_days(office)
    assert horizon == max(office.settings.notifier.days_ahead)
    due = date(2026, 3, 30)  # Monday
    assert state_of("reply_due", due, date(2026, 3, 20), cal, horizon) is None  # 6 days left
    assert state_of("reply_due", due, date(2026, 3, 23), cal, horizon) == ("due_soon", 5)
    assert state_of("reply_due", due, due, cal, horizon) == ("due_soon", 0)
    assert state_of("reply_due", due, date(2026, 3, 31), cal, horizon) == ("overdue", -1)
    # The correction-notice date is never "overdue" (nothing is left to do once it passed).
    assert state_of("correction_notice_due", due, date(2026, 3, 31), cal, horizon) is None


def test_due_soon_then_overdue_once_per_subscriber(
    api: Api, push: Push, office: Office, receiver: Receiver
) -> None:
    first = _subscribe(api.engine, receiver.url, "oa")
    second = _subscribe(api.engine, receiver.url + "?second", "im")
    number = push(external_ref="D-1").json()["number"]  # received Mon 03-02: reply due 03-30

    def run(day: date) -> None:
        now = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=2)
        deliver_all(api.engine, office=office, today=day, now=now)

    run(date(2026, 3, 5))
    assert [d for d in _deadlines(receiver) if d[2] == "reply_due"] == []
    for day in (date(2026, 3, 23), date(2026, 3, 24), date(2026, 3, 30)):  # due soon each day
        run(day)
    for day in (date(2026, 3, 31), date(2026, 4, 1)):  # overdue each day
        run(day)
    got = _deadlines(receiver)
    replies = Counter((n, s) for _sig, n, c, s in got if c == "reply_due")
    assert replies == {(number, "due_soon"): 2, (number, "overdue"): 2}  # once per subscriber
    by_subscriber = []
    for headers, body in receiver.received:  # each POST signed with its subscriber's secret
        who = [n for n, key in (("oa", first), ("im", second)) if _signed_by(key, headers, body)]
        assert len(who) == 1
        payload = json.loads(body)
        if "deadline" in payload:
            by_subscriber.append((who[0], payload["deadline"]["clock"], payload["event"]["kind"]))
    assert by_subscriber and max(Counter(by_subscriber).values()) == 1  # exactly once
    assert Counter(w for w, _c, _k in by_subscriber) == {"oa": len(got) // 2, "im": len(got) // 2}
    overdue = next(
        p
        for p in (json.loads(b) for _h, b in receiver.received)
        if p["event"]["kind"] == "deadline_overdue" and p["deadline"]["clock"] == "reply_due"
    )
    assert overdue["deadline"]["due"] == "2026-03-30"
    assert overdue["deadline"]["working_days_left"] == -1
    assert overdue["event"]["label"] == "答复期限已超期"


def test_a_failing_deadline_delivery_is_retried_and_listed(
    api: Api, push: Push, office: Office, receiver: Receiver
) -> None:
    push(external_ref="D-1")
    _subscribe(api.engine, receiver.url, "oa")  # the registration's events are not sent
    day, now = date(2026, 3, 31), datetime(2026, 3, 31, 2, 0, tzinfo=UTC)
    receiver.fail_next = 10
    done = deliver_all(api.engine, office=office, today=day, now=now)
    assert done.queued >= 1 and done.retrying == done.queued and done.delivered == 0
    with transaction(api.engine, write=False) as session:
        (listed,) = list_webhooks(session)
    assert listed["pending"] == done.queued and "500" in listed["last_error"]
    receiver.fail_next = 0
    later = now + timedelta(seconds=BACKOFF[0])
    again = deliver_all(api.engine, office=office, today=day, now=later)
    assert again.queued == 0 and again.delivered == done.queued
    assert ("reply_due", "overdue") in {(c, s) for _sig, _n, c, s in _deadlines(receiver)}


def test_the_office_daemon_sends_webhooks_without_a_command(
    api: Api, push: Push, settings: Settings, receiver: Receiver
) -> None:
    _subscribe(api.engine, receiver.url, "oa")
    number = push(external_ref="D-1").json()["number"]
    webhook_job(settings, api.engine, {})  # the real clock: long after the 2026-03-30 due date
    kinds = [json.loads(b)["event"]["kind"] for _h, b in receiver.received]
    assert {"registered", "received", "deadline_overdue"} <= set(kinds)
    sent = len(receiver.received)
    webhook_job(settings, api.engine, {})  # a restart: nothing twice
    assert len(receiver.received) == sent

    # The daemon (`disclosure office` runs this scheduler) runs the job by itself.
    note = api.as_("oa2").post(f"/applications/{number}/steps/note", json={"note": "已联系"})
    assert note.status_code == 201
    scheduler = build_scheduler(settings, api.engine, background=True)
    for job in scheduler.get_jobs():
        if job.id != "webhooks":
            scheduler.remove_job(job.id)
    scheduler.start()
    try:
        deadline = time.monotonic() + 30
        while len(receiver.received) == sent and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        scheduler.shutdown(wait=True)
    assert [json.loads(b)["event"]["kind"] for _h, b in receiver.received[sent:]] == ["note"]
