"""Migrating an existing ledger in: validate every row, then all rows or none.

Each row becomes an application through the service layer (`register_application`, then its
dated history through `record_event`/`reply`/`withdraw`/`abandon`/`move_stage`), so the
engine recomputes every deadline. Registration numbers are kept: before a row is registered
the number counter of its year is set so that `next_number` yields the row's own sequence,
and afterwards each counter is left at the highest number in use, so later registrations
never collide. The file must use the office's `registration.number_pattern`.

Everything runs in the caller's transaction inside one savepoint, with a nested savepoint
per row so that one bad row does not hide the next; any bad row (or `dry_run`) rolls the
whole import back.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text as sql
from sqlmodel import Session, select

from disclosure.errors import DisclosureError
from disclosure.models import ApplicantType, Application, Department, Stage
from disclosure.outcomes import ABANDONED_CORRECTION, ABANDONED_FEE, OUTCOMES, WITHDRAWN
from disclosure.report import ledger_file as lf
from disclosure.report.labels import APPLICANT_LABELS, CHANNEL_LABELS
from disclosure.report.ledger_columns import BY_HEADER, BY_KEY, COLUMNS, LIST_SEPARATORS
from disclosure.services import applications as svc
from disclosure.services.numbering import peek_last
from disclosure.services.office import Office
from disclosure.services.workflow import ORDER, STAGE_LABELS
from rules.errors import RulesError
from rules.events import Channel, EventKind

# Service error fields (CLI option names) → ledger column headers.
FIELD_COLUMNS = {
    "--channel": "提交方式",
    "--received": "收到日期",
    "--arrived": "送达日期",
    "--applicant": "申请人",
    "--applicant-type": "申请人类型",
    "--content": "申请内容",
    "--email": "电子邮箱",
    "--phone": "联系电话",
    "--id-number": "证件号码",
    "--department": "主办部门",
    "--cooperating": "协办部门",
    "--case-type": "案件类型",
    "case_type": "案件类型",
    "--outcome": "结果代码",
    "--approver": "延期批准人",
}
_CHANNELS = {**{v: k for k, v in CHANNEL_LABELS.items()}, **{c.value: c.value for c in Channel}}
_TYPES = {
    **{v: k for k, v in APPLICANT_LABELS.items()},
    **{t.value: t.value for t in ApplicantType},
}
_STAGES = {**{v: k for k, v in STAGE_LABELS.items()}, **{s.value: s for s in Stage}}


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row (the header is row 1)
    column: str
    problem: str


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)

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
        }


class _RowFailure(Exception):
    def __init__(self, column: str, problem: str) -> None:
        super().__init__(problem)
        self.column, self.problem = column, problem


@dataclass
class _Row:
    row: int
    number: str
    year: int
    seq: int
    values: dict[str, Any]  # ApplicationCreate fields
    history: dict[str, Any]  # dated steps, keyed as ledger_columns
    stage: Stage | None


def number_parser(pattern: str) -> Callable[[str], tuple[int | None, int] | None]:
    """(year, seq) of a number in the office's pattern, or None when it does not match."""
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if name == "year":
            parts.append(r"(?P<year>\d{4})")
        elif name == "seq":
            parts.append(r"(?P<seq>\d+)")
        elif name is not None:
            parts.append(".+?")
    regex = re.compile("^" + "".join(parts) + "$")

    def parse(number: str) -> tuple[int | None, int] | None:
        m = regex.match(number)
        if not m or "seq" not in m.groupdict():
            return None
        year = int(m["year"]) if "year" in m.groupdict() else None
        seq = int(m["seq"])
        if year is not None and pattern.format(year=year, seq=seq) != number:
            return None
        return year, seq

    return parse


def check_header(header: list[str]) -> list[RowError]:
    errors = []
    seen: set[str] = set()
    for h in header:
        if not h:
            errors.append(RowError(1, "（空）", "表头有空列名 / blank header"))
        elif h not in BY_HEADER:
            errors.append(RowError(1, h, "未知的列名 / unknown column"))
        elif h in seen:
            errors.append(RowError(1, h, "列名重复 / duplicate column"))
        seen.add(h)
    for c in COLUMNS:
        if c.required and c.header not in seen:
            errors.append(RowError(1, c.header, "缺少必需的列 / required column missing"))
    return errors


