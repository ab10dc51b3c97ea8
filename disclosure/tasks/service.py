"""The key-task ledger: who sees which task, progress notes, completion, and 回头看.

A department user sees a task it leads or cooperates on (or one for 各处室); `scope` is that
department's id (None: the office sees everything), and a task outside it answers "not
found" exactly like a missing one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from disclosure.errors import Conflict, InvalidInput, NotFound
from disclosure.models import Department
from disclosure.storage import FileStore
from disclosure.tasks.dates import next_report_due
from disclosure.tasks.evidence import EvidenceInput, store_evidence
from disclosure.tasks.models import Task, TaskEvidence, TaskProgress, TaskUnit
from disclosure.vocabulary import ReviewFrequency, TaskOrigin, TaskStatus, UnitRole

ALL_DEPARTMENTS = "各处室"


def visible(scope: int | None) -> Any:
    """The WHERE clause of the tasks department `scope` may see (True for the office)."""
    if scope is None:
        return col(Task.id).is_not(None)
    units = select(TaskUnit.task_id).where(TaskUnit.department_id == scope)
    return or_(
        col(Task.lead_all).is_(True), col(Task.cooperating_all).is_(True), col(Task.id).in_(units)
    )


def get_task(session: Session, task_id: int, scope: int | None = None) -> Task:
    stmt = select(Task).where(Task.id == task_id, visible(scope))
    task = session.exec(stmt).first()
    if task is None:
        raise NotFound(f"没有编号为 {task_id} 的重点任务", field="task")
    return task


def _status(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    try:
        return TaskStatus(value).value
    except ValueError as exc:
        choices = TaskStatus.choices()
        raise InvalidInput(f"未知状态 {value!r}；可用：{choices}", field="status") from exc


def list_tasks(
    session: Session,
    *,
    scope: int | None = None,
    year: int | None = None,
    department: Department | None = None,
    status: str | None = None,
) -> list[dict[str, Any]]:
    """Tasks in plan order (year, seq) as plain dicts for lists, JSON and exports."""
    stmt = select(Task).where(visible(scope))
    if year is not None:
        stmt = stmt.where(Task.year == year)
    if department is not None:
        stmt = stmt.where(visible(department.id))
    if (wanted := _status(status)) is not None:
        stmt = stmt.where(Task.status == wanted)
    tasks = list(session.exec(stmt.order_by(col(Task.year), col(Task.seq))).all())
    return views(session, tasks)


def views(
    session: Session, tasks: Iterable[Task], *, progress: bool = False
) -> list[dict[str, Any]]:
    tasks = list(tasks)
    ids = [t.id for t in tasks]
    names = {d.id: d.name for d in session.exec(select(Department)).all()}
    units: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"lead": [], "cooperating": []})
    if ids:
        stmt = select(TaskUnit).where(col(TaskUnit.task_id).in_(ids)).order_by(col(TaskUnit.id))
        for u in session.exec(stmt):
            units[u.task_id][u.role].append(names.get(u.department_id, "?"))
    last = _last_reports(session, ids)
    notes = _progress(session, ids, names) if progress else {}
    return [
        _view(t, units[t.id], last.get(t.id), notes.get(t.id, []) if progress else None)  # type: ignore[index,arg-type]
        for t in tasks
    ]


def _last_reports(session: Session, ids: list[int | None]) -> dict[int, date]:
    if not ids:
        return {}
    stmt = (
        select(TaskProgress.task_id, func.max(TaskProgress.on))
        .where(col(TaskProgress.task_id).in_(ids))
        .group_by(col(TaskProgress.task_id))
    )
    return {tid: on for tid, on in session.exec(stmt)}


def lead_names(task: Task, leads: list[str]) -> str:
    if task.lead_all and not leads:
        return f"{ALL_DEPARTMENTS}（按职责）"
    return "、".join(leads) + ("等各相关处室" if task.lead_all else "")


def _view(
    task: Task, units: dict[str, list[str]], last: date | None, notes: list[dict[str, Any]] | None
) -> dict[str, Any]:
    freq = ReviewFrequency(task.review_every) if task.review_every else None
    next_due = None
    if freq is not None and task.status != TaskStatus.DONE.value:
        next_due = next_report_due(task.starts_on, last, freq)
    cooperating = "、".join(units["cooperating"])
    if task.cooperating_all:
        cooperating = ALL_DEPARTMENTS if not cooperating else f"{cooperating}、{ALL_DEPARTMENTS}"
    out: dict[str, Any] = {
        "id": task.id,
        "code": f"{task.year}-{task.seq:02d}",
        "year": task.year,
        "seq": task.seq,
        "section": task.section,
        "title": task.title,
        "requirement": task.requirement,
        "unit_text": task.unit_text,
        "work": task.work,
        "leads": list(units["lead"]),
        "lead_all": task.lead_all,
        "lead_label": lead_names(task, units["lead"]),
        "cooperating": list(units["cooperating"]),
        "cooperating_all": task.cooperating_all,
        "cooperating_label": cooperating,
        "due_on": task.due_on.isoformat() if task.due_on else None,
        "continuing": task.due_on is None,
        "review_every": task.review_every,
        "review_label": freq.label if freq else "",
        "next_report_due": next_due.isoformat() if next_due else None,
        "last_report_on": last.isoformat() if last else None,
        "status": task.status,
        "status_label": TaskStatus(task.status).label,
        "done_on": task.done_on.isoformat() if task.done_on else None,
        "origin": task.origin,
        "origin_label": TaskOrigin(task.origin).label,
        "carried_from_id": task.carried_from_id,
    }
    if notes is not None:
        out["progress"] = notes
    return out


def _progress(
    session: Session, ids: list[int | None], names: dict[int | None, str]
) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    stmt = select(TaskProgress).where(col(TaskProgress.task_id).in_(ids))
    rows = list(session.exec(stmt.order_by(col(TaskProgress.on), col(TaskProgress.id))))
    evidence: dict[int, list[dict[str, Any]]] = defaultdict(list)
    pids = [p.id for p in rows]
    if pids:
        stmt2 = select(TaskEvidence).where(col(TaskEvidence.progress_id).in_(pids))
        for ev in session.exec(stmt2.order_by(col(TaskEvidence.id))):
            evidence[ev.progress_id].append(
                {
                    "id": ev.id,
                    "kind": ev.kind,
                    "name": ev.name or ev.url,
                    "url": ev.url,
                    "sha256": ev.sha256,
                    "size": ev.size,
                    "media_type": ev.media_type,
                    "fetch_error": ev.fetch_error,
                }
            )
    for p in rows:
        out[p.task_id].append(
            {
                "id": p.id,
                "on": p.on.isoformat(),
                "note": p.note,
                "done": p.done,
                "author": p.author,
                "department": names.get(p.department_id, "") if p.department_id else "",
                "evidence": evidence.get(p.id, []),  # type: ignore[arg-type]
            }
        )
    return out


def task_view(session: Session, task_id: int, scope: int | None = None) -> dict[str, Any]:
    return views(session, [get_task(session, task_id, scope)], progress=True)[0]


def _check_day(on: date, task: Task, today: date, field: str) -> None:
    if on > today:
        raise InvalidInput(f"日期 {on.isoformat()} 晚于今天", field=field)
    if on.year < task.year:
        raise InvalidInput(f"日期 {on.isoformat()} 早于任务所属的 {task.year} 年度", field=field)


def add_progress(
    session: Session,
    *,
    store: FileStore,
    task_id: int,
    note: str,
    on: date,
    author: str,
    today: date,
    now: datetime,
    scope: int | None = None,
    department_id: int | None = None,
    evidence: Iterable[EvidenceInput] = (),
    max_bytes: int,
    done: bool = False,
) -> TaskProgress:
    """Append a progress note (with its evidence) to a task the author may see."""
    task = get_task(session, task_id, scope)
    if not note.strip():
        raise InvalidInput("进展情况不能为空", field="note")
    _check_day(on, task, today, "date")
    row = TaskProgress(
        task_id=task.id,  # type: ignore[arg-type]
        on=on,
        note=note.strip(),
        done=done,
        author=author,
        department_id=department_id if department_id is not None else scope,
        recorded_at=now,
    )
    session.add(row)
    session.flush()
    for ev in evidence:
        store_evidence(session, store, row.id, ev, max_bytes)  # type: ignore[arg-type]
    if task.status == TaskStatus.OPEN.value:
        task.status = TaskStatus.IN_PROGRESS.value
    session.add(task)
    session.flush()
    return row


def mark_done(session: Session, *, task_id: int, on: date, note: str = "", **kw: Any) -> Task:
    """Close a task on `on` (a progress note marked as the closing one)."""
    task = get_task(session, task_id, kw.get("scope"))
    if task.status == TaskStatus.DONE.value:
        raise Conflict(f"该任务已于 {task.done_on} 完成", field="task")
    add_progress(session, task_id=task_id, on=on, note=note or "任务已完成", done=True, **kw)
    task.status, task.done_on = TaskStatus.DONE.value, on
    session.add(task)
    session.flush()
    return task


def evidence_file(session: Session, evidence_id: int, scope: int | None) -> TaskEvidence:
    ev = session.get(TaskEvidence, evidence_id)
    progress = session.get(TaskProgress, ev.progress_id) if ev else None
    if ev is None or progress is None or ev.sha256 is None:
        raise NotFound("没有该证明材料", field="evidence")
    get_task(session, progress.task_id, scope)
    return ev


def unit_roles(session: Session, task_id: int) -> list[tuple[int, str]]:
    stmt = select(TaskUnit.department_id, TaskUnit.role).where(TaskUnit.task_id == task_id)
    return [(d, r) for d, r in session.exec(stmt)]


def is_lead(session: Session, task: Task, department_id: int | None) -> bool:
    if department_id is None:
        return False
    return task.lead_all or (department_id, UnitRole.LEAD.value) in unit_roles(session, task.id)  # type: ignore[arg-type]


def task_id_of(session: Session, ref: str) -> int:
    """A task's id from its # in `tasks list` ("12") or its code ("2021-07", as the ledger,
    the reminders and the web show it, 重点任务2021-07 too)."""
    ref = ref.strip().removeprefix("重点任务")
    if ref.isdigit():
        return int(ref)
    year, _, seq = ref.partition("-")
    if year.isdigit() and seq.isdigit():
        found = session.exec(
            select(Task.id).where(Task.year == int(year), Task.seq == int(seq))
        ).first()
        if found is not None:
            return int(found)
    raise NotFound(f"没有编号为 {ref} 的重点任务（可用 # 或 年度-序号，如 2021-07）", field="task")
