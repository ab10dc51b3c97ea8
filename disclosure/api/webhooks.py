"""Webhooks: every event appended to an application's log (registered, each step, a letter
issued or served) is POSTed, signed, to each subscriber — once per event and subscriber.

- **Queue** (`queue`): the event log is append-only with increasing ids, so each subscriber's
  next events are those after the last one queued for it (or after `from_event_id`, the last
  event when it subscribed). One outbox row per (subscriber, event) under a unique key: a
  second run, or two runs at once, queue nothing twice.
- **Send** (`deliver_due`): due rows are claimed in a short transaction (their next attempt
  moved a lease ahead, so a second deliverer leaves them alone), POSTed outside any
  transaction, then marked delivered on a 2xx, or retried with back-off (`BACKOFF`); after
  the last attempt a row is `failed`, listed by `disclosure webhook list`. The last error is
  stored in words a clerk reads (`describe_error`: 无法连接, 超时, 对方返回 HTTP 500, …).
- **Signature**: `X-Disclosure-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`
  with `X-Disclosure-Timestamp` (Unix seconds) — the subscriber recomputes it over the raw
  body and rejects old timestamps (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import secrets
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from disclosure.api.models import ApiWebhook, ApiWebhookDelivery
from disclosure.api.tokens import NAME_RE
from disclosure.db import transaction
from disclosure.errors import Conflict, InvalidInput, NotFound
from disclosure.models import Application, EventRecord
from disclosure.services.office import Office
from disclosure.services.queries import department_names
from disclosure.services.timeline import event_label
from disclosure.services.views import summary

SECRET_PREFIX = "whsec_"
BACKOFF = (60, 300, 1800, 7200, 21600)  # seconds before attempts 2…6
LEASE = timedelta(minutes=5)
BATCH = 500
TIMEOUT = 10  # seconds per POST
_DELIVERY = ApiWebhookDelivery.__table__  # type: ignore[attr-defined]


def add_webhook(
    session: Session, *, name: str, url: str, actor: str, now: datetime
) -> tuple[ApiWebhook, str]:
    """Subscribe `url`; returns the row and the signing secret (shown once)."""
    name = name.strip()
    if not NAME_RE.fullmatch(name):
        raise InvalidInput("名称须为 1–100 个字母、数字或 . _ -", field="name")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500:
        raise InvalidInput(f"须为 http:// 或 https:// 地址，收到 {url!r}", field="url")
    if session.exec(select(ApiWebhook.id).where(ApiWebhook.name == name)).first() is not None:
        raise Conflict(f"已有名为 {name} 的订阅", field="name")
    last = session.exec(select(func.max(EventRecord.id))).one()
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    row = ApiWebhook(
        name=name,
        url=url.strip(),
        secret=secret,
        from_event_id=int(last or 0),
        created_at=now,
        created_by=actor,
    )
    session.add(row)
    session.flush()
    return row, secret


def revoke_webhook(session: Session, *, name: str, actor: str, now: datetime) -> ApiWebhook:
    row = session.exec(select(ApiWebhook).where(ApiWebhook.name == name.strip())).first()
    if row is None:
        raise NotFound(f"没有名为 {name} 的订阅", field="name")
    if row.revoked_at is not None:
        raise Conflict(f"订阅 {name} 已取消", field="name")
    row.revoked_at, row.revoked_by = now, actor
    session.add(row)
    return row


def list_webhooks(session: Session) -> list[dict[str, Any]]:
    """Every subscriber with its outbox by status and its last failure."""
    stmt = select(ApiWebhookDelivery.webhook_id, ApiWebhookDelivery.status, func.count())
    by: dict[int, dict[str, int]] = {}
    grouped = stmt.group_by(col(ApiWebhookDelivery.webhook_id), col(ApiWebhookDelivery.status))
    for hook_id, status, n in session.exec(grouped).all():
        by.setdefault(hook_id, {})[status] = int(n)
    out = []
    for w in session.exec(select(ApiWebhook).order_by(col(ApiWebhook.id))).all():
        failed = session.exec(
            select(ApiWebhookDelivery)
            .where(ApiWebhookDelivery.webhook_id == w.id, ApiWebhookDelivery.last_error != "")
            .order_by(col(ApiWebhookDelivery.id).desc())
            .limit(1)
        ).first()
        out.append(
            {
                "name": w.name,
                "url": w.url,
                "created_at": w.created_at.isoformat(),
                "revoked_at": w.revoked_at.isoformat() if w.revoked_at else None,
                "pending": by.get(w.id or 0, {}).get("pending", 0),
                "delivered": by.get(w.id or 0, {}).get("delivered", 0),
                "failed": by.get(w.id or 0, {}).get("failed", 0),
                "last_error": _older_error(failed.last_error) if failed else "",
            }
        )
    return out


def _older_error(text: str) -> str:
    """A last error stored before `describe_error` (raw English) still reads as a failure."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return text
    return f"发送失败（{text[:120]}）"


