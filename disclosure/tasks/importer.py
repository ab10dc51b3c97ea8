"""`disclosure tasks import`: a 分工方案 table into the key-task ledger, all rows or none.

Every row is checked before anything is written: its 落实单位 must name at least one unit,
each unit must be a configured department (or is created with `create_departments`), and a
due date must fall in the plan's year. Problems are listed with the row, the column and what
is wrong; with any problem nothing is written.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from disclosure.errors import Conflict
from disclosure.models import Department
from disclosure.services.departments import list_departments
from disclosure.settings import Settings
from disclosure.tasks.dates import DateProblem, find_due, parse_due_cell, parse_frequency
from disclosure.tasks.models import Task, TaskUnit
from disclosure.tasks.plan_file import PlanRow, read_plan
from disclosure.tasks.units import DepartmentIndex, ParsedUnits, parse_units
from disclosure.vocabulary import ReviewFrequency, TaskOrigin, UnitRole


@dataclass(frozen=True)
class ImportProblem:
    row: int
    column: str
    problem: str


@dataclass
class PlannedTask:
    row: int
    section: str
    title: str
    requirement: str
    unit_text: str
    work: str
    leads: list[str]
    lead_all: bool
    cooperating: list[str]
    cooperating_all: bool
    due_on: date | None
    review_every: str | None


@dataclass
class TaskImport:
    year: int
    dry_run: bool
    tasks: list[PlannedTask] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    unknown_units: list[str] = field(default_factory=list)
    created_departments: list[str] = field(default_factory=list)
    imported: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["ok"] = self.ok
        for t in out["tasks"]:
            t["due_on"] = t["due_on"].isoformat() if t["due_on"] else None
        return out


def _due(row: PlanRow, year: int, problems: list[ImportProblem]) -> date | None:
    column, text = ("完成时限", row.due) if row.due else ("具体要求", row.requirement)
    try:
        due = parse_due_cell(text) if row.due else find_due(text)
    except DateProblem as exc:
        problems.append(ImportProblem(row.row, column, str(exc)))
        return None
    if due is not None and due.year != year:
        problems.append(
            ImportProblem(row.row, column, f"完成时限 {due.isoformat()} 不在 {year} 年度内")
        )
    return due


def _check_units(
    row: PlanRow, parsed: ParsedUnits, index: DepartmentIndex, unknown: dict[str, int]
) -> ImportProblem | None:
    if parsed.empty:
        words = "、".join(parsed.unrecognised)
        detail = f"（“{words}”不是单位名称）" if words else ""
        text = row.units or "（空）"
        return ImportProblem(row.row, "落实单位", f"未能识别出任何落实单位：{text}{detail}")
    for name in [*parsed.leads, *parsed.cooperating]:
        if index.find(name) is None:
            unknown.setdefault(name, row.row)
    return None


def plan_tasks(
    session: Session, *, path: Path, year: int, settings: Settings, dry_run: bool
) -> TaskImport:
    """Read and check the file; nothing is written."""
    result = TaskImport(year=year, dry_run=dry_run)
    plan = read_plan(path)
    result.problems += [ImportProblem(p.row, p.column, p.problem) for p in plan.problems]
    index = DepartmentIndex.build(list_departments(session), settings.tasks.aliases)
    default_freq = ReviewFrequency(settings.tasks.review_every)
    unknown: dict[str, int] = {}
    for row in plan.rows:
        parsed = parse_units(row.units)
        problem = _check_units(row, parsed, index, unknown)
        if problem is not None:
            result.problems.append(problem)
        due = _due(row, year, result.problems)
        freq: ReviewFrequency | None = None
        try:
            freq = parse_frequency(row.review, default_freq)
        except DateProblem as exc:
            result.problems.append(ImportProblem(row.row, "报送频次", str(exc)))
        result.tasks.append(
            PlannedTask(
                row=row.row,
                section=row.section,
                title=row.title,
                requirement=row.requirement,
                unit_text=row.units,
                work=parsed.work,
                leads=parsed.leads,
                lead_all=parsed.lead_all,
                cooperating=parsed.cooperating,
                cooperating_all=parsed.cooperating_all,
                due_on=due,
                review_every=None if due is not None or freq is None else freq.value,
            )
        )
    if not plan.rows and not plan.problems:
        result.problems.append(ImportProblem(1, "具体要求", "表格中没有任何任务"))
    result.unknown_units = list(unknown)
    return result


def _unknown_problems(result: TaskImport, path: Path) -> None:
    rows: dict[str, list[int]] = {}
    for t in result.tasks:
        for name in [*t.leads, *t.cooperating]:
            if name in result.unknown_units:
                rows.setdefault(name, []).append(t.row)
    for name, where in rows.items():
        for r in where:
            result.problems.append(
                ImportProblem(
                    r,
                    "落实单位",
                    f"未配置的部门：{name}"
                    "（请在配置中增加该部门，或使用 --create-departments 自动创建）",
                )
            )


def import_plan(
    session: Session,
    *,
    path: Path,
    year: int,
    settings: Settings,
    today: date,
    actor: str,
    now: datetime,
    dry_run: bool = False,
    create_departments: bool = False,
) -> TaskImport:
    """Check every row, then (unless `dry_run` or any problem) write every task."""
    existing = session.exec(
        select(func.count()).select_from(Task).where(Task.year == year, Task.origin == "plan")
    ).one()
    if existing:
        raise Conflict(f"{year} 年度已导入 {existing} 项重点任务，不能重复导入", field="year")
    result = plan_tasks(session, path=path, year=year, settings=settings, dry_run=dry_run)
    if result.unknown_units and not create_departments:
        _unknown_problems(result, path)
    if result.problems or dry_run:
        result.problems.sort(key=lambda p: (p.row, p.column))
        return result
    if result.unknown_units:
        result.created_departments = _create_departments(session, result.unknown_units)
    index = DepartmentIndex.build(list_departments(session), settings.tasks.aliases)
    starts_on = today if today.year == year else date(year, 1, 1)
    seq = _last_seq(session, year)
    for planned in result.tasks:
        seq += 1
        task = Task(
            year=year,
            seq=seq,
            section=planned.section,
            title=planned.title,
            requirement=planned.requirement,
            unit_text=planned.unit_text,
            work=planned.work,
            lead_all=planned.lead_all,
            cooperating_all=planned.cooperating_all,
            due_on=planned.due_on,
            review_every=planned.review_every,
            starts_on=starts_on,
            origin=TaskOrigin.PLAN.value,
            source=f"{path.name} 第{planned.row}行",
            created_at=now,
            created_by=actor,
        )
        session.add(task)
        session.flush()
        add_units(session, task, planned.leads, planned.cooperating, index)
    result.imported = len(result.tasks)
    return result


def add_units(
    session: Session, task: Task, leads: list[str], cooperating: list[str], index: DepartmentIndex
) -> None:
    assert task.id is not None  # the caller flushed the new task
    seen: set[tuple[int, str]] = set()
    for role, names in ((UnitRole.LEAD, leads), (UnitRole.COOPERATING, cooperating)):
        for name in names:
            dep = index.find(name)
            assert dep is not None and dep.id is not None  # checked by plan_tasks
            if (dep.id, role.value) not in seen:
                seen.add((dep.id, role.value))
                session.add(TaskUnit(task_id=task.id, department_id=dep.id, role=role.value))
    session.flush()


def _last_seq(session: Session, year: int) -> int:
    stmt = select(func.max(Task.seq)).where(Task.year == year)
    return int(session.exec(stmt).one() or 0)


def _create_departments(session: Session, names: list[str]) -> list[str]:
    codes = {d.code for d in session.exec(select(Department)).all()}
    created = []
    for name in names:
        code = name
        n = 1
        while code in codes:
            n += 1
            code = f"{name}{n}"
        codes.add(code)
        session.add(Department(code=code, name=name))
        created.append(name)
    session.flush()
    return created
