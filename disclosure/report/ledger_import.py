"""Migrating an existing ledger in: validate every row, then write all rows or none.

Two phases. First every row is read and checked in memory (`ledger_rows` for the file's
formats and codes, `ledger_plan` for the services' rules and the engine's deadlines, computed
once per row from its whole history); every problem is reported with its row and column.
Only when no row has a problem (and not with `dry_run`) are the rows written, with Core bulk
inserts: applications in chunks, then their event logs.

`check_ledger` (phase one) needs only a read-only transaction, and `write_ledger` (phase two)
one write transaction: the CLI runs them apart, so the register's write lock is held only
while rows are written, not while a large file is read and checked (on SQLite every other
writer waits for it). A number registered by someone else in between fails the write as a
whole (`Conflict`); `import_ledger` runs both phases in the caller's transaction.

Registration numbers are kept as in the file (the office's `registration.number_pattern`);
each year's number counter is then left at the highest number in use, so later
registrations never collide.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from disclosure.errors import Conflict
from disclosure.models import Application, Department, EventRecord
from disclosure.report import ledger_file as lf
from disclosure.report.ledger_plan import (
    ImportContext,
    Planned,
    RowFailure,
    application_row,
    event_rows,
    plan,
)
from disclosure.report.ledger_rows import Parser, Row, RowError, check_header, number_parser
from disclosure.services.context import Context
from disclosure.services.numbering import raise_counter
from disclosure.services.registration import APPLICATION_SERIES

__all__ = ["ImportReport", "RowError", "check_ledger", "import_ledger", "write_ledger"]

CHUNK = 2000  # applications per bulk insert
ON_TIME_WORDS = ("是", "否")  # the export's words for a closed case (ledger_export._on_time)


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    # where the old ledger's own figures differ from the recomputed ones (imported anyway)
    notes: list[RowError] = field(default_factory=list)
    encoding: str = ""  # how a CSV file was decoded ("GB18030", "UTF-8（带 BOM）", …)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "imported": self.imported,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "errors": [e.__dict__ for e in self.errors],
            "notes": [e.__dict__ for e in self.notes],
            "encoding": self.encoding,
        }


def import_ledger(
    session: Session,
    *,
    ctx: Context,
    path: Path,
    dry_run: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_row: Callable[[], None] | None = None,
) -> ImportReport:
    """Validate and import `path` in one transaction; returns the report (nothing written
    if it has errors)."""
    report, planned = check_ledger(
        session, ctx=ctx, path=path, dry_run=dry_run, on_start=on_start, on_row=on_row
    )
    if report.ok and not dry_run:
        write_ledger(session, planned, ctx=ctx)
    return report


def check_ledger(
    session: Session,
    *,
    ctx: Context,
    path: Path,
    dry_run: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_row: Callable[[], None] | None = None,
) -> tuple[ImportReport, list[Planned]]:
    """Phase one (reads only): the report, and the planned rows when it has no errors."""
    table = lf.read_ledger_file(path)
    header, rows = table.header, table.rows
    report = ImportReport(rows=len(rows), dry_run=dry_run, encoding=table.encoding)
    del table
    report.errors = check_header(header)
    report.errors.extend(
        RowError(row, column, f"单元格有 {n} 个字符，超过 {lf.MAX_CELL_CHARS} 个的上限")
        for number, cells in rows
        for row, column, n in lf.oversized_cells(header, number, cells)
    )
    if report.errors:
        return report, []
    stmt = select(col(Department.id), col(Department.code), col(Department.name))
    deps = list(session.execute(stmt))
    refs = {ref: code for _id, code, name in deps for ref in (name, code)}
    pattern = ctx.settings.registration.number_pattern
    targets = ctx.settings.targets
    names = {targets.name_of(code): code for code in targets.case_types}
    parser = Parser(header, refs, number_parser(pattern), names)
    ictx = ImportContext(ctx, {code: dep_id for dep_id, code, _ in deps})
    taken = _taken(session)
    if on_start:
        on_start(len(rows))
    planned: list[Planned] = []
    for number, cells in rows:
        row, errors = parser.parse(number, cells)
        if row is not None and (row.number in taken[0] or (row.year, row.seq) in taken[1]):
            errors = [RowError(number, "登记编号", f"编号 {row.number} 已存在")]
        elif row is not None:
            try:
                planned.append(plan(row, ictx))
            except RowFailure as exc:
                errors = [RowError(number, exc.column, exc.problem)]
            else:
                report.notes.extend(disagreements(row, planned[-1]))
        report.errors.extend(errors)
        if on_row:
            on_row()
    del rows
    if report.errors:
        return report, []
    report.imported = len(planned)
    return report, planned


def disagreements(row: Row, planned: Planned) -> list[RowError]:
    """Where the old ledger's 答复期限 or 是否按期 differs from what the engine computes from
    the row's dates (a hand count that missed a 调休 day, say): the computed value is kept,
    the clerk is told."""
    stated = row.stated or {}
    d = planned.deadlines
    out = []
    due = stated.get("reply_due")
    if due is not None and due != d["reply_due"]:
        computed = d["reply_due"].isoformat() if d["reply_due"] else "（无）"
        out.append(RowError(row.row, "答复期限", f"原台账为 {due}，按本系统计算为 {computed}"))
    said = stated.get("on_time")
    if said in ON_TIME_WORDS and d.get("closed_on") is not None:
        computed_word = "是" if d.get("closed_on_time") else "否"
        if said != computed_word:
            out.append(
                RowError(row.row, "是否按期", f"原台账为 {said}，按本系统计算为 {computed_word}")
            )
    return out


def _taken(session: Session) -> tuple[set[str], set[tuple[int, int]]]:
    """Numbers and (year, seq) pairs already in the register."""
    numbers: set[str] = set()
    pairs: set[tuple[int, int]] = set()
    for number, year, seq in session.execute(
        select(col(Application.number), col(Application.year), col(Application.seq))
    ):
        numbers.add(number)
        pairs.add((year, seq))
    return numbers, pairs


def _chunks(items: Sequence[Planned]) -> Iterator[Sequence[Planned]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def write_ledger(session: Session, planned: list[Planned], *, ctx: Context) -> None:
    """Phase two: write the planned rows (in the caller's write transaction)."""
    actor, now, today = ctx.actor, ctx.now, ctx.today
    app_table = Application.__table__  # type: ignore[attr-defined]
    event_table = EventRecord.__table__  # type: ignore[attr-defined]
    # The counters first: on PostgreSQL their row locks keep a concurrent registration from
    # taking a number of these years until this transaction ends.
    highest: dict[int, int] = {}
    for p in planned:
        highest[p.year] = max(highest.get(p.year, 0), p.seq)
    for year, seq in sorted(highest.items()):
        raise_counter(session, series=APPLICATION_SERIES, year=year, to=seq)
    try:
        for chunk in _chunks(planned):
            # Plain executemany, then the ids by (year, seq): with RETURNING, SQLAlchemy sends
            # multi-row VALUES statements that psycopg re-parses every time (about 0.5 ms a
            # row); executemany sends one statement once and streams the rows.
            session.execute(
                insert(app_table), [application_row(p, actor=actor, now=now) for p in chunk]
            )
            id_of = _ids(session, chunk)
            events = [
                ev
                for p in chunk
                for ev in event_rows(p, id_of[p.number], actor=actor, now=now, today=today)
            ]
            session.execute(insert(event_table), events)
    except IntegrityError as exc:  # a number registered by someone else since the check
        raise Conflict(
            "导入期间有新的登记占用了文件中的编号，未导入任何数据，请重试",
            field="FILE",
        ) from exc


def _ids(session: Session, chunk: Sequence[Planned]) -> dict[str, int]:
    """The ids of the applications of `chunk` just inserted, by number."""
    a = Application.__table__  # type: ignore[attr-defined]
    wanted = {p.number for p in chunk}
    seqs: dict[int, list[int]] = {}
    for p in chunk:
        seqs.setdefault(p.year, []).append(p.seq)
    out: dict[str, int] = {}
    for year, ss in seqs.items():
        stmt = select(a.c.number, a.c.id).where(a.c.year == year, a.c.seq.between(min(ss), max(ss)))
        out.update((n, int(i)) for n, i in session.execute(stmt) if n in wanted)
    return out