def _payload(
    record: EventRecord, app: Application, office: Office, today: date, deps: dict[int, Any]
) -> dict[str, Any]:
    return {
        "event": {
            "id": record.id,
            "kind": record.kind,
            "label": event_label(record),
            "on": record.on.isoformat(),
            "actor": record.actor,
            "recorded_at": record.recorded_at.isoformat(),
        },
        "application": summary(app, office, today, deps),
    }


def queue(session: Session, *, office: Office, today: date, now: datetime) -> int:
    """Queue every live subscriber's next events (at most `BATCH` each); returns how many."""
    deps = department_names(session)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    queued = 0
    for hook in session.exec(select(ApiWebhook).where(col(ApiWebhook.revoked_at).is_(None))):
        done = session.exec(
            select(func.max(ApiWebhookDelivery.event_id)).where(
                ApiWebhookDelivery.webhook_id == hook.id
            )
        ).one()
        after = max(int(done or 0), hook.from_event_id)
        events = session.exec(
            select(EventRecord).where(col(EventRecord.id) > after).order_by(col(EventRecord.id))
            .limit(BATCH)
        ).all()  # fmt: skip
        apps: dict[int, Application] = {}
        for record in events:
            app = apps.get(record.application_id) or session.get(Application, record.application_id)
            assert app is not None
            apps[record.application_id] = app
            stmt = (
                dialect.insert(_DELIVERY)
                .values(
                    webhook_id=hook.id,
                    event_id=record.id,
                    payload=_payload(record, app, office, today, deps),
                    status="pending",
                    attempts=0,
                    next_attempt_at=now,
                    last_error="",
                    created_at=now,
                )
                .on_conflict_do_nothing(index_elements=["webhook_id", "event_id"])
            )
            if session.execute(stmt.returning(_DELIVERY.c.id)).first() is not None:
                queued += 1
    return queued


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


Send = Callable[[str, bytes, dict[str, str]], None]


class HttpStatus(OSError):
    """A subscriber's answer that is not a 2xx (and not an error urllib raises itself)."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


def post(url: str, body: bytes, headers: dict[str, str]) -> None:
    """POST `body`; raises on anything but a 2xx answer."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # http(s) only: add_webhook
        if not 200 <= answer.status < 300:
            raise HttpStatus(answer.status)


def _short_url(url: str) -> str:
    parts = urlsplit(url)
    rest = "/…" if parts.path.strip("/") or parts.query else "/"
    return f"{parts.scheme}://{parts.netloc}{rest}" if parts.netloc else url[:100]