class _Parser:
    """Turns one row's cells into a `_Row`, collecting every problem it finds."""

    def __init__(self, header: list[str], deps: dict[str, str], numbers) -> None:  # type: ignore[no-untyped-def]
        self.keys = [BY_HEADER[h].key for h in header]
        self.deps = deps
        self.parse_number = numbers
        self.first_seen: dict[str, int] = {}

    def parse(self, row: int, cells: list[Any]) -> tuple[_Row | None, list[RowError]]:
        cell = {k: (cells[i] if i < len(cells) else None) for i, k in enumerate(self.keys)}
        errors: list[RowError] = []

        def err(key: str, problem: str) -> None:
            errors.append(RowError(row, BY_KEY[key].header, problem))

        def date_of(key: str) -> date | None:
            try:
                return lf.to_date(cell.get(key))
            except ValueError as exc:
                err(key, str(exc))
                return None

        def int_of(key: str) -> int | None:
            try:
                return lf.to_int(cell.get(key))
            except ValueError as exc:
                err(key, str(exc))
                return None

        t = {k: lf.text(cell.get(k)) for k in self.keys}
        number = t.get("number", "")
        year = seq = 0
        parsed = self.parse_number(number) if number else None
        if not number:
            err("number", "登记编号不能为空 / number required")
        elif number in self.first_seen:
            err("number", f"与第 {self.first_seen[number]} 行编号重复 / duplicate number")
        elif parsed is None:
            err("number", f"编号 {number!r} 不符合本机关的编号格式 / number pattern")
        else:
            self.first_seen[number] = row
        channel = _CHANNELS.get(t.get("channel", ""))
        if channel is None:
            err("channel", f"未知的提交方式 {t.get('channel', '')!r} / unknown channel")
        atype = _TYPES.get(t.get("applicant_type", ""))
        if atype is None:
            err("applicant_type", f"未知的申请人类型 {t.get('applicant_type', '')!r}")
        arrived, received = date_of("arrived_on"), date_of("received_on")
        dep = t.get("department", "")
        if dep and dep not in self.deps:
            err("department", f"未知的部门 {dep!r} / unknown department")
        coop = []
        raw = t.get("cooperating", "")
        for sep in LIST_SEPARATORS:
            raw = raw.replace(sep, "、")
        for name in filter(None, (s.strip() for s in raw.split("、"))):
            if name not in self.deps:
                err("cooperating", f"未知的部门 {name!r} / unknown department")
            else:
                coop.append(self.deps[name])
        history: dict[str, Any] = {
            k: date_of(k)
            for k in (
                "correction_requested_on",
                "correction_received_on",
                "fee_notice_on",
                "fee_paid_on",
                "extension_on",
                "closed_on",
            )
        }
        history["fee_amount"] = int_of("fee_amount")
        history["extension_days"] = int_of("extension_days")
        history["extension_approver"] = t.get("extension_approver", "")
        outcome = t.get("outcome", "")
        if outcome and outcome not in OUTCOMES:
            err("outcome", f"未知的结果代码 {outcome!r}；可用：{'、'.join(OUTCOMES)}")
        if bool(outcome) != bool(history["closed_on"]) and not any(
            e.column in ("结果代码", "办结日期") for e in errors
        ):
            err("outcome" if not outcome else "closed_on", "办结日期与结果代码须同时填写")
        history["outcome"] = outcome
        if history["extension_on"] and not history["extension_days"]:
            err("extension_days", "填写了延期日期但没有延期工作日数")
        if history["fee_notice_on"] and not history["fee_amount"]:
            err("fee_amount", "填写了收费通知日期但没有收费金额")
        stage_text = t.get("stage", "")
        stage = _STAGES.get(stage_text) if stage_text else None
        if stage_text and stage is None:
            err("stage", f"未知的阶段 {stage_text!r}")
        if parsed is not None:
            basis = received or arrived
            year = parsed[0] if parsed[0] is not None else (basis.year if basis else 0)
            seq = parsed[1]
            if basis is not None and year != basis.year:
                err("number", f"编号年份 {year} 与收到日期 {basis} 不一致")
        if errors:
            return None, errors
        values = {
            "channel": channel,
            "received_on": received,
            "arrived_on": arrived,
            "applicant_name": t.get("applicant_name", ""),
            "applicant_type": atype,
            "content": t.get("content", ""),
            "email": t.get("email", ""),
            "phone": t.get("phone", ""),
            "address": t.get("address", ""),
            "id_number": t.get("id_number", ""),
            "form_wanted": t.get("form_wanted", ""),
            "case_type": t.get("case_type", ""),
            "department": self.deps[dep] if dep else None,
            "cooperating": coop,
        }
        return _Row(row, number, year, seq, values, history, stage), []


def _department_refs(session: Session) -> dict[str, str]:
    out: dict[str, str] = {}
    for d in session.exec(select(Department)):
        out[d.name] = d.code
        out[d.code] = d.code
    return out


def _set_counter(session: Session, year: int, last: int) -> None:
    params = {"s": svc.APPLICATION_SERIES, "y": year, "v": last}
    session.execute(
        sql(
            "INSERT INTO counter (series, year, last) VALUES (:s, :y, :v) "
            "ON CONFLICT (series, year) DO NOTHING"
        ),
        params,
    )
    session.execute(sql("UPDATE counter SET last = :v WHERE series = :s AND year = :y"), params)


