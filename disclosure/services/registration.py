"""Registering applications: validate, number (gapless), log the receipt, store deadlines.

`register_many` is the one code path; `register_application` registers a single application
through it. Rows are written with
Core inserts (one statement for all applications of the call, one for their events) and the
deadlines are computed in memory from the same events that are logged, by
`services.deadlines.compute_events` — the event log and the stored columns cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from pydantic import ValidationError
from pydantic_core import PydanticUndefined
from sqlalchemy import bindparam, func, insert
from sqlmodel import Session, SQLModel, col, select

from disclosure.errors import ConfigError, DisclosureError, InvalidInput
from disclosure.models import Application, Department, EventRecord
from disclosure.people import applicants
from disclosure.schemas import ApplicationCreate, validation_error
from disclosure.services.context import Context
from disclosure.services.deadlines import columns, compute_events
from disclosure.services.departments import (
    active_department,
    cooperating_codes,
    department_cache,
)
from disclosure.services.numbering import next_numbers, raise_counter
from disclosure.services.office import Office
from disclosure.services.steps.base import not_future
from disclosure.vocabulary import ApplicantType, EventKind
from rules.errors import ReceiptDateError, RulesError
from rules.events import Channel, Event
from rules.events import EventKind as RuleKind
from rules.receipt import check_receipt

APPLICATION_SERIES = "application"


def parse_create(values: dict[str, Any]) -> ApplicationCreate:
    """Validate a registration's values (`InvalidInput` naming the domain field)."""
    try:
        return ApplicationCreate(**values)
    except ValidationError as exc:
        raise validation_error(exc) from exc


def format_number(office: Office, year: int, seq: int) -> str:
    pattern = office.settings.registration.number_pattern
    try:
        return pattern.format(year=year, seq=seq)
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(
            f"登记编号格式无效 {pattern!r}（可用 {{year}} {{seq}}）：{exc}",
            field="registration.number_pattern",
        ) from exc


def check_dates(office: Office, data: ApplicationCreate, today: date) -> date:
    """The checks of a registration that need no database (receipt rules of Reg. Art. 31,
    case type, calendar range); returns the basis date (receipt, or arrival if unconfirmed)."""
    if data.received_on is None and data.arrived_on is None:
        raise InvalidInput("须填写收到日期，尚未确认收到的须填写送达日期", field="received")
    not_future(data.received_on, today, "received")
    not_future(data.arrived_on, today, "arrived")
    if data.received_on is not None:
        try:
            check_receipt(Channel(data.channel), data.received_on, data.arrived_on)
        except ReceiptDateError as exc:
            raise InvalidInput(exc.message, field="received") from exc
    if data.case_type:
        office.policy(data.case_type)  # raises for an unknown case type
    basis = data.received_on or data.arrived_on
    assert basis is not None
    try:
        office.calendar.describe(basis)  # dates outside the calendar data are refused
    except RulesError as exc:
        field = "received" if data.received_on else "arrived"
        raise InvalidInput(exc.message, field=field) from exc
    return basis


@cache
def _defaults(model: type[SQLModel]) -> dict[str, tuple[Any, Any]]:
    """(default, factory) per column of a table model, so Core inserts follow the model."""
    out: dict[str, tuple[Any, Any]] = {}
    for name, f in model.model_fields.items():
        if name == "id":
            continue
        if f.default_factory is not None:
            out[name] = (None, f.default_factory)
        elif f.default is not PydanticUndefined:
            out[name] = (f.default, None)
    return out


def row_defaults(model: type[SQLModel]) -> dict[str, Any]:
    """A fresh dict of `model`'s column defaults, for Core inserts that follow the model."""
    return {k: (factory() if factory else v) for k, (v, factory) in _defaults(model).items()}


@dataclass(frozen=True)
class _Prepared:
    data: ApplicationCreate
    basis: date  # the legal receipt date, or the arrival while unconfirmed
    lead_id: int | None
    deadline_columns: dict[str, Any]
    identity: applicants.Identity | None = None  # who applied (disclosure.people.applicants)


def _prepare(
    session: Session,
    office: Office,
    data: ApplicationCreate,
    today: date,
    departments: dict[str, Department],
) -> _Prepared:
    """Every check of one registration; raises before anything is written."""
    basis = check_dates(office, data, today)
    who = applicants.identity(
        data.applicant_name,
        id_number=data.id_number,  # checked by the schema (disclosure.people.id_documents)
        credit_code=data.credit_code,
        phone=data.phone,
        natural=data.applicant_type is ApplicantType.NATURAL,
    )
    lead = None
    if data.department:
        lead = departments.get(data.department) or active_department(session, data.department)
        departments[data.department] = lead
    for code in data.cooperating:
        if code not in departments:
            departments[code] = active_department(session, code, field="cooperating")
    # (`departments` lives in session.info: one lookup per code and transaction.)
    if data.cooperating:
        codes = cooperating_codes(lead, [departments[code] for code in data.cooperating])
        data = data.model_copy(update={"cooperating": codes})
    field = "received" if data.received_on else "arrived"
    events = [Event(RuleKind.RECEIVED, data.received_on)] if data.received_on else []
    try:
        deadlines = compute_events(data.case_type, events, office)
    except DisclosureError as exc:  # only the receipt is known: any error is about it
        exc.field = field
        raise
    return _Prepared(data, basis, lead.id if lead else None, columns(deadlines), who)


