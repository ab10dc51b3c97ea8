"""Registering applications and appending events. Each function is one transaction's work.

Every mutation appends to the event log and recomputes the stored deadlines through
`services.deadlines.recompute` before the caller's transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, select

from disclosure.errors import Conflict, InvalidInput, NotFound
from disclosure.models import Application, EventRecord, Stage
from disclosure.outcomes import ABANDONED_CORRECTION, ABANDONED_FEE, OUTCOMES, WITHDRAWN
from disclosure.schemas import FIELD_LABELS, ApplicationCreate
from disclosure.services.deadlines import compute_for, events_of, recompute
from disclosure.services.departments import find_department
from disclosure.services.office import Office
from disclosure.services.registration import (
    APPLICATION_SERIES,
    not_future,
    register_application,
    register_many,
)
from disclosure.services.workflow import advanced, check_transition
from rules.engine import Deadlines
from rules.errors import ReceiptDateError
from rules.events import EventKind
from rules.receipt import check_receipt

__all__ = [
    "APPLICATION_SERIES",
    "EventInput",
    "abandon",
    "assign",
    "confirm_receipt",
    "get_application",
    "move_stage",
    "parse_create",
    "record_event",
    "register_application",
    "register_many",
    "reply",
    "withdraw",
]


def _message(error: Any) -> str:
    """A Chinese message (with the English gloss) for one pydantic error."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "enum":
        return f"取值应为 {ctx.get('expected', '')} / {error['msg']}"
    if kind == "string_too_short":
        return "不能为空 / must not be empty"
    if kind == "string_too_long":
        return f"过长，最多 {ctx.get('max_length')} 个字符 / too long"
    if kind == "missing":
        return "必须填写 / required"
    return str(error["msg"]).removeprefix("Value error, ")


def validation_error(exc: ValidationError) -> InvalidInput:
    """The first pydantic error as an `InvalidInput` naming the CLI option."""
    first = exc.errors()[0]
    key = str(first["loc"][0]) if first["loc"] else ""
    return InvalidInput(_message(first), field=FIELD_LABELS.get(key, key))


def parse_create(values: dict[str, Any]) -> ApplicationCreate:
    try:
        return ApplicationCreate(**values)
    except ValidationError as exc:
        raise validation_error(exc) from exc


def get_application(session: Session, number: str, *, lock: bool = False) -> Application:
    """The application numbered `number`; `lock=True` holds its row until the transaction ends
    (SELECT … FOR UPDATE on PostgreSQL; SQLite's write transaction already excludes others),
    so two clerks recording on the same application at once are serialised."""
    stmt = select(Application).where(Application.number == number)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    app = session.exec(stmt).first()
    if app is None:
        raise NotFound(f"没有编号为 {number} 的申请 / no such application", field="NUMBER")
    return app


def _append(
    session: Session,
    app: Application,
    kind: str,
    on: date,
    *,
    actor: str,
    now: datetime,
    **fields: Any,
) -> EventRecord:
    rec = EventRecord(
        application_id=app.id, kind=kind, on=on, actor=actor, recorded_at=now, **fields
    )
    session.add(rec)
    session.flush()
    return rec


@dataclass(frozen=True)
class EventInput:
    """One event to record; which fields matter depends on `kind` (see rules.events.Event)."""

    kind: str
    on: date
    days: int | None = None
    due_on: date | None = None
    end_on: date | None = None
    party: str | None = None
    approver: str | None = None
    outcome: str | None = None
    amount_yuan: int | None = None
    note: str = ""
    data: dict | None = None


def check_event(event: EventInput, *, today: date, received_on: date | None) -> None:
    """The checks of one event that need no database (the engine checks the sequence)."""
    not_future(event.on, today, "--date")
    if event.kind == EventKind.EXTENSION_GRANTED and not (event.approver or "").strip():
        raise InvalidInput(
            "延期须记录批准人（条例第三十三条）/ approver required", field="--approver"
        )
    if received_on is None and event.kind != "confirmed":
        raise Conflict("尚未确认收到申请，请先确认 / confirm receipt first", field="NUMBER")


def record_event(
    session: Session,
    *,
    office: Office,
    number: str,
    event: EventInput,
    today: date,
    actor: str,
    now: datetime,
) -> Application:
    """Append one event and recompute; impossible sequences raise and nothing is written."""
    app = get_application(session, number, lock=True)
    check_event(event, today=today, received_on=app.received_on)
    if event.kind != "note" and app.stage in (Stage.REPLIED, Stage.ARCHIVED):
        raise Conflict(
            f"申请已办结（{app.closed_on}），不能再记录 / already closed", field="NUMBER"
        )
    new_stage = advanced(Stage(app.stage), event.kind)
    record = _append(
        session,
        app,
        event.kind,
        event.on,
        actor=actor,
        now=now,
        days=event.days,
        due_on=event.due_on,
        end_on=event.end_on,
        party=event.party,
        approver=event.approver,
        outcome=event.outcome,
        amount_yuan=event.amount_yuan,
        note=event.note,
        data=event.data or {},
    )
    if event.outcome:
        app.outcome = event.outcome
    app.stage = new_stage.value
    app.updated_at = now
    recompute(session, app, office, new_event_id=record.id)
    return app


