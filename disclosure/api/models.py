"""Tables of the API: tokens (stored hashed) and the external references of pushed applications.

- `api_token`: one row per token an admin created. The secret is shown once; the row keeps its
  SHA-256. A revocation is a fact added to the row (`revoked_at`, `revoked_by`); the row is
  never deleted, so the names recorded as actors in the event log stay resolvable.
- `api_external_ref`: the reference number a source system (the provincial platform) gave an
  application it pushed, unique per source: a second push of the same reference finds the
  application registered by the first.
- `api_rate_window`: requests per token and minute, counted in the database so that every
  worker process of the server sees the same count (`api.rate`).
- `api_webhook`, `api_webhook_delivery`: subscribers and their outbox, one row per event and
  subscriber (`api.webhooks`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

SCOPES = ("read", "write")
DEFAULT_RATE = 600


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"
    __table_args__ = (CheckConstraint("scope IN ('read', 'write')", name="ck_api_token_scope"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=100)
    source: str = Field(max_length=100)  # whose external references it pushes (default: name)
    secret_sha256: str = Field(unique=True, max_length=64)
    scope: str = Field(max_length=10)
    department_id: int | None = Field(default=None, foreign_key="department.id")  # None = all
    created_at: datetime
    created_by: str = Field(max_length=100)
    revoked_at: datetime | None = None
    revoked_by: str | None = Field(default=None, max_length=100)
    rate_per_minute: int = DEFAULT_RATE  # requests per minute before 429 (`api.rate`)


class ApiExternalRef(SQLModel, table=True):
    __tablename__ = "api_external_ref"
    __table_args__ = (
        UniqueConstraint("source", "external_ref", name="uq_api_external_ref_source_ref"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=100)
    external_ref: str = Field(max_length=100)
    application_id: int = Field(foreign_key="application.id", unique=True)
    created_at: datetime
    created_by: str = Field(max_length=100)  # the actor: "api:<token name>"


class ApiRateWindow(SQLModel, table=True):
    __tablename__ = "api_rate_window"

    token_id: int = Field(foreign_key="api_token.id", primary_key=True)
    window_start: datetime = Field(primary_key=True)  # the UTC minute counted
    hits: int


class ApiWebhook(SQLModel, table=True):
    """A subscriber: every event appended after its creation is POSTed to `url`, signed."""

    __tablename__ = "api_webhook"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=100)
    url: str = Field(max_length=500)
    secret: str = Field(max_length=100)  # the HMAC key: kept, since every delivery is signed
    from_event_id: int  # events up to this one (before the subscription) are not sent
    created_at: datetime
    created_by: str = Field(max_length=100)
    revoked_at: datetime | None = None
    revoked_by: str | None = Field(default=None, max_length=100)


class ApiWebhookDelivery(SQLModel, table=True):
    """One event for one subscriber: queued once (unique), retried with back-off. A deadline
    delivery (`api.webhook_deadlines`) has no event; `deadline_key` is its unique key."""

    __tablename__ = "api_webhook_delivery"
    __table_args__ = (
        UniqueConstraint("webhook_id", "event_id", name="uq_api_webhook_delivery_event"),
        UniqueConstraint("webhook_id", "deadline_key", name="uq_api_webhook_delivery_deadline"),
        CheckConstraint(
            "status IN ('pending', 'delivered', 'failed')", name="ck_api_webhook_delivery_status"
        ),
        Index("ix_api_webhook_delivery_status_next", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    webhook_id: int = Field(foreign_key="api_webhook.id")
    event_id: int | None = Field(default=None, foreign_key="event.id")  # None: a deadline
    deadline_key: str | None = Field(default=None, max_length=200)  # "<app id>:<clock>:<state>"
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", max_length=10)
    attempts: int = 0
    next_attempt_at: datetime
    last_error: str = Field(default="", max_length=500)
    created_at: datetime
    delivered_at: datetime | None = None
