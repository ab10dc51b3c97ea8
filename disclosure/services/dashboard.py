"""Dashboard figures as plain queries on the stored deadline columns (and, for the cases a
department sent back, on the event log)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Table, and_, column, func, or_, table
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select
from sqlmodel.sql.sqltypes import UTCDateTime

from disclosure.models import Application, Department, EventRecord
from disclosure.report.annual_lock import report_changes
from disclosure.services.list_states import state_conditions
from disclosure.services.office import Office
from disclosure.vocabulary import EventKind, ListState

DUE_SOON_DAYS = (3, 5)  # working days shown on the dashboard
SERIES_WORKING_DAYS = 30
SERIES_MONTHS = 12
RETURNED_ROWS = 50  # returned cases listed; the heading gives the total


@dataclass(frozen=True)
class Counts:
    open: int
    overdue: int
    due_3: int
    due_5: int
    paused: int
    provisional: int
    awaiting_correction: int
    flagged: int = 0  # open cases with a late step flagged (rulebook §11)


def _scoped(stmt, department_id: int | None, handler_id: int | None = None):  # type: ignore[no-untyped-def]
    stmt = stmt.where(col(Application.is_open).is_(True))
    if department_id is not None:
        stmt = stmt.where(Application.lead_department_id == department_id)
    if handler_id is not None:  # one handler's cases (`?handler=`, issue 16)
        stmt = stmt.where(Application.handler_id == handler_id)
    return stmt


def _count(
    session: Session, department_id: int | None, *conds: Any, handler_id: int | None = None
) -> int:
    stmt = _scoped(select(func.count()).select_from(Application), department_id, handler_id)
    for c in conds:
        stmt = stmt.where(c)
    return int(session.exec(stmt).one())


def counts(
    session: Session,
    *,
    office: Office,
    today: date,
    department_id: int | None = None,
    handler_id: int | None = None,
) -> Counts:
    """Open applications by deadline state; `due_N` = due today up to N working days ahead."""

    def n(*conds: Any) -> int:
        return _count(session, department_id, *conds, handler_id=handler_id)

    due = col(Application.reply_due)
    limit3 = office.calendar.add_working_days(today, DUE_SOON_DAYS[0])
    limit5 = office.calendar.add_working_days(today, DUE_SOON_DAYS[1])
    return Counts(
        open=n(),
        overdue=n(due < today),
        due_3=n(due >= today, due <= limit3),
        due_5=n(due >= today, due <= limit5),
        # The list's `state` filter selects with the same conditions (`list_states`).
        paused=n(*state_conditions(ListState.PAUSED, today)),
        provisional=n(*state_conditions(ListState.PROVISIONAL, today)),
        awaiting_correction=n(*state_conditions(ListState.AWAITING_CORRECTION, today)),
        flagged=n(*state_conditions(ListState.FLAGGED, today)),
    )


@dataclass(frozen=True)
class Reminded:
    """What the reminder scan (`notifier.scan`, `notifier.policy.hits`) warns about beyond the
    reply deadline, from the same stored columns: internal targets (内部办理时限) passed, of
    which `internal_escalated` are at least `[notifier] escalate_after` working days late (the
    leaders are told), and arrivals whose legal receipt is not yet confirmed, of which
    `unconfirmed_late` arrived before today (reminded every working day)."""

    internal_overdue: int
    internal_escalated: int
    unconfirmed: int
    unconfirmed_late: int


def reminded(
    session: Session,
    *,
    office: Office,
    today: date,
    department_id: int | None = None,
    handler_id: int | None = None,
) -> Reminded:
    """`Reminded` for the open applications in scope. An application counts as the scan reads
    it: an internal target only once the receipt is confirmed, working days late by
    `WorkingCalendar.working_days_left` (no pause: only the reply deadline pauses)."""
    target = col(Application.internal_target)
    late_by_day = _scoped(
        select(target, func.count()).select_from(Application), department_id, handler_id
    ).where(*state_conditions(ListState.INTERNAL_OVERDUE, today))
    notifier = office.settings.notifier
    overdue = escalated = 0
    for due, n in session.exec(late_by_day.group_by(target)):
        overdue += int(n)
        if notifier.escalates(-office.calendar.working_days_left(today, due)):
            escalated += int(n)
    waiting = state_conditions(ListState.UNCONFIRMED, today)
    unconfirmed = _count(session, department_id, *waiting, handler_id=handler_id)
    late = _count(
        session, department_id, *waiting, col(Application.arrived_on) < today, handler_id=handler_id
    )
    return Reminded(overdue, escalated, unconfirmed, late)


def due_series(
    session: Session,
    *,
    office: Office,
    today: date,
    department_id: int | None = None,
    working_days: int = SERIES_WORKING_DAYS,
    handler_id: int | None = None,
) -> list[tuple[date, int]]:
    """Open applications falling due on each of the next `working_days` working days.

    Day 1 is today if today is a working day (items due today still need a reply).
    """
    days: list[date] = []
    d = today if office.calendar.is_working_day(today) else None
    if d is not None:
        days.append(d)
    cursor = today
    while len(days) < working_days:
        cursor = office.calendar.add_working_days(cursor, 1)
        days.append(cursor)
    stmt = _scoped(
        select(col(Application.reply_due), func.count()).select_from(Application),
        department_id,
        handler_id,
    )
    stmt = stmt.where(col(Application.reply_due) >= days[0], col(Application.reply_due) <= days[-1])
    per_day = {
        row[0]: int(row[1]) for row in session.exec(stmt.group_by(col(Application.reply_due)))
    }
    return [(d, per_day.get(d, 0)) for d in days]


def _month_start(d: date, back: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 - back, 12)
    return date(y, m + 1, 1)


def monthly(
    session: Session, *, today: date, department_id: int | None = None, months: int = SERIES_MONTHS
) -> list[tuple[str, int, int]]:
    """(YYYY-MM, applications received, closed on time) for the last `months` months."""
    start = _month_start(today, months - 1)
    intake: Counter[str] = Counter()
    on_time: Counter[str] = Counter()
    stmt = select(col(Application.received_on), func.count()).select_from(Application)
    stmt = stmt.where(col(Application.received_on) >= start)
    if department_id is not None:
        stmt = stmt.where(Application.lead_department_id == department_id)
    for day, n in session.exec(stmt.group_by(col(Application.received_on))):
        assert day is not None  # `received_on >= start` leaves no NULL
        intake[day.strftime("%Y-%m")] += int(n)
    stmt = select(col(Application.closed_on), func.count()).select_from(Application)
    stmt = stmt.where(
        col(Application.closed_on) >= start, col(Application.closed_on_time).is_(True)
    )
    if department_id is not None:
        stmt = stmt.where(Application.lead_department_id == department_id)
    for day, n in session.exec(stmt.group_by(col(Application.closed_on))):
        assert day is not None  # `closed_on >= start` leaves no NULL
        on_time[day.strftime("%Y-%m")] += int(n)
    keys = [_month_start(today, back).strftime("%Y-%m") for back in range(months - 1, -1, -1)]
    return [(k, intake[k], on_time[k]) for k in keys]


def published_report_changes(
    session: Session, *, office: Office, today: date
) -> list[tuple[int, int]]:
    """(year, changes) for the locked annual reports of the last two years changed since."""
    years = [today.year - 2, today.year - 1, today.year]
    return report_changes(session, agency=office.settings.office.agency_name, years=years)


# The reminder outbox, named here as a plain table: its model belongs to the notifier, which
# depends on this package and not the other way round (migrations 0002, 0006, 0010).
_OUTBOX = table(
    "notifier_outbox",
    column("status"),
    column("attempts"),
    column("last_error"),
    column("last_attempt_at", UTCDateTime),
)
FAILURE_WINDOW = timedelta(days=7)  # failed reminders older than this no longer show


@dataclass(frozen=True)
class ReminderTrouble:
    """Reminders waiting for a retry, reminders given up on in the last `FAILURE_WINDOW`,
    and the latest error with its time (UTC)."""

    retrying: int
    failed: int
    last_error: str
    last_at: datetime | None


def reminder_trouble(session: Session, *, now: datetime) -> ReminderTrouble | None:
    """None when every reminder went out. Reads the partial indexes of pending and of failed
    rows only (never the sent history)."""
    o = _OUTBOX.c
    retrying_rows = (o.status == "pending") & (o.attempts > 0)
    failed_rows = (o.status == "failed") & (o.last_attempt_at >= now - FAILURE_WINDOW)
    count = select(func.count()).select_from(_OUTBOX)
    retrying = int(session.execute(count.where(retrying_rows)).scalar_one())
    failed = int(session.execute(count.where(failed_rows)).scalar_one())
    if not retrying and not failed:
        return None
    latest = session.execute(
        select(o.last_error, o.last_attempt_at)
        .where(or_(retrying_rows, failed_rows))
        .order_by(o.last_attempt_at.desc())
        .limit(1)
    ).first()
    error, at = latest if latest is not None else ("", None)
    return ReminderTrouble(retrying, failed, error or "", at)


@dataclass(frozen=True)
class ReturnedCase:
    """An open application its lead department sent back (退回), not assigned again."""

    number: str
    department: str  # the name of the department that sent it back
    on: date  # the date of the return
    by: str  # who sent it back (display name)
    reason: str  # the return's note


@dataclass(frozen=True)
class Returned:
    total: int
    rows: list[ReturnedCase]  # the earliest returns first, at most `RETURNED_ROWS`


_EVENT: Table = EventRecord.__table__  # type: ignore[attr-defined]  # SQLModel declares none
_APP: Table = Application.__table__  # type: ignore[attr-defined]
_DEPT: Table = Department.__table__  # type: ignore[attr-defined]
_ANSWERS = (EventKind.ACCEPTED.value, EventKind.RETURNED.value)


def _after(a: FromClause, b: FromClause) -> ColumnElement[bool]:
    """Event `a` comes after event `b` in the log's order (`on`, then `id`: `events_of`)."""
    return or_(a.c.on > b.c.on, and_(a.c.on == b.c.on, a.c.id > b.c.id))