def import_ledger(
    session: Session,
    *,
    office: Office,
    path: Path,
    today: date,
    actor: str,
    now: datetime,
    dry_run: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_row: Callable[[], None] | None = None,
) -> ImportReport:
    """Validate and import `path`; returns the report (nothing kept if it has errors)."""
    header, rows = lf.read_table(path)
    report = ImportReport(rows=len(rows), dry_run=dry_run)
    report.errors = check_header(header)
    if report.errors:
        return report
    parser = _Parser(
        header,
        _department_refs(session),
        number_parser(office.settings.registration.number_pattern),
    )
    existing = set(session.exec(select(Application.number)))
    if on_start:
        on_start(len(rows))
    outer = session.begin_nested()
    counters: dict[int, tuple[int, int]] = {}  # year → (last before import, highest imported)
    for number, cells in rows:
        row, errors = parser.parse(number, cells)
        if row is not None and row.number in existing:
            errors = [RowError(number, "登记编号", f"编号 {row.number} 已存在 / number exists")]
        if row is not None and not errors:
            try:
                with session.begin_nested():
                    before = counters.get(row.year)
                    if before is None:
                        last = peek_last(session, series=svc.APPLICATION_SERIES, year=row.year)
                        before = (last, last)
                    _set_counter(session, row.year, row.seq - 1)
                    _apply(session, office, row, today=today, actor=actor, now=now)
                    counters[row.year] = (before[0], max(before[1], row.seq))
                    report.imported += 1
            except _RowFailure as exc:
                errors = [RowError(number, exc.column, exc.problem)]
        report.errors.extend(errors)
        if on_row:
            on_row()
    for year, (before, highest) in counters.items():
        _set_counter(session, year, max(before, highest))
    if report.errors or dry_run:
        outer.rollback()
        if report.errors:
            report.imported = 0
    else:
        outer.commit()
    return report


def _step(column: str, fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except (DisclosureError, RulesError) as exc:
        col = FIELD_COLUMNS.get(exc.field, column)
        raise _RowFailure(col, exc.message) from exc


def _apply(
    session: Session, office: Office, row: _Row, *, today: date, actor: str, now: datetime
) -> None:
    common = {"session": session, "office": office, "today": today, "actor": actor, "now": now}
    data = _step("申请内容", lambda: svc.parse_create(row.values))
    app = _step("收到日期", lambda: svc.register_application(data=data, **common))
    if app.number != row.number:  # the pattern round-trip in number_parser makes this rare
        raise _RowFailure("登记编号", f"编号 {row.number} 无法按本机关格式复原")
    h = row.history
    steps: list[tuple[date, int, str, Callable[[], Any]]] = []

    def event(key: str, order: int, kind: str, **kw: Any) -> None:
        on = h[key]
        if on is None:
            return
        ev = svc.EventInput(kind, on, **kw)
        steps.append(
            (
                on,
                order,
                BY_KEY[key].header,
                lambda: svc.record_event(number=row.number, event=ev, **common),
            )
        )

    event("correction_requested_on", 0, EventKind.CORRECTION_REQUESTED.value)
    event("correction_received_on", 1, EventKind.CORRECTION_RECEIVED.value)
    event("fee_notice_on", 2, EventKind.FEE_NOTICE_SENT.value, amount_yuan=h["fee_amount"])
    event("fee_paid_on", 3, EventKind.FEE_PAID.value)
    event(
        "extension_on",
        4,
        EventKind.EXTENSION_GRANTED.value,
        days=h["extension_days"],
        approver=h["extension_approver"],
    )
    if h["closed_on"] is not None:
        steps.append((h["closed_on"], 5, "办结日期", lambda: _close(row, common)))
    for _on, _order, column, fn in sorted(steps, key=lambda s: (s[0], s[1])):
        app = _step(column, fn)
    _move_stage(row, app, common)


def _close(row: _Row, common: dict[str, Any]) -> Application:
    outcome, on = row.history["outcome"], row.history["closed_on"]
    if outcome == ABANDONED_CORRECTION:
        return svc.abandon(number=row.number, on=on, reason="correction", **common)
    if outcome == ABANDONED_FEE:
        return svc.abandon(number=row.number, on=on, reason="fee", **common)
    if outcome == WITHDRAWN:
        return svc.withdraw(number=row.number, on=on, **common)
    return svc.reply(number=row.number, outcome=outcome, on=on, **common)


def _move_stage(row: _Row, app: Application, common: dict[str, Any]) -> None:
    target = row.stage
    if target is None or ORDER.index(target) <= ORDER.index(Stage(app.stage)):
        return
    if target in (Stage.REPLIED, Stage.ARCHIVED) and app.closed_on is None:
        raise _RowFailure("阶段", f"阶段为“{STAGE_LABELS[target]}”但没有办结日期")
    args = {k: common[k] for k in ("session", "today", "actor", "now")}
    _step("阶段", lambda: svc.move_stage(number=row.number, to=target, **args))
