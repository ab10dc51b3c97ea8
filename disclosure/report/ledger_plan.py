"""One ledger row → the rows to insert, with every check of the services, and no database.

The checks are the services' own (`parse_create`, `registration.check_dates`,
`applications.check_event`, `check_abandon`, `workflow.advanced`/`check_transition`), and the
deadlines come from the engine (`rules.engine.compute`) run once over the row's whole event
list, exactly the list the event log will hold. Recording the same history event by event
through the services gives the same stored columns: the engine walks the events in date order,
so each event is judged against the events before it either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from disclosure.errors import DisclosureError
from disclosure.models import EventRecord, Stage
from disclosure.outcomes import ABANDONED_CORRECTION, ABANDONED_FEE, WITHDRAWN
from disclosure.report.ledger_columns import BY_KEY
from disclosure.report.ledger_rows import Row
from disclosure.schemas import ApplicationCreate
from disclosure.services import applications as svc
from disclosure.services.deadlines import ABANDON_REASONS, SERVED_KINDS, columns
from disclosure.services.office import Office
from disclosure.services.registration import (
    REGISTERED,
    check_dates,
    format_number,
    row_defaults,
)
from disclosure.services.registration import application_row as registration_row
from disclosure.services.workflow import ORDER, STAGE_LABELS, advanced, check_transition
from rules.engine import Deadlines, Policy, compute
from rules.errors import RulesError
from rules.events import Event, EventKind

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
    "--days": "延期工作日数",
    "stage": "阶段",
}
# Engine error fields (an input name or an event kind) → ledger column headers.
ENGINE_COLUMNS = {
    "received": "收到日期",
    "correction_requested": "补正告知日期",
    "correction_received": "收到补正日期",
    "fee_notice": "收费通知日期",
    "fee_notice_sent": "收费通知日期",
    "fee_paid": "缴费日期",
    "extension": "延期日期",
    "extension_granted": "延期日期",
    "extend": "延期工作日数",
    "days": "延期工作日数",
    "replied": "办结日期",
    "withdrawn": "办结日期",
    "abandoned": "办结日期",
}
# The dated history columns, in the order of same-day events.
_STEPS = (
    ("correction_requested_on", EventKind.CORRECTION_REQUESTED),
    ("correction_received_on", EventKind.CORRECTION_RECEIVED),
    ("fee_notice_on", EventKind.FEE_NOTICE_SENT),
    ("fee_paid_on", EventKind.FEE_PAID),
    ("extension_on", EventKind.EXTENSION_GRANTED),
)
_ABANDON_REASON = {ABANDONED_CORRECTION: "correction", ABANDONED_FEE: "fee"}


class RowFailure(Exception):
    def __init__(self, column: str, problem: str) -> None:
        super().__init__(problem)
        self.column, self.problem = column, problem


def _fail(exc: DisclosureError | RulesError, column: str) -> RowFailure:
    return RowFailure(FIELD_COLUMNS.get(exc.field, column), exc.message)


@dataclass
class Planned:
    """A checked row: what `application_row` and `event_rows` turn into inserts."""

    number: str
    seq: int
    data: ApplicationCreate
    basis: date
    lead_id: int | None
    steps: list[svc.EventInput]  # in date order, as the event log will hold them
    stage: Stage
    stage_moved: bool  # the file's 阶段 is further than the events imply (a stage event)
    outcome: str | None
    deadlines: dict[str, Any]


@dataclass(frozen=True)
class Context:
    """What every row needs, loaded once per import."""

    office: Office
    today: date
    department_ids: dict[str, int]  # code → id
    policies: dict[str, Policy]  # case type → engine policy (filled as met)

    def policy(self, case_type: str) -> Policy:
        p = self.policies.get(case_type)
        if p is None:
            p = self.policies[case_type] = self.office.policy(case_type)
        return p


def _history(row: Row) -> list[tuple[date, int, str, svc.EventInput]]:
    h = row.history
    steps = []
    for order, (key, kind) in enumerate(_STEPS):
        on = h[key]
        if on is None:
            continue
        kw: dict[str, Any] = {}
        if kind is EventKind.FEE_NOTICE_SENT:
            kw["amount_yuan"] = h["fee_amount"]
        elif kind is EventKind.EXTENSION_GRANTED:
            kw = {"days": h["extension_days"], "approver": h["extension_approver"]}
        steps.append((on, order, BY_KEY[key].header, svc.EventInput(kind.value, on, **kw)))
    closed = h["closed_on"]
    if closed is not None:
        steps.append((closed, len(_STEPS), "办结日期", _closing(h["outcome"], closed)))
    steps.sort(key=lambda s: (s[0], s[1]))
    return steps


def _closing(outcome: str, on: date) -> svc.EventInput:
    if outcome in _ABANDON_REASON:
        return svc.EventInput(EventKind.ABANDONED.value, on, outcome=outcome)
    if outcome == WITHDRAWN:
        return svc.EventInput(EventKind.WITHDRAWN.value, on, outcome=WITHDRAWN)
    return svc.EventInput(EventKind.REPLIED.value, on, outcome=outcome)


def _rule_event(ev: svc.EventInput, *, trusted: bool) -> Event:
    return Event(
        kind=EventKind(ev.kind),
        on=ev.on,
        days=ev.days,
        due=ev.due_on,
        end=ev.end_on,
        party=ev.party,
        approver=ev.approver,
        note=ev.note,
        trusted=trusted,
        served=ev.on if ev.kind in SERVED_KINDS else None,  # see services.deadlines.served_on
        reason=ABANDON_REASONS.get(ev.outcome or "") if ev.kind == EventKind.ABANDONED else None,
    )


def _compute(events: list[Event], policy: Policy, ctx: Context, column: str) -> Deadlines:
    try:
        return compute(events, ctx.office.calendar, policy)
    except RulesError as exc:
        key = exc.step.value if exc.field == "on" and exc.step else exc.field
        raise RowFailure(ENGINE_COLUMNS.get(key, column), exc.message) from exc


def plan(row: Row, ctx: Context) -> Planned:
    """Every check the services make for this row's registration and history; raises
    `RowFailure` naming the column of the first problem."""
    try:
        data = svc.parse_create(row.values)
    except DisclosureError as exc:
        raise _fail(exc, "申请内容") from exc
    try:
        basis = check_dates(ctx.office, data, ctx.today)
    except (DisclosureError, RulesError) as exc:
        raise _fail(exc, "收到日期") from exc
    if format_number(ctx.office, basis.year, row.seq) != row.number:
        raise RowFailure("登记编号", f"编号 {row.number} 无法按本机关格式复原")
    policy = ctx.policy(data.case_type)
    events = [Event(EventKind.RECEIVED, data.received_on)] if data.received_on else []
    stage, outcome, steps = Stage.REGISTERED, None, []
    column = "收到日期"
    for _on, _order, column, ev in _history(row):
        try:
            svc.check_event(ev, today=ctx.today, received_on=data.received_on)
            if ev.kind == EventKind.ABANDONED:
                prior = [events[0], *(_rule_event(e, trusted=True) for e in steps)]
                before = _compute(prior, policy, ctx, column)
                svc.check_abandon(before, reason=_ABANDON_REASON[ev.outcome or ""], on=ev.on)
            stage = advanced(stage, ev.kind)
        except DisclosureError as exc:
            raise _fail(exc, column) from exc
        events.append(_rule_event(ev, trusted=False))
        steps.append(ev)
        outcome = ev.outcome or outcome
    d = _compute(events, policy, ctx, column) if data.received_on else None
    moved = _move_stage(row.stage, stage, d)
    lead = ctx.department_ids[data.department] if data.department else None
    return Planned(
        row.number, row.seq, data, basis, lead, steps, row.stage if moved else stage,
        moved, outcome, columns(d),
    )  # fmt: skip


def _move_stage(target: Stage | None, current: Stage, d: Deadlines | None) -> bool:
    """Whether the file's stage needs a stage event (as `svc.move_stage` would record)."""
    if target is None or ORDER.index(target) <= ORDER.index(current):
        return False
    if target in (Stage.REPLIED, Stage.ARCHIVED) and (d is None or d.closed_on is None):
        raise RowFailure("阶段", f"阶段为“{STAGE_LABELS[target]}”但没有办结日期")
    try:
        check_transition(current, target)
    except DisclosureError as exc:
        raise _fail(exc, "阶段") from exc
    return True


# --- rows for the Core inserts (the same columns `registration.register_many` writes) ---


def application_row(p: Planned, *, actor: str, now: datetime) -> dict[str, Any]:
    row = registration_row(
        p.data, number=p.number, basis=p.basis, seq=p.seq, lead_id=p.lead_id, actor=actor,
        now=now,
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
    rows = [{**base, "kind": REGISTERED, "on": p.basis, "note": p.data.note}]
    if p.data.received_on is not None:
        rows.append({**base, "kind": EventKind.RECEIVED.value, "on": p.data.received_on})
    for ev in p.steps:
        rows.append(
            {
                **base,
                "kind": ev.kind,
                "on": ev.on,
                "days": ev.days,
                "due_on": ev.due_on,
                "end_on": ev.end_on,
                "party": ev.party,
                "approver": ev.approver,
                "outcome": ev.outcome,
                "amount_yuan": ev.amount_yuan,
                "note": ev.note,
                "data": ev.data or {},
            }
        )
    if p.stage_moved:
        rows.append({**base, "kind": f"stage:{p.stage.value}", "on": today})
    return rows
