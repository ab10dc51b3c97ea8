"""Read-side queries: lists by deadline state are plain indexed filters on stored columns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple, Protocol

from sqlalchemy import ColumnElement, Integer, Select, and_, bindparam, func, or_, true
from sqlmodel import Session, select

from disclosure.models import Application, Department, Stage
from disclosure.services.list_states import state_conditions
from disclosure.services.office import Office
from disclosure.vocabulary import ListState
from rules.calendar import Pause
from rules.deadlines import state_on


@dataclass(frozen=True)
class ListFilter:
    overdue: bool = False
    due_within: int | None = None  # working days
    department_id: int | None = None
    handler_id: int | None = None  # the handler's account (`application.handler_id`)
    stage: Stage | None = None
    open_only: bool = False
    search: str = ""
    limit: int | None = None
    offset: int = 0
    order: str = "reply_due"
    descending: bool = False
    # A dashboard tile's state (`list_states`): open applications in it, as the tile counts.
    state: ListState | None = None


SORTABLE = {"reply_due", "received_on", "number", "next_action_due", "applicant_name"}


# The table's columns: filters and list queries are built from them (Core), not from the
# ORM attributes, so a list query runs without the ORM's compile and loading steps (about
# a third of fetching a 50-row page).
_TABLE = Application.__table__  # type: ignore[attr-defined]  # SQLModel declares no __table__
_T = _TABLE.c


class ListRow(NamedTuple):
    """One list row: what a list shows (`read_model.Listed`; also what `deadline_state` and
    `working_days_left` read). A named tuple reads its fields ~10× faster than a SQLAlchemy
    Row by name."""

    id: int
    number: str
    stage: str
    channel: str
    applicant_name: str
    applicant_type: str
    content: str
    lead_department_id: int | None
    arrived_on: date | None
    received_on: date | None
    reply_due: date | None
    next_action_due: date | None
    internal_target: date | None
    provisional: bool
    is_open: bool
    paused_from: date | None
    paused_until: date | None
    awaiting_correction: bool
    closed_on: date | None
    closed_on_time: bool | None
    outcome: str | None


LIST_COLUMN_NAMES = ListRow._fields
LIST_COLUMNS = tuple(_T[name] for name in LIST_COLUMN_NAMES)


def list_application_rows(
    session: Session,
    *,
    office: Office,
    today: date,
    flt: ListFilter,
    statements: ListStatements | None = None,
) -> list[ListRow]:
    """The applications `flt` selects, as `LIST_COLUMNS` rows (attribute access).

    No ORM objects are built, which is most of the cost of a 50-row page; the rows are
    what `read_model.listed` takes. With `statements` the query is one built before for
    filters of this shape (`ListStatements`), run with this filter's values.
    """
    # On the connection, fetched at once: a Core statement needs none of the ORM's steps, and
    # one fetch of the page is cheaper than a fetch per row (the web list's hot path).
    if statements is None:
        result = session.connection().execute(list_statement(office, today, flt))
    else:
        stmt, params = statements.rows(office, today, flt)
        result = session.connection().execute(stmt, params)
    return [ListRow._make(row) for row in result.all()]


def list_statement(office: Office, today: date, flt: ListFilter) -> Select[Any]:
    """The list query: `LIST_COLUMNS` of the applications `flt` selects, in list order."""
    return _page(_where(_LIST, office, today, flt), flt)


def _page(stmt: Select[Any], flt: ListFilter) -> Select[Any]:
    """Order by the chosen column (NULLs last), then id; served by (…, reply_due, id) indexes."""
    stmt = stmt.order_by(_ORDERINGS[_order(flt), flt.descending], _T.id)
    if flt.limit is not None:
        stmt = stmt.limit(flt.limit).offset(flt.offset)
    return stmt


def count_applications(
    session: Session,
    *,
    office: Office,
    today: date,
    flt: ListFilter,
    statements: ListStatements | None = None,
) -> int:
    if statements is None:
        result = session.connection().execute(_where(_COUNT, office, today, flt))
    else:
        stmt, params = statements.count(office, today, flt)
        result = session.connection().execute(stmt, params)
    return int(result.scalar_one())


def _where(stmt: Select[Any], office: Office, today: date, flt: ListFilter) -> Select[Any]:
    """`stmt` limited to what `flt` selects, its values in the statement."""
    found = _criteria(flt, _values(office, today, flt))
    return stmt.where(*found) if found else stmt


class _Slots(NamedTuple):
    """What a filter's criteria compare with: its values, or (`_PARAMS`) placeholders that a
    statement built once takes them in."""

    today: Any
    due_limit: Any
    department_id: Any
    handler_id: Any
    stage: Any
    like: Any


def _values(office: Office, today: date, flt: ListFilter) -> _Slots:
    due = flt.due_within
    return _Slots(
        today=today,
        due_limit=office.calendar.add_working_days(today, due) if due is not None else None,
        department_id=flt.department_id,
        handler_id=flt.handler_id,
        stage=flt.stage.value if flt.stage is not None else None,
        like=f"%{flt.search}%",
    )


def _criteria(flt: ListFilter, v: _Slots) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if flt.overdue or flt.due_within is not None or flt.open_only or flt.state is not None:
        # `= true`, not `IS TRUE`: PostgreSQL can use the (is_open, reply_due) index only so.
        found.append(_T.is_open == true())
    if flt.overdue:
        found.append(_T.reply_due < v.today)
    if flt.due_within is not None:
        found += [_T.reply_due >= v.today, _T.reply_due <= v.due_limit]
    if flt.department_id is not None:
        found.append(_T.lead_department_id == v.department_id)
    if flt.handler_id is not None:
        found.append(_T.handler_id == v.handler_id)
    if flt.stage is not None:
        found.append(_T.stage == v.stage)
    if flt.search:
        found.append(
            _T.number.like(v.like) | _T.applicant_name.like(v.like) | _T.content.like(v.like)
        )
    if flt.state is not None:
        found += state_conditions(flt.state, v.today)
    return found


def _order(flt: ListFilter) -> str:
    return flt.order if flt.order in SORTABLE else "reply_due"


# Built once (statements are immutable): the selects every list query starts from, the
# orderings, and the placeholders of `ListStatements`.
_LIST = select(*LIST_COLUMNS)
_COUNT = select(func.count()).select_from(_TABLE)
_ORDERINGS = {
    (name, descending): (_T[name].desc() if descending else _T[name].asc()).nulls_last()
    for name in SORTABLE
    for descending in (False, True)
}
_PARAMS = _Slots(
    today=bindparam("today", type_=_T.reply_due.type),
    due_limit=bindparam("due_limit", type_=_T.reply_due.type),
    department_id=bindparam("department_id", type_=_T.lead_department_id.type),
    handler_id=bindparam("handler_id", type_=_T.handler_id.type),
    stage=bindparam("stage", type_=_T.stage.type),
    like=bindparam("like", type_=_T.content.type),
)
_LIMIT = bindparam("limit", type_=Integer)
_OFFSET = bindparam("offset", type_=Integer)
# Keyset continuation in the default order (reply deadline, none last, then id; the API's
# `after=` cursor, `api.paging`): after a row without a deadline, or after one with a
# deadline, taking the row's `after_due` and `after_id`.
AFTER_UNDATED, AFTER_DATED = "undated", "dated"
_AFTER_DUE = bindparam("after_due", type_=_T.reply_due.type)
_AFTER_ID = bindparam("after_id", type_=_T.id.type)
_AFTER = {
    AFTER_UNDATED: and_(_T.reply_due.is_(None), _T.id > _AFTER_ID),
    AFTER_DATED: or_(
        _T.reply_due > _AFTER_DUE,
        and_(_T.reply_due == _AFTER_DUE, _T.id > _AFTER_ID),
        _T.reply_due.is_(None),
    ),
}


class ListStatements:
    """The list and count queries built once for each shape of filter (which filters are
    set, the order, whether paged), run with each filter's values as parameters.

    Building a list query and computing its SQL cache key cost more than running it on a
    page of 50; a statement kept is keyed once. The same SQL as `list_statement` and
    `count_applications` build, so the same rows. At most a few thousand shapes exist; a
    web app keeps one (`web.listing.ListedCache`), so does an API app for its pages
    (`api.paging.page_after`). A list of one state (`ListFilter.state`, a dashboard tile's)
    is built per call, not kept: the states would multiply the shapes kept by seven, for
    lists that filter every open application anyway.
    """

    def __init__(self) -> None:
        self._built: dict[tuple[Any, ...], Select[Any]] = {}

    def rows(
        self, office: Office, today: date, flt: ListFilter, after: str | None = None
    ) -> tuple[Select[Any], dict[str, Any]]:
        """The list query for `flt` and its parameters; with `after` (`AFTER_UNDATED` or
        `AFTER_DATED`, default order only) the rows after the one whose `after_due` and
        `after_id` the caller adds to the parameters."""
        key = ("rows", after, *_shape(flt))
        stmt = self._built.get(key)
        if stmt is None:
            stmt = _LIST
            found = _criteria(flt, _PARAMS)
            if after is not None:
                found.append(_AFTER[after])
            if found:
                stmt = stmt.where(*found)
            stmt = stmt.order_by(_ORDERINGS[_order(flt), flt.descending], _T.id)
            if flt.limit is not None:
                stmt = stmt.limit(_LIMIT).offset(_OFFSET)
            if flt.state is None:
                stmt = self._built.setdefault(key, stmt)
        params = _values(office, today, flt)._asdict()  # those the shape has no use for: unread
        if flt.limit is not None:
            params["limit"], params["offset"] = flt.limit, flt.offset
        return stmt, params

    def count(
        self, office: Office, today: date, flt: ListFilter
    ) -> tuple[Select[Any], dict[str, Any]]:
        """The count query for `flt` and its parameters."""
        key = ("count", *_shape(flt))
        stmt = self._built.get(key)
        if stmt is None:
            found = _criteria(flt, _PARAMS)
            stmt = _COUNT.where(*found) if found else _COUNT
            if flt.state is None:
                stmt = self._built.setdefault(key, stmt)
        return stmt, _values(office, today, flt)._asdict()


def _shape(flt: ListFilter) -> tuple[Any, ...]:
    """What decides a list query's SQL (not its values)."""
    return (
        flt.open_only,
        flt.overdue,
        flt.due_within is not None,
        flt.department_id is not None,
        flt.handler_id is not None,
        flt.stage is not None,
        bool(flt.search),
        _order(flt),
        flt.descending,
        flt.limit is not None,
        flt.state,
    )


class StoredDeadlines(Protocol):
    """The stored deadline columns of an application (an `Application` or a list row)."""

    @property
    def received_on(self) -> date | None: ...
    @property
    def reply_due(self) -> date | None: ...
    @property
    def is_open(self) -> bool: ...
    @property
    def paused_from(self) -> date | None: ...
    @property
    def paused_until(self) -> date | None: ...
    @property
    def awaiting_correction(self) -> bool: ...
    @property
    def closed_on_time(self) -> bool | None: ...


def working_days_left(app: StoredDeadlines, office: Office, today: date) -> int | None:
    """As `WorkingCalendar.working_days_left`, skipping the stored pause."""
    if app.reply_due is None or not app.is_open:
        return None
    pauses = []
    if app.paused_from and app.paused_until:
        pauses.append(Pause(app.paused_from, app.paused_until))
    return office.calendar.working_days_left(today, app.reply_due, pauses)


def deadline_state(app: StoredDeadlines, today: date) -> str:
    """The state on `today` from the stored columns (`rules.deadlines.state_on`), or
    `unconfirmed` while an arrival waits for its legal receipt date."""
    if app.is_open and app.received_on is None:
        return "unconfirmed"
    return state_on(
        today,
        closed=not app.is_open,
        closed_on_time=bool(app.closed_on_time),
        reply_due=app.reply_due,
        awaiting_correction=app.awaiting_correction,
        paused=paused_on(app, today),
    ).value


def paused_on(app: StoredDeadlines, today: date) -> bool:
    """Whether the stored pause covers `today` (an open pause is stored to its limit)."""
    start, end = app.paused_from, app.paused_until
    return start is not None and end is not None and start <= today <= end


def department_names(session: Session) -> dict[int, Department]:
    return {d.id: d for d in session.exec(select(Department)).all() if d.id is not None}
