"""What the notifier reminds about key tasks: due dates, and progress reports of continuing ones.

Two clocks (`disclosure.vocabulary.Clock`): `task_due` — a task's 完成时限; and
`task_progress_due` — the next progress report of a 持续推进 task (`dates.next_report_due`).
Each reminder goes to the lead departments' contacts (every department for 各处室 tasks),
in the same daily digests as applications; the notifier adds the office's recipients and
applies the same thresholds (days ahead, due day, overdue, escalation).

Outbox rows are keyed by an application id; a task's rows carry `-task.id` (applications
have positive ids, 0 is office-wide), so tasks and applications never share a key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from sqlmodel import Session, col, select

from disclosure.models import Department
from disclosure.tasks.dates import next_report_due
from disclosure.tasks.models import Task, TaskProgress, TaskUnit
from disclosure.tasks.service import lead_names
from disclosure.vocabulary import Clock, ReviewFrequency, TaskStatus, UnitRole

TASK_CLOCKS = frozenset({Clock.TASK_DUE.value, Clock.TASK_PROGRESS.value})
NUMBER_PREFIX = "重点任务"


@dataclass(frozen=True)
class TaskReminder:
    id: int  # the outbox's application_id: minus the task's id
    number: str  # 重点任务2021-07
    content: str  # shown as the summary
    clock: str
    due: date
    department: str
    emails: tuple[str, ...]


def task_code(task: Task) -> str:
    return f"{task.year}-{task.seq:02d}"


def item_link(base: str, clock: str, number: str) -> str:
    """The web link of a digest item: a task's page for task clocks, else the application's."""
    if not base:
        return ""
    if clock in TASK_CLOCKS:
        return f"{base}/tasks/{quote(number.removeprefix(NUMBER_PREFIX))}"
    return f"{base}/applications/{quote(number)}"


# Practice: a work plan's tasks are reminded in its year and the next (its review is part of
# that next year's annual report, due 31 January); an older plan imported as a record (2021's
# in 2026) reminds nobody: its open tasks are carried into a later plan or reviewed there.
REMINDED_YEARS_BACK = 1


def task_reminders(
    session: Session, *, wanted: set[str], today: date | None = None
) -> list[TaskReminder]:
    """Every open task's clock (due date or next progress report), with its recipients;
    with `today`, only the tasks of plans from `REMINDED_YEARS_BACK` years back on."""
    if not wanted & TASK_CLOCKS:
        return []
    carried = select(Task.carried_from_id).where(col(Task.carried_from_id).is_not(None))
    stmt = select(Task).where(Task.status != TaskStatus.DONE.value, col(Task.id).not_in(carried))
    if today is not None:
        stmt = stmt.where(Task.year >= today.year - REMINDED_YEARS_BACK)
    tasks = list(session.exec(stmt).all())
    if not tasks:
        return []
    ids = [t.id for t in tasks]
    departments = {d.id: d for d in session.exec(select(Department)).all() if d.active}
    leads: dict[int, list[Department]] = {}
    for u in session.exec(select(TaskUnit).where(col(TaskUnit.task_id).in_(ids))):
        if u.role == UnitRole.LEAD.value and u.department_id in departments:
            leads.setdefault(u.task_id, []).append(departments[u.department_id])
    last: dict[int, date] = {}
    for p in session.exec(select(TaskProgress).where(col(TaskProgress.task_id).in_(ids))):
        last[p.task_id] = max(last.get(p.task_id, p.on), p.on)
    out: list[TaskReminder] = []
    for t in tasks:
        assert t.id is not None
        if t.due_on is not None:
            clock, due = Clock.TASK_DUE.value, t.due_on
        elif t.review_every:
            clock = Clock.TASK_PROGRESS.value
            due = next_report_due(t.starts_on, last.get(t.id), ReviewFrequency(t.review_every))
        else:
            continue
        if clock not in wanted:
            continue
        deps = list(departments.values()) if t.lead_all else leads.get(t.id, [])
        names = [d.name for d in leads.get(t.id, [])]
        out.append(
            TaskReminder(
                id=-t.id,
                number=NUMBER_PREFIX + task_code(t),
                content=f"{t.title}{t.requirement}",
                clock=clock,
                due=due,
                department=lead_names(t, names),
                emails=tuple(d.email for d in deps if d.email),
            )
        )
    return out
