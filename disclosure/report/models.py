"""Administrative review and litigation cases about applications (AR table 四).

One row per case: a reconsideration (行政复议), a lawsuit filed without reconsideration
(未经复议直接起诉), or a lawsuit after reconsideration (复议后起诉). Kinds and results are plain
strings with CHECK constraints (stack-notes: no native enums).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel


class ReviewKind(StrEnum):
    RECONSIDERATION = "reconsideration"  # 行政复议
    LITIGATION_DIRECT = "litigation_direct"  # 未经复议直接起诉
    LITIGATION_AFTER_REVIEW = "litigation_after_review"  # 复议后起诉


class ReviewResult(StrEnum):
    MAINTAINED = "maintained"  # 结果维持
    CORRECTED = "corrected"  # 结果纠正
    OTHER = "other"  # 其他结果
    PENDING = "pending"  # 尚未审结


def _check(column: str, values: type[StrEnum]) -> CheckConstraint:
    allowed = ", ".join(f"'{v.value}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"ck_review_case_{column}")


class ReviewCase(SQLModel, table=True):
    __tablename__ = "review_case"
    __table_args__ = (_check("kind", ReviewKind), _check("result", ReviewResult))

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    kind: str = Field(max_length=32)
    result: str = Field(max_length=16)
    filed_on: date = Field(index=True)
    decided_on: date | None = None
    note: str = ""
    created_at: datetime
    created_by: str = Field(default="", max_length=100)
