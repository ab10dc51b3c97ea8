"""One ledger row → the rows to insert, with every check of the services, and no database.

A row's registration is checked as `registration.check_dates` checks it, and its dated
history (corrections, fees, extension, closing) as the steps it records: each history cell
becomes a step of `services.steps`, planned in date order against the case as it stands
(`steps.plan`, the same checks and the same engine computation as `Step.record`), so
importing a history gives exactly what recording it step by step would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from disclosure.errors import DisclosureError
from disclosure.models import EventRecord
from disclosure.outcomes import ABANDONED_CORRECTION, ABANDONED_FEE, WITHDRAWN
from disclosure.report.ledger_columns import BY_KEY
from disclosure.report.ledger_rows import Row
from disclosure.schemas import ApplicationCreate
from disclosure.services import steps
from disclosure.services.context import Context
from disclosure.services.deadlines import columns
from disclosure.services.registration import application_row as registration_row
from disclosure.services.registration import (
    check_dates,
    format_number,
    parse_create,
    row_defaults,
)
from disclosure.services.steps.base import Line
from disclosure.services.workflow import ORDER
from disclosure.vocabulary import AbandonReason, EventKind, Stage
from rules.engine import Deadlines
from rules.events import Event
from rules.events import EventKind as RuleKind

# The ledger's column for each domain field (the one map of this edge). The date of a step
# (`on`) is the column the step was read from.
LEDGER_COLUMNS = {
    "channel": "提交方式",
    "received": "收到日期",
    "arrived": "送达日期",
    "applicant": "申请人",
    "applicant_type": "申请人类型",
    "content": "申请内容",
    "email": "电子邮箱",
    "phone": "联系电话",
    "address": "通讯地址",
    "id_number": "证件号码",
    "form": "获取方式",
    "department": "主办部门",
    "cooperating": "协办部门",
    "case_type": "案件类型",
    "outcome": "结果代码",
    "approver": "延期批准人",
    "days": "延期工作日数",
    "amount": "收费金额（元）",
    "to": "阶段",
}
_ABANDON_REASON = {ABANDONED_CORRECTION: AbandonReason.CORRECTION, ABANDONED_FEE: AbandonReason.FEE}


class RowFailure(Exception):
    def __init__(self, column: str, problem: str) -> None:
        super().__init__(problem)
        self.column, self.problem = column, problem


def _fail(exc: DisclosureError, column: str) -> RowFailure:
    """The failure of a row, in the column the error's field is entered in."""
    return RowFailure(LEDGER_COLUMNS.get(exc.field, column), exc.message)


@dataclass
class Planned:
    """A checked row: what `application_row` and `event_rows` turn into inserts."""

    number: str
    year: int  # the number's year (the receipt's, unless corrected across the new year)
    seq: int
    data: ApplicationCreate
    basis: date
    lead_id: int | None
    lines: list[Line]  # the history's event rows, in date order, as the log will hold them
    stage: Stage
    stage_moved: bool  # the file's 阶段 is further than the events imply (a stage event)
    outcome: str | None
    deadlines: dict[str, Any]


@dataclass(frozen=True)
class ImportContext:
    """What every row needs, loaded once per import."""

    ctx: Context
    department_ids: dict[str, int]  # code → id


def _history(row: Row) -> list[tuple[date, int, str, steps.Step]]:
    """The row's dated cells as steps, with their column, in date order (same day: the
    columns' order)."""
    h = row.history
    found: list[tuple[date, int, str, steps.Step]] = []

    def add(key: str, order: int, step: steps.Step) -> None:
        found.append((step.on, order, BY_KEY[key].header, step))

    if h["correction_requested_on"]:
        asked = steps.CorrectionRequested(
            on=h["correction_requested_on"], served=h.get("correction_served_on")
        )
        add("correction_requested_on", 0, asked)
    if h["correction_received_on"]:
        got = steps.CorrectionReceived(on=h["correction_received_on"])
        add("correction_received_on", 1, got)
    if h["fee_notice_on"]:
        notice = steps.FeeNotice(
            on=h["fee_notice_on"], amount=h["fee_amount"], served=h.get("fee_notice_served_on")
        )
        add("fee_notice_on", 2, notice)
    if h["fee_paid_on"]:
        add("fee_paid_on", 3, steps.FeePaid(on=h["fee_paid_on"]))
    if h["extension_on"]:
        extension = steps.Extension(
            on=h["extension_on"],
            days=h["extension_days"] if h["extension_days"] is not None else 0,
            approver=h["extension_approver"] or "",
        )
        add("extension_on", 4, extension)
    if h["closed_on"] is not None:
        add("closed_on", 5, _closing(h["outcome"], h["closed_on"]))
    found.sort(key=lambda s: (s[0], s[1]))
    return found


