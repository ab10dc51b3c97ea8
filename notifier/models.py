"""The outbox: one row per reminder and recipient; the UNIQUE key makes each one send once.

Key: (application_id, clock, threshold, due_on, recipient). `application_id` is 0 for
office-wide items (the calendar-coverage warning), so it carries no foreign key (a NULL would
make the unique key useless: NULLs never collide).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class OutboxStatus(StrEnum):
    PENDING = "pending"  # queued, or waiting for a retry after a temporary failure
    # Not stored since migration 0006 (a claim sets only `claim_token`); `counts()` reports
    # pending rows under a claim as "sending".
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # permanent failure (5xx, bad address) or attempts exhausted


OFFICE_WIDE = 0  # application_id of items that concern the whole office


class OutboxItem(SQLModel, table=True):
    __tablename__ = "notifier_outbox"
    __table_args__ = (
        UniqueConstraint(
            "application_id", "clock", "threshold", "due_on", "recipient", name="uq_outbox_key"
        ),
        CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed')", name="ck_outbox_status"
        ),
        # Only what is still to be sent: claims, digests and "sent" UPDATEs find a
        # recipient's rows here, and sent history never grows it (migration 0006).
        Index(
            "ix_outbox_pending",
            "recipient",
            "next_attempt_at",
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        # Recent failures for the dashboard (migration 0010).
        Index(
            "ix_outbox_failed",
            "last_attempt_at",
            sqlite_where=text("status = 'failed'"),
            postgresql_where=text("status = 'failed'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    application_id: int
    clock: str = Field(max_length=40)
    threshold: str = Field(max_length=40)  # ahead:5 | due | overdue:<date> | escalate | …
    due_on: date
    recipient: str = Field(max_length=200)
    # What the digest shows (no applicant contact data is ever copied here).
    number: str = Field(default="", max_length=64)
    summary: str = Field(default="", max_length=200)
    department: str = Field(default="", max_length=200)
    days_left: int = 0
    queued_on: date
    status: str = Field(default=OutboxStatus.PENDING.value, max_length=16)
    attempts: int = 0
    next_attempt_at: datetime
    claim_token: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = None
    last_error: str = Field(default="", max_length=500)
    last_attempt_at: datetime | None = None  # the last delivery attempt (migration 0010)
    created_at: datetime
    sent_at: datetime | None = None
