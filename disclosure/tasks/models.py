"""Tables of the key-task ledger (重点任务台账) of the yearly work plan.

One `Task` is one requirement row of the plan (具体要求 with its 落实单位); the plan's 工作任务
heading and section are kept on it. Departments take part through `TaskUnit` rows (牵头 or
配合); "各处室" is a flag, not one row per department, so a department configured later is
included too. Progress notes (`TaskProgress`) and their evidence (`TaskEvidence`) are
append-only: a correction is a new note.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from disclosure.vocabulary import (
    EvidenceKind,
    ReviewFrequency,
    TaskOrigin,
    TaskStatus,
    UnitRole,
)


def _check(
    table: str, column: str, values: type[StrEnum], nullable: bool = False
) -> CheckConstraint:
    allowed = ", ".join(f"'{v.value}'" for v in values)
    cond = f"{column} IN ({allowed})"
    if nullable:
        cond = f"{column} IS NULL OR {cond}"
    return CheckConstraint(cond, name=f"ck_{table}_{column}")


class Task(SQLModel, table=True):
    __tablename__ = "plan_task"
    __table_args__ = (
        _check("plan_task", "status", TaskStatus),
        _check("plan_task", "origin", TaskOrigin),
        _check("plan_task", "review_every", ReviewFrequency, nullable=True),
        UniqueConstraint("year", "seq", name="uq_plan_task_year_seq"),
        UniqueConstraint("carried_from_id", name="uq_plan_task_carried_from"),
    )

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    seq: int  # order in the plan, 1… per year
    section: str = Field(
        default="", max_length=200
    )  # e.g. 四、紧扣政府信息公开条例实施深化政务公开
    title: str = Field(max_length=300)  # 工作任务
    requirement: str  # 具体要求
    unit_text: str = Field(max_length=500)  # 落实单位 as written
    work: str = Field(default="", max_length=300)  # what the lead does, when the cell says it
    lead_all: bool = False  # 各处室（按职责）落实 / 起草处室牵头: every department leads its part
    cooperating_all: bool = False  # 各处室配合
    due_on: date | None = None  # None: 持续推进
    review_every: str | None = Field(default=None, max_length=16)  # continuing tasks only
    starts_on: date
    status: str = Field(default=TaskStatus.OPEN.value, max_length=16)
    done_on: date | None = None
    origin: str = Field(default=TaskOrigin.PLAN.value, max_length=16)
    carried_from_id: int | None = Field(default=None, foreign_key="plan_task.id")
    source: str = Field(default="", max_length=300)  # file name and row it was imported from
    created_at: datetime
    created_by: str = Field(default="", max_length=100)


class TaskUnit(SQLModel, table=True):
    __tablename__ = "plan_task_unit"
    __table_args__ = (
        _check("plan_task_unit", "role", UnitRole),
        UniqueConstraint("task_id", "department_id", "role", name="uq_plan_task_unit"),
        Index("ix_plan_task_unit_department", "department_id", "task_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="plan_task.id", index=True)
    department_id: int = Field(foreign_key="department.id")
    role: str = Field(max_length=16)


class TaskProgress(SQLModel, table=True):
    """One progress note (append-only); `done` marks the note that closed the task."""

    __tablename__ = "plan_task_progress"
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="plan_task.id", index=True)
    on: date
    note: str
    done: bool = False
    author: str = Field(default="", max_length=100)
    department_id: int | None = Field(default=None, foreign_key="department.id")
    recorded_at: datetime


class TaskEvidence(SQLModel, table=True):
    """A file in the store, or a URL with the snapshot of what it returned (if reachable)."""

    __tablename__ = "plan_task_evidence"
    __table_args__ = (_check("plan_task_evidence", "kind", EvidenceKind),)

    id: int | None = Field(default=None, primary_key=True)
    progress_id: int = Field(foreign_key="plan_task_progress.id", index=True)
    kind: str = Field(max_length=8)
    name: str = Field(default="", max_length=300)  # file name, or the page's title
    url: str = Field(default="", max_length=2000)
    sha256: str | None = Field(default=None, max_length=64)  # None: URL not reachable
    size: int = 0
    media_type: str = Field(default="", max_length=200)
    fetched_at: datetime | None = None
    fetch_error: str = Field(default="", max_length=500)