def _closing(outcome: str, on: date) -> steps.Step:
    if outcome in _ABANDON_REASON:
        return steps.Abandonment(on=on, reason=_ABANDON_REASON[outcome])
    if outcome == WITHDRAWN:
        return steps.Withdrawal(on=on)
    return steps.Reply(on=on, code=outcome)


def plan(row: Row, ictx: ImportContext) -> Planned:
    """Every check the services make for this row's registration and history; raises
    `RowFailure` naming the column of the first problem."""
    ctx = ictx.ctx
    try:
        data = parse_create(row.values)
    except DisclosureError as exc:
        raise _fail(exc, "申请内容") from exc
    try:
        basis = check_dates(ctx.office, data, ctx.today)
    except DisclosureError as exc:
        raise _fail(exc, "收到日期") from exc
    if format_number(ctx.office, row.year, row.seq) != row.number:
        raise RowFailure("登记编号", f"编号 {row.number} 无法按本机关格式复原")
    received = (Event(RuleKind.RECEIVED, data.received_on),) if data.received_on else ()
    case = steps.CaseState(
        number=row.number,
        channel=data.channel.value,
        arrived_on=data.arrived_on,
        received_on=data.received_on,
        case_type=data.case_type,
        stage=Stage.REGISTERED,
        outcome=None,
        closed_on=None,
        events=received,
    )
    try:
        deadlines = case.deadlines(ctx)
    except DisclosureError as exc:
        raise _fail(exc, "收到日期") from exc
    lines: list[Line] = []
    for _on, _order, column, step in _history(row):
        try:
            planned = steps.plan(case, step, ctx)
        except DisclosureError as exc:
            raise _fail(exc, column) from exc
        case = case.after(planned)
        lines.extend(planned.lines)
        if planned.recompute:
            deadlines = planned.deadlines
    moved = _move_stage(row.stage, case, deadlines, ctx)
    stage = case.stage
    if moved:
        assert row.stage is not None  # only a stage in the file can move it
        stage = row.stage
    lead = ictx.department_ids[data.department] if data.department else None
    return Planned(
        row.number, row.year, row.seq, data, basis, lead, lines, stage, moved, case.outcome,
        columns(deadlines),
    )  # fmt: skip


def _move_stage(
    target: Stage | None, case: steps.CaseState, d: Deadlines | None, ctx: Context
) -> bool:
    """Whether the file's stage needs a stage event (as `steps.StageMove` would record)."""
    if target is None or ORDER.index(target) <= ORDER.index(case.stage):
        return False
    if target in (Stage.REPLIED, Stage.ARCHIVED) and (d is None or d.closed_on is None):
        raise RowFailure("阶段", f"阶段为“{target.label}”但没有办结日期")
    try:
        steps.plan(case, steps.StageMove(on=ctx.today, to=target), ctx)
    except DisclosureError as exc:
        raise _fail(exc, "阶段") from exc
    return True


# --- rows for the Core inserts (the same columns `registration.register_many` writes) ---


def application_row(p: Planned, *, actor: str, now: datetime) -> dict[str, Any]:
    row = registration_row(
        p.data, number=p.number, basis=p.basis, seq=p.seq, lead_id=p.lead_id, actor=actor,
        now=now, year=p.year,
    )  # fmt: skip
    row.update(stage=p.stage.value, outcome=p.outcome)
    row.update(p.deadlines)
    return row


def event_rows(
    p: Planned, app_id: int, *, actor: str, now: datetime, today: date
) -> list[dict[str, Any]]:
    """The event log of one imported application, in the order the services write it."""
    base = row_defaults(EventRecord)
    base.update(application_id=app_id, actor=actor, recorded_at=now)
    rows = [{**base, "kind": EventKind.REGISTERED.value, "on": p.basis, "note": p.data.note}]
    if p.data.received_on is not None:
        rows.append({**base, "kind": EventKind.RECEIVED.value, "on": p.data.received_on})
    for line in p.lines:
        rows.append(
            {**base, "kind": line.kind.value, "on": line.on, "note": line.note, **line.columns}
        )
    if p.stage_moved:
        moved = {"kind": EventKind.STAGE_MOVED.value, "on": today, "data": {"to": p.stage.value}}
        rows.append({**base, **moved})
    return rows
