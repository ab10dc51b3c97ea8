"""Database tables (SQLModel). Enums are stored as plain strings with CHECK constraints.

Stored deadlines (`reply_due`, `next_action_due`, `internal_target`, `provisional`) are
recomputed in one place only: `disclosure.services.deadlines.recompute`, called by the service
that appends an event, inside the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from disclosure.vocabulary import ApplicantKey, ApplicantType, ApprovalRole, Channel, Role, Stage

__all__ = [
    "Applicant",
    "ApplicantType",
    "Application",
    "Counter",
    "Department",
    "EventRecord",
    "Role",
    "Stage",
    "User",
]


def _check(column: str, values: type[StrEnum]) -> CheckConstraint:
    allowed = ", ".join(f"'{v.value}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"ck_{column}")


class Department(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=200)
    contact: str = Field(default="", max_length=100)
    email: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=50)
    active: bool = True


class Application(SQLModel, table=True):
    __table_args__ = (
        _check("channel", Channel),
        _check("applicant_type", ApplicantType),
        _check("stage", Stage),
        UniqueConstraint("year", "seq", name="uq_application_year_seq"),
        Index("ix_application_open_reply_due", "is_open", "reply_due"),
        Index("ix_application_open_next_due", "is_open", "next_action_due"),
        Index("ix_application_dept_open_due", "lead_department_id", "is_open", "reply_due"),
        # The list pages order by (reply_due, id): these serve ORDER BY … LIMIT from the index.
        Index("ix_application_open_due_id", "is_open", "reply_due", "id"),
        Index("ix_application_due_id", "reply_due", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True, max_length=64)
    year: int
    seq: int
    channel: str = Field(max_length=32)
    arrived_on: date | None = None
    received_on: date | None = Field(default=None, index=True)  # legal receipt (Reg. Art. 31)
    applicant_name: str = Field(max_length=200)
    applicant_type: str = Field(max_length=32)
    email: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=50)
    address: str = Field(default="", max_length=300)
    id_number: str = Field(default="", max_length=64)  # personal data: never in lists or e-mails
    content: str
    form_wanted: str = Field(default="", max_length=100)  # 纸质/电子/…
    case_type: str = Field(default="", max_length=64)
    lead_department_id: int | None = Field(default=None, foreign_key="department.id")
    cooperating: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    stage: str = Field(default=Stage.REGISTERED.value, max_length=32)
    outcome: str | None = Field(default=None, max_length=8)
    # Stored deadlines (recomputed by services.deadlines.recompute only).
    is_open: bool = True
    reply_due: date | None = None
    next_action_due: date | None = None
    internal_target: date | None = None
    correction_notice_due: date | None = None
    provisional: bool = False
    paused_from: date | None = None  # the latest pause (open pauses run to their limit)
    paused_until: date | None = None
    awaiting_correction: bool = False
    closed_on: date | None = None
    closed_on_time: bool | None = None
    flag_count: int = 0  # late steps the law does not forbid outright (rulebook §11)
    created_at: datetime
    updated_at: datetime
    created_by: str = Field(default="", max_length=100)
    # Who applied (disclosure.people.applicants); None: not identifiable (no ID, code or phone).
    applicant_id: int | None = Field(default=None, foreign_key="applicant.id", index=True)
    # The handler (承办人) in the lead department (`assign --handler`; migration 0018).
    handler_id: int | None = Field(default=None, foreign_key="user.id", index=True)


class Applicant(SQLModel, table=True):
    """A person or organisation that applies: one row per ID number, credit code or name and
    phone (`key`), so fees per month (Fees art. 5) and repeated requests (Reg. Art. 36(6))
    are counted over the applicant's real history. Personal data: never in lists or e-mails."""

    __table_args__ = (_check("key_kind", ApplicantKey),)
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=300)  # e.g. "ric:110101…", "uscc:9111…"
    key_kind: str = Field(max_length=20)
    name: str = Field(max_length=200)
    id_number: str = Field(default="", max_length=64)
    credit_code: str = Field(default="", max_length=18)
    phone: str = Field(default="", max_length=50)
    created_at: datetime


class EventRecord(SQLModel, table=True):
    """The append-only event log (who, when, what, dates, note)."""

    __tablename__ = "event"
    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    kind: str = Field(max_length=40)
    on: date
    end_on: date | None = None
    due_on: date | None = None
    days: int | None = None
    party: str | None = Field(default=None, max_length=200)
    approver: str | None = Field(default=None, max_length=100)
    outcome: str | None = Field(default=None, max_length=8)
    amount_yuan: int | None = None
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    note: str = ""
    actor: str = Field(default="", max_length=100)
    recorded_at: datetime


class Counter(SQLModel, table=True):
    """Gapless sequence per (series, year): registration numbers and letter serials."""

    series: str = Field(primary_key=True, max_length=64)
    year: int = Field(primary_key=True)
    last: int = 0


class User(SQLModel, table=True):
    __table_args__ = (
        _check("role", Role),
        CheckConstraint(
            "approval_role IS NULL OR approval_role IN ("
            + ", ".join(f"'{r.value}'" for r in ApprovalRole)
            + ")",
            name="ck_approval_role",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=100)
    password_hash: str = Field(max_length=300)
    role: str = Field(max_length=20)
    department_id: int | None = Field(default=None, foreign_key="department.id")
    display_name: str = Field(default="", max_length=100)
    active: bool = True
    created_at: datetime
    approval_role: str | None = Field(default=None, max_length=20)  # place in the sign-off chain
    must_change_password: bool = False  # a one-time password given by an admin (`user reset`)
    email: str = Field(default="", max_length=200)  # a handler's reminders (migration 0018)
