"""Tables of the annual report's entered parts and of its publication locks.

- `ReportValue`: a figure of section 二 or a text (一, 五, 六) for one year, append-only; the
  value in force is the latest row per (year, key), so every change keeps who and when.
- `ReportLock`: the published report (its JSON, canonical) and that text's SHA-256. Never
  rewritten; a corrected publication is a new lock naming the one it supersedes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

VALUE_SOURCES = ("cli", "web", "xlsx")


class ReportValue(SQLModel, table=True):
    __tablename__ = "report_value"
    __table_args__ = (
        CheckConstraint(
            "source IN (" + ", ".join(f"'{s}'" for s in VALUE_SOURCES) + ")",
            name="ck_report_value_source",
        ),
        Index("ix_report_value_year_key", "year", "key", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    year: int
    key: str = Field(max_length=64)
    value: str
    source: str = Field(default="cli", max_length=8)
    entered_at: datetime
    entered_by: str = Field(default="", max_length=100)


class ReportLock(SQLModel, table=True):
    __tablename__ = "report_lock"
    __table_args__ = (UniqueConstraint("supersedes_id", name="uq_report_lock_supersedes"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    content: str  # the report's JSON as published (canonical: sorted keys, no spaces)
    sha256: str = Field(max_length=64)
    locked_at: datetime
    locked_by: str = Field(default="", max_length=100)
    supersedes_id: int | None = Field(default=None, foreign_key="report_lock.id")