def returned_cases(session: Session, *, limit: int = RETURNED_ROWS) -> Returned:
    """The open applications whose hand-off in force is a return, as `people.handoff.handoff`
    reads the log: the return is the first answer (签收 or 退回) after the latest assignment
    (分办; registration when there is none), and no assignment comes after it. The office's
    to-do (it assigns again).

    The return in force is looked up once per open application, as a correlated subquery
    through the log's application index: PostgreSQL cannot turn it into a join, which it
    would run as a scan of the whole log (every closed case's events too)."""
    ret, later, answer, between = (_EVENT.alias(n) for n in ("ret", "later", "ans", "btw"))

    def same(e: FromClause) -> ColumnElement[bool]:  # an event of the returned application
        return e.c.application_id == ret.c.application_id

    assigned = EventKind.ASSIGNED.value
    reassigned = (
        select(later.c.id).where(same(later), later.c.kind == assigned, _after(later, ret))
    ).exists()
    # An earlier answer of the same hand-off (no assignment between it and the return).
    answered_before = (
        select(answer.c.id).where(
            same(answer),
            answer.c.kind.in_(_ANSWERS),
            _after(ret, answer),
            ~select(between.c.id)
            .where(
                same(between),
                between.c.kind == assigned,
                _after(between, answer),
                _after(ret, between),
            )
            .correlate_except(between)  # `ret` two levels up, `answer` one
            .exists(),
        )
    ).exists()
    in_force = (  # at most one: the first answer of the latest hand-off
        select(ret.c.id)
        .where(
            ret.c.application_id == _APP.c.id,
            ret.c.kind == EventKind.RETURNED.value,
            ~reassigned,
            ~answered_before,
        )
        .limit(1)
        .scalar_subquery()
    )
    ids = list(
        session.execute(
            select(in_force).where(_APP.c.is_open.is_(True), in_force.is_not(None))
        ).scalars()
    )
    if not ids:
        return Returned(0, [])
    ev = _EVENT.alias("ev")
    rows = session.execute(
        core_select(
            _APP.c.number, _DEPT.c.name, ev.c.party, ev.c.on, ev.c.data, ev.c.approver, ev.c.note
        )
        .select_from(
            ev.join(_APP, _APP.c.id == ev.c.application_id).outerjoin(
                _DEPT, _DEPT.c.code == ev.c.party
            )
        )
        .where(ev.c.id.in_(ids))
        .order_by(ev.c.on, ev.c.id)
        .limit(limit)
    ).all()
    return Returned(
        len(ids),
        [
            ReturnedCase(number, name or party or "", on, (data or {}).get("by_name") or by, note)
            for number, name, party, on, data, by, note in rows
        ],
    )
