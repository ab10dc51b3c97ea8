"""Tables for operating the service: the audit log, web sessions, failed sign-ins.

- `audit_log` is append-only: the product has no code path that changes or deletes a row,
  and the database refuses it too (triggers made by migration 0008 on SQLite and PostgreSQL).
- `web_session` holds who is signed in; the browser's cookie carries only a random token,
  of which this table keeps the SHA-256. Signing out deletes the row, so a copied cookie
  stops working.
- `login_failure` is the login throttle's memory, shared by every worker and kept across
  restarts; rows older than the throttle window are deleted as new ones arrive.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index
from sqlmodel import Field, SQLModel

from disclosure.vocabulary import AuditAction, AuditChannel


def _check(column: str, values: type[StrEnum]) -> CheckConstraint:
    allowed = ", ".join(f"'{v.value}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"ck_audit_{column}")


class AuditEntry(SQLModel, table=True):
    """One audited action: who, when, from where, what, on what."""

    __tablename__ = "audit_log"
    __table_args__ = (
        _check("action", AuditAction),
        _check("via", AuditChannel),
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_actor_at", "actor", "at"),
        Index("ix_audit_log_action_at", "action", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    actor: str = Field(max_length=100)  # username (web), OS user (CLI), attempted name (failure)
    action: str = Field(max_length=40)
    target: str = Field(default="", max_length=200)  # what was acted on (user, file, number)
    address: str = Field(default="", max_length=64)  # the client's IP address (web)
    via: str = Field(max_length=16)
    personal_data: bool = False  # the action disclosed ID numbers or similar
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class WebSession(SQLModel, table=True):
    """A signed-in browser. The row's id is the SHA-256 (hex) of the cookie's token."""

    __tablename__ = "web_session"
    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime
    expires_at: datetime  # absolute end of the sign-in ([web] session_hours)
    address: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=300)


class LoginFailure(SQLModel, table=True):
    """A failed sign-in, counted by the throttle (services.throttle)."""

    __tablename__ = "login_failure"
    __table_args__ = (
        Index("ix_login_failure_username_at", "username", "at"),
        Index("ix_login_failure_address_at", "address", "at"),
        Index("ix_login_failure_device_at", "device", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    username: str = Field(max_length=100)  # as typed, case-folded
    address: str = Field(max_length=64)
    device: str | None = Field(default=None, max_length=64)  # a known browser's device id
