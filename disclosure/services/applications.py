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
from disclosure.services.deadlines import recompute
from disclosure.services.departments import find_department
from disclosure.services.numbering import next_number
from disclosure.services.office import Office
from disclosure.services.workflow import advanced, check_transition
from rules.errors import ReceiptDateError
from rules.events import EventKind
from rules.receipt import check_receipt

APPLICATION_SERIES = "application"


def validation_error(exc: ValidationError) -> InvalidInput:
    """The first pydantic error as an `InvalidInput` naming the CLI option."""
    first = exc.errors()[0]
    key = str(first["loc"][0]) if first["loc"] else ""
    msg = str(first["msg"]).removeprefix("Value error, ")
    return InvalidInput(msg, field=FIELD_LABELS.get(key, key))


def parse_create(values: dict[str, Any]) -> ApplicationCreate:
    try:
        return ApplicationCreate(**values)
    except ValidationError as exc:
        raise validation_error(exc) from exc


def get_application(session: Session, number: str) -> Application:
    app = session.exec(select(Application).where(Application.number == number)).first()
    if app is None:
        raise NotFound(f"没有编号为 {number} 的申请 / no such application", field="NUMBER")
    return app


def _format_number(office: Office, year: int, seq: int) -> str:
    return office.settings.registration.number_pattern.format(year=year, seq=seq)


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


def _not_future(d: date | None, today: date, field: str) -> None:
    if d is not None and d > today:
        raise InvalidInput(
            f"日期 {d.isoformat()} 晚于今天 {today.isoformat()} / date in the future", field=field
        )


def register_application(
    session: Session,
    *,
    office: Office,
    data: ApplicationCreate,
    today: date,
    actor: str,
    now: datetime,
) -> Application:
    """Register a new application: number it, log the receipt, compute its deadlines."""
    if data.received_on is None and data.arrived_on is None:
        raise InvalidInput(
            "须填写收到日期或送达日期 / received or arrived date required", field="--received"
        )
    _not_future(data.received_on, today, "--received")
    _not_future(data.arrived_on, today, "--arrived")
    if data.received_on is not None:
        try:
            check_receipt(data.channel, data.received_on, data.arrived_on)
        except ReceiptDateError as exc:
            raise InvalidInput(exc.message, field="--received") from exc
    lead = find_department(session, data.department) if data.department else None
    for code in data.cooperating:
        find_department(session, code, field="--cooperating")
    if data.case_type:
        office.policy(data.case_type)  # raises for an unknown case type
    basis = data.received_on or data.arrived_on
    assert basis is not None
    office.calendar.describe(basis)  # raises CalendarRangeError for dates outside the data
    seq = next_number(session, series=APPLICATION_SERIES, year=basis.year)
    app = Application(
        number=_format_number(office, basis.year, seq),
        year=basis.year,
        seq=seq,
        channel=data.channel.value,
        arrived_on=data.arrived_on or data.received_on,
        received_on=data.received_on,
        applicant_name=data.applicant_name,
        applicant_type=data.applicant_type.value,
        email=data.email,
        phone=data.phone,
        address=data.address,
        id_number=data.id_number,
        content=data.content,
        form_wanted=data.form_wanted,
        case_type=data.case_type,
        lead_department_id=lead.id if lead else None,
        cooperating=list(data.cooperating),
        created_at=now,
        updated_at=now,
        created_by=actor,
    )
    session.add(app)
    session.flush()
    _append(session, app, "registered", basis, actor=actor, now=now, note=data.note)
    if data.received_on is not None:
        _append(session, app, EventKind.RECEIVED.value, data.received_on, actor=actor, now=now)
    recompute(session, app, office)
    return app


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
    app = get_application(session, number)
    _not_future(event.on, today, "--date")
    if event.kind == EventKind.EXTENSION_GRANTED and not (event.approver or "").strip():
        raise InvalidInput(
            "延期须记录批准人（条例第三十三条）/ approver required", field="--approver"
        )
    if event.kind != "note" and app.stage in (Stage.REPLIED, Stage.ARCHIVED):
        raise Conflict(
            f"申请已办结（{app.closed_on}），不能再记录 / already closed", field="NUMBER"
        )
    if app.received_on is None and event.kind != "confirmed":
        raise Conflict("尚未确认收到申请，请先确认 / confirm receipt first", field="NUMBER")
    new_stage = advanced(Stage(app.stage), event.kind)
    _append(
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
    recompute(session, app, office)
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
    app = get_application(session, number)
    if app.received_on is not None:
        raise Conflict(f"已于 {app.received_on} 确认收到 / already confirmed", field="NUMBER")
    _not_future(on, today, "--date")
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
    app = get_application(session, number)
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
    codes = {"correction": ABANDONED_CORRECTION, "fee": ABANDONED_FEE}
    if reason not in codes:
        raise InvalidInput(
            "原因须为 correction 或 fee / reason must be correction or fee", field="--reason"
        )
    app = get_application(session, number)
    if reason == "correction" and not app.awaiting_correction:
        raise Conflict("该申请不在等待补正状态 / not awaiting correction", field="--reason")
    return record_event(
        session,
        office=office,
        number=number,
        event=EventInput(EventKind.ABANDONED.value, on, outcome=codes[reason], note=note),
        today=today,
        actor=actor,
        now=now,
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
    app = get_application(session, number)
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
    app = get_application(session, number)
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