def describe_error(exc: BaseException, url: str) -> str:
    """A failed POST in words a clerk understands (what `webhook list` and /admin/tokens show
    as 最近错误), the technical detail short in parentheses; at most 500 characters."""
    reason: object = exc
    if isinstance(exc, urllib.error.HTTPError):
        reason = HttpStatus(exc.code)
    elif isinstance(exc, urllib.error.URLError):
        reason = exc.reason
    where = _short_url(url)
    if isinstance(reason, HttpStatus):
        text = f"对方返回 HTTP {reason.status}（应为 2xx）：{where}"
    elif isinstance(reason, TimeoutError):
        text = f"超时（{TIMEOUT} 秒内无应答）：{where}"
    elif isinstance(reason, socket.gaierror):
        text = f"地址无法解析（{urlsplit(url).hostname or url[:100]}）"
    elif isinstance(reason, ConnectionRefusedError):
        text = f"无法连接（拒绝连接）：{where}"
    elif isinstance(reason, http.client.RemoteDisconnected | ConnectionResetError):
        text = f"连接被对方中断（未收到应答）：{where}"
    elif isinstance(reason, ssl.SSLCertVerificationError):
        text = f"HTTPS 证书验证失败（{reason.verify_message or '证书无效'}）：{where}"
    elif isinstance(reason, ssl.SSLError):
        text = f"HTTPS 安全连接失败：{where}"
    elif isinstance(reason, http.client.HTTPException):
        text = f"对方的应答无法识别（{type(reason).__name__}）：{where}"
    elif isinstance(reason, OSError):
        detail = f"错误号 {reason.errno}" if reason.errno else type(reason).__name__
        text = f"无法连接（网络错误，{detail}）：{where}"
    elif isinstance(reason, ValueError):
        text = f"地址无效：{url[:100]}"
    else:
        text = f"发送失败（{type(reason).__name__}）：{where}"
    return text[:500]


@dataclass(frozen=True)
class _Claimed:
    id: int
    event_id: int | None
    attempts: int
    url: str
    secret: str
    kind: str
    body: bytes


def _claim(engine: Engine, now: datetime, limit: int) -> list[_Claimed]:
    with transaction(engine) as session:
        stmt = (
            select(ApiWebhookDelivery, ApiWebhook)
            .join(ApiWebhook, col(ApiWebhook.id) == col(ApiWebhookDelivery.webhook_id))
            .where(
                ApiWebhookDelivery.status == "pending",
                col(ApiWebhookDelivery.next_attempt_at) <= now,
                col(ApiWebhook.revoked_at).is_(None),
            )
            .order_by(col(ApiWebhookDelivery.id))
            .limit(limit)
            .with_for_update(skip_locked=True, of=ApiWebhookDelivery)
        )
        claimed = []
        for row, hook in session.exec(stmt).all():
            row.attempts += 1
            row.next_attempt_at = now + LEASE
            session.add(row)
            body = json.dumps(row.payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
            assert row.id is not None
            kind = str(row.payload.get("event", {}).get("kind", ""))
            claimed.append(
                _Claimed(row.id, row.event_id, row.attempts, hook.url, hook.secret, kind, body)
            )
        return claimed


@dataclass
class DeliveryResult:
    queued: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def deliver_due(
    engine: Engine, *, office: Office, today: date, now: datetime, send: Send = post
) -> DeliveryResult:
    """Queue new events, then send every due delivery once (see the module docstring)."""
    result = DeliveryResult()
    with transaction(engine) as session:
        result.queued = queue(session, office=office, today=today, now=now)
    for item in _claim(engine, now, BATCH):
        stamp = int(now.timestamp())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "disclosure-tracker-webhook/1",
            "X-Disclosure-Delivery": str(item.id),
            "X-Disclosure-Event": item.kind,
            "X-Disclosure-Timestamp": str(stamp),
            "X-Disclosure-Signature": sign(item.secret, stamp, item.body),
        }
        error = ""
        try:
            send(item.url, item.body, headers)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            error = describe_error(exc, item.url)
        with transaction(engine) as session:
            row = session.get(ApiWebhookDelivery, item.id)
            assert row is not None
            if not error:
                row.status, row.delivered_at, row.last_error = "delivered", now, ""
                result.delivered += 1
            elif item.attempts > len(BACKOFF):
                row.status, row.last_error = "failed", error
                result.failed += 1
            else:
                row.next_attempt_at = now + timedelta(seconds=BACKOFF[item.attempts - 1])
                row.last_error = error
                result.retrying += 1
            session.add(row)
    return result
