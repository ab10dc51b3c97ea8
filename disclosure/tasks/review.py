"""回头看: last year's tasks with a clear owner and due date that were not done, carried into
this year's 整改 (rectification) list.

"A clear owner" means named lead departments (not 各处室); "a due date" means not 持续推进.
Each such task gets one rectification task in `year` naming it (`carried_from_id`, unique), so
running the review again adds nothing twice. The original task is left as it was: it stays
the record of last year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from disclosure.errors import InvalidInput
from disclosure.tasks.models import Task, TaskUnit
from disclosure.vocabulary import TaskOrigin, TaskStatus, UnitRole

RECTIFY_PREFIX = "整改："


@dataclass
class ReviewResult:
    year: int
    created: list[int] = field(default_factory=list)  # new rectification task ids
    already: list[int] = field(default_factory=list)  # carried by an earlier review
    checked: int = 0  # last year's tasks looked at
    done: int = 0
    not_clear: int = 0  # not done, but no named lead or no due date

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def review_year(
    session: Session,
    *,
    year: int,
    due_on: date | None,
    today: date,
    actor: str,
    now: datetime,
    dry_run: bool = False,
) -> ReviewResult:
    """Carry `year - 1`'s unfinished, clearly owned and dated tasks into `year`."""
    due = due_on or date(year, 12, 31)
    if due.year != year:
        raise InvalidInput(f"整改完成时限 {due.isoformat()} 不在 {year} 年度内", field="due")
    result = ReviewResult(year=year)
    last_year = list(
        session.exec(select(Task).where(Task.year == year - 1).order_by(col(Task.seq))).all()
    )
    carried = {
        t.carried_from_id: t.id
        for t in session.exec(select(Task).where(col(Task.carried_from_id).is_not(None))).all()
    }
    seq = int(session.exec(select(func.max(Task.seq)).where(Task.year == year)).one() or 0)
    for old in last_year:
        result.checked += 1
        if old.status == TaskStatus.DONE.value:
            result.done += 1
            continue
        leads = [
            u
            for u in session.exec(select(TaskUnit).where(TaskUnit.task_id == old.id)).all()
            if u.role == UnitRole.LEAD.value
        ]
        if old.due_on is None or old.lead_all or not leads:
            result.not_clear += 1
            continue
        if old.id in carried:
            result.already.append(carried[old.id])  # type: ignore[arg-type]
            continue
        if dry_run:
            result.created.append(old.id)  # type: ignore[arg-type]
            continue
        seq += 1
        new = Task(
            year=year,
            seq=seq,
            section=old.section,
            title=RECTIFY_PREFIX + old.title.removeprefix(RECTIFY_PREFIX),
            requirement=old.requirement,
            unit_text=old.unit_text,
            work=old.work,
            lead_all=False,
            cooperating_all=old.cooperating_all,
            due_on=due,
            review_every=None,
            starts_on=today if today.year == year else date(year, 1, 1),
            origin=TaskOrigin.RECTIFICATION.value,
            carried_from_id=old.id,
            source=f"{year - 1}年度第{old.seq}项任务回头看",
            created_at=now,
            created_by=actor,
        )
        session.add(new)
        session.flush()
        assert new.id is not None  # assigned by the flush
        for u in session.exec(select(TaskUnit).where(TaskUnit.task_id == old.id)).all():
            session.add(TaskUnit(task_id=new.id, department_id=u.department_id, role=u.role))
        session.flush()
        result.created.append(new.id)
    return result