def confirm_receipt(
    session: Session,
    *,
    office: Office,
    number: str,
    on: date,
    today: date,
    actor: str,
    now: datetime,
) -> Application:
    """Record the legal receipt date of an arrival confirmed later (Reg. Art. 31)."""
    app = get_application(session, number, lock=True)
    if app.received_on is not None:
        raise Conflict(f"已于 {app.received_on} 确认收到 / already confirmed", field="NUMBER")
    not_future(on, today, "--date")
    try:
        check_receipt(app.channel, on, app.arrived_on)  # type: ignore[arg-type]
    except ReceiptDateError as exc:
        raise InvalidInput(exc.message, field="--date") from exc
    app.received_on = on
    _append(session, app, "confirmed", on, actor=actor, now=now)
    _append(session, app, EventKind.RECEIVED.value, on, actor=actor, now=now)
    app.updated_at = now
    recompute(session, app, office)
    return app


def reply(
    session: Session,
    *,
    office: Office,
    number: str,
    outcome: str,
    on: date,
    today: date,
    actor: str,
    now: datetime,
    note: str = "",
) -> Application:
    """Record the reply (Reg. Arts. 36–39) with its outcome code (domain.md §8)."""
    if outcome not in OUTCOMES:
        raise InvalidInput(
            f"未知的答复结果代码 {outcome!r}；可用：{', '.join(OUTCOMES)}", field="--outcome"
        )
    app = get_application(session, number, lock=True)
    if app.outcome is not None or not app.is_open:
        raise Conflict(
            f"申请 {number} 已答复（{app.outcome}），不能重复答复 / already replied",
            field="--outcome",
        )
    return record_event(
        session,
        office=office,
        number=number,
        event=EventInput(EventKind.REPLIED.value, on, outcome=outcome, note=note),
        today=today,
        actor=actor,
        now=now,
    )


def withdraw(
    session: Session,
    *,
    office: Office,
    number: str,
    on: date,
    today: date,
    actor: str,
    now: datetime,
    note: str = "",
) -> Application:
    return record_event(
        session,
        office=office,
        number=number,
        event=EventInput(EventKind.WITHDRAWN.value, on, outcome=WITHDRAWN, note=note),
        today=today,
        actor=actor,
        now=now,
    )


def abandon(
    session: Session,
    *,
    office: Office,
    number: str,
    on: date,
    reason: str,
    today: date,
    actor: str,
    now: datetime,
    note: str = "",
) -> Application:
    """Deemed abandoned (视为放弃): no correction (Reg. Art. 30) or no payment (Fees art. 7)."""
    if reason not in ABANDON_CODES:
        raise InvalidInput(
            "原因须为 correction 或 fee / reason must be correction or fee", field="--reason"
        )
    app = get_application(session, number, lock=True)
    check_abandon(compute_for(app, events_of(session, app), office), reason=reason, on=on)
    return record_event(
        session,
        office=office,
        number=number,
        event=EventInput(EventKind.ABANDONED.value, on, outcome=ABANDON_CODES[reason], note=note),
        today=today,
        actor=actor,
        now=now,
    )


ABANDON_CODES = {"correction": ABANDONED_CORRECTION, "fee": ABANDONED_FEE}


def check_abandon(d: Deadlines | None, *, reason: str, on: date) -> None:
    """Deemed abandoned only once the applicant's period has run out (`d`: before it)."""
    if d is not None and not d.closed:
        if reason == "correction":
            lapse = d.correction_deadline
            if lapse is None:
                raise Conflict("该申请不在等待补正状态 / not awaiting correction", field="--reason")
        else:
            lapse = d.fee_payment_due
            if lapse is None:
                raise Conflict(
                    "没有待缴费的收费通知 / no fee notice awaiting payment", field="--reason"
                )
        if on <= lapse:
            raise InvalidInput(
                f"期限 {lapse.isoformat()} 届满后才能视为放弃申请 / the period runs until "
                f"{lapse.isoformat()}",
                field="--date",
            )


def move_stage(
    session: Session,
    *,
    number: str,
    to: Stage,
    today: date,
    actor: str,
    now: datetime,
    note: str = "",
) -> Application:
    """Move along the workflow (审核, 办理, 归档); closing happens through reply/withdraw."""
    app = get_application(session, number, lock=True)
    if to is Stage.REPLIED:
        raise Conflict("请使用 reply 命令记录答复 / use reply", field="stage")
    check_transition(Stage(app.stage), to)
    app.stage = to.value
    app.updated_at = now
    _append(session, app, f"stage:{to.value}", today, actor=actor, now=now, note=note)
    session.add(app)
    return app


def assign(
    session: Session,
    *,
    number: str,
    department: str,
    cooperating: list[str],
    today: date,
    actor: str,
    now: datetime,
) -> Application:
    app = get_application(session, number, lock=True)
    lead = find_department(session, department)
    for code in cooperating:
        find_department(session, code, field="--cooperating")
    app.lead_department_id = lead.id
    app.cooperating = list(cooperating)
    app.updated_at = now
    _append(
        session,
        app,
        "assigned",
        today,
        actor=actor,
        now=now,
        party=lead.code,
        data={"cooperating": list(cooperating)},
    )
    session.add(app)
    return app