def application_row(
    d: ApplicationCreate,
    *,
    number: str,
    basis: date,
    seq: int,
    lead_id: int | None,
    actor: str,
    now: datetime,
    year: int | None = None,
) -> dict[str, Any]:
    """The `application` row (Core insert values) for a validated registration; `year` is
    the number's year, the basis date's unless given.

    Shared by `register_many` and the ledger import so both write the same columns.
    """
    row = row_defaults(Application)
    row.update(
        number=number,
        year=year or basis.year,
        seq=seq,
        channel=d.channel.value,
        arrived_on=d.arrived_on or d.received_on,
        received_on=d.received_on,
        applicant_name=d.applicant_name,
        applicant_type=d.applicant_type.value,
        email=d.email,
        phone=d.phone,
        address=d.address,
        id_number=d.id_number,
        content=d.content,
        form_wanted=d.form_wanted,
        case_type=d.case_type,
        lead_department_id=lead_id,
        cooperating=list(d.cooperating),
        created_at=now,
        updated_at=now,
        created_by=actor,
    )
    return row


def _application_row(
    p: _Prepared, number: str, seq: int, actor: str, now: datetime
) -> dict[str, Any]:
    row = application_row(
        p.data, number=number, basis=p.basis, seq=seq, lead_id=p.lead_id, actor=actor, now=now
    )
    row.update(p.deadline_columns)
    return row


def _event_rows(p: _Prepared, app_id: int, actor: str, now: datetime) -> list[dict[str, Any]]:
    base = row_defaults(EventRecord)
    base.update(application_id=app_id, actor=actor, recorded_at=now)
    rows = [{**base, "kind": EventKind.REGISTERED.value, "on": p.basis, "note": p.data.note}]
    if p.data.received_on is not None:
        rows.append({**base, "kind": EventKind.RECEIVED.value, "on": p.data.received_on})
    return rows


def register_many(
    session: Session, *, ctx: Context, items: Sequence[ApplicationCreate]
) -> list[Application]:
    """Register `items` in the caller's transaction, numbered in the given order.

    All are checked before anything is written; one bad item fails the whole call (the
    caller's transaction rolls back, and with it the numbers).
    """
    if not items:
        return []
    office, today, actor, now = ctx.office, ctx.today, ctx.actor, ctx.now
    departments = department_cache(session)
    prepared = [_prepare(session, office, d, today, departments) for d in items]
    by_year: dict[int, list[int]] = {}
    for i, p in enumerate(prepared):
        by_year.setdefault(p.basis.year, []).append(i)
    seqs = [0] * len(prepared)
    for year, idxs in sorted(by_year.items()):
        for i, n in zip(idxs, _free_numbers(session, year, len(idxs)), strict=True):
            seqs[i] = n
    people = [(p.data.applicant_name, p.data.phone, p.identity) for p in prepared]
    applicant_ids = applicants.link(session, people, now)
    rows = [
        _application_row(p, format_number(office, p.basis.year, seq), seq, actor, now)
        | {"applicant_id": who}
        for p, seq, who in zip(prepared, seqs, applicant_ids, strict=True)
    ]
    # Core insert, one statement for all rows. RETURNING rows may come back in any order
    # (and sort_by_parameter_order=True makes SQLite insert row by row): match by number.
    table = Application.__table__  # type: ignore[attr-defined]
    stmt = insert(table).returning(table.c.id, table.c.number)
    id_of = {number: app_id for app_id, number in session.execute(stmt, rows)}
    ids = [int(id_of[r["number"]]) for r in rows]
    pairs = zip(prepared, ids, strict=True)
    events = [r for p, app_id in pairs for r in _event_rows(p, app_id, actor, now)]
    session.execute(insert(EventRecord.__table__), events)  # type: ignore[attr-defined]
    loaded = session.exec(select(Application).where(col(Application.id).in_(ids))).all()
    by_id = {a.id: a for a in loaded}
    return [by_id[i] for i in ids]


_APPLICATION = Application.__table__.c  # type: ignore[attr-defined]  # SQLModel declares no __table__
# The highest number of a year from a given one on (the unique (year, seq) index answers it).
_HIGHEST = select(func.max(_APPLICATION.seq)).where(
    _APPLICATION.year == bindparam("year"), _APPLICATION.seq >= bindparam("first")
)


def _free_numbers(session: Session, year: int, count: int) -> range:
    """`count` registration numbers of `year` from its counter, past any already in the
    register. Every path that writes applications keeps the counter (registration, the
    ledger import); a register changed behind its back (rows written by SQL, a partial
    dump loaded) may hold numbers the counter has not reached yet. Those are skipped (the
    counter is raised past the highest in use), never given twice or refused."""
    numbers = next_numbers(session, series=APPLICATION_SERIES, year=year, count=count)
    taken = session.execute(_HIGHEST, {"year": year, "first": numbers.start}).scalar()
    if taken is None:
        return numbers
    raise_counter(session, series=APPLICATION_SERIES, year=year, to=int(taken))
    return next_numbers(session, series=APPLICATION_SERIES, year=year, count=count)


def register_application(session: Session, *, ctx: Context, data: ApplicationCreate) -> Application:
    """Register a new application: number it, log the receipt, compute its deadlines."""
    return register_many(session, ctx=ctx, items=[data])[0]
