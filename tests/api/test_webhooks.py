"""Webhooks delivered to a real HTTP server on 127.0.0.1: signed, once per event and
subscriber, retried with back-off, failures visible to admins."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from disclosure.api import webhooks
from disclosure.api.webhooks import BACKOFF, add_webhook, deliver_due, list_webhooks
from disclosure.db import transaction
from disclosure.services.office import Office
from tests.api.conftest import Api, Push, Receiver
from tests.web.conftest import TODAY

T0 = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)


def _subscribe(engine: Engine, url: str, name: str = "oa") -> str:
    with transaction(engine) as session:
        _row, secret = add_webhook(session, name=name, url=url, actor="admin", now=T0)
    return secret


def test_each_event_is_posted_once_signed(  # type: ignore[no-untyped-def]
    api: Api, push: Push, platform, office: Office, receiver: Receiver
) -> None:
    push()  # before the subscription: not sent
    secret = _subscribe(api.engine, receiver.url)
    number = push(external_ref="W-1").json()["number"]
    note = platform.post(f"/applications/{number}/steps/note", json={"note": "已电话联系"})
    assert note.status_code == 201
    done = deliver_due(api.engine, office=office, today=TODAY, now=T0)
    assert (done.queued, done.delivered) == (3, 3)  # registered, received, note
    again = deliver_due(api.engine, office=office, today=TODAY, now=T0 + timedelta(hours=1))
    assert (again.queued, again.delivered) == (0, 0)  # exactly once
    kinds = []
    for headers, body in receiver.received:
        stamp = headers["X-Disclosure-Timestamp"]
        expected = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256)
        assert headers["X-Disclosure-Signature"] == "sha256=" + expected.hexdigest()
        payload = json.loads(body)
        assert payload["application"]["number"] == number
        kinds.append(payload["event"]["kind"])
    assert kinds == ["registered", "received", "note"]
    assert json.loads(receiver.received[2][1])["event"]["actor"] == "api:platform"


def test_failures_are_retried_with_backoff_then_shown(  # type: ignore[no-untyped-def]
    api: Api, push: Push, office: Office, receiver: Receiver
) -> None:
    _subscribe(api.engine, receiver.url)
    push(received=None, arrived="2026-03-04")  # one event: registered (receipt unconfirmed)
    receiver.fail_next = 1
    first = deliver_due(api.engine, office=office, today=TODAY, now=T0)
    assert (first.queued, first.retrying, first.delivered) == (1, 1, 0)
    early = deliver_due(api.engine, office=office, today=TODAY, now=T0 + timedelta(seconds=59))
    assert early.delivered == 0  # the first back-off is 60 s
    later = T0 + timedelta(seconds=BACKOFF[0])
    assert deliver_due(api.engine, office=office, today=TODAY, now=later).delivered == 1
    assert len(receiver.received) == 1

    # A subscriber that never answers: failed after the last attempt, and listed so.
    with transaction(api.engine) as session:
        add_webhook(session, name="gone", url="http://127.0.0.1:9/x", actor="a", now=later)
    push(received=None, arrived="2026-03-04")
    when = later
    for _attempt in range(len(BACKOFF) + 1):
        deliver_due(api.engine, office=office, today=TODAY, now=when)
        when += timedelta(days=1)
    with transaction(api.engine, write=False) as session:
        listed = {w["name"]: w for w in list_webhooks(session)}
    assert listed["gone"]["failed"] == 1 and listed["gone"]["pending"] == 0
    assert listed["gone"]["last_error"]
    assert listed["oa"]["delivered"] == 2 and listed["oa"]["failed"] == 0


def test_bad_subscriptions_name_the_field(api: Api) -> None:
    from disclosure.errors import Conflict, InvalidInput

    with transaction(api.engine) as session:
        for url in ("ftp://x/y", "not a url", "http://"):
            with pytest.raises(InvalidInput) as bad:
                add_webhook(session, name="x", url=url, actor="a", now=T0)
            assert bad.value.field == "url"
    _subscribe(api.engine, "http://127.0.0.1:1/")
    with transaction(api.engine) as session, pytest.raises(Conflict):
        add_webhook(session, name="oa", url="http://127.0.0.1:1/", actor="a", now=T0)
    assert webhooks.SECRET_PREFIX == "whsec_"


def test_webhook_commands(cli, receiver: Receiver) -> None:  # type: ignore[no-untyped-def]
    r = cli("webhook", "add", "--name", "oa", "--url", receiver.url, "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["secret"].startswith("whsec_")
    bad = cli("webhook", "add", "--name", "x", "--url", "ftp://x")
    assert bad.exit_code == 2 and "--url" in bad.stderr
    reg = cli("register", "--channel", "in_person", "--applicant", "李四",
              "--applicant-type", "natural", "--content", "某报告", "--received", "2026-03-02",
              "--today", "2026-03-05")  # fmt: skip
    assert reg.exit_code == 0, reg.stderr
    sent = cli("webhook", "deliver", "--today", "2026-03-05")
    # The two events, and the correction-notice date, already due soon on 2026-03-05.
    assert sent.exit_code == 0 and "已送达 3" in sent.stdout
    payloads = [json.loads(b) for _h, b in receiver.received]
    assert [p["event"]["actor"] for p in payloads] == ["system", "tester", "tester"]
    assert payloads[0]["event"]["kind"] == "deadline_due_soon"
    assert payloads[0]["deadline"]["clock"] == "correction_notice_due"
    listed = json.loads(cli("webhook", "list", "--json").stdout)
    assert listed[0]["delivered"] == 3
    assert cli("webhook", "revoke", "oa").exit_code == 0
