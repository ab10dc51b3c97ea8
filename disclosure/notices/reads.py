"""Reading the open applications for a recompute: in batches, on the driver's own cursor.

The statements are Core, compiled once for the connection's dialect
(`construct_expanded_state` per batch), and run on the DB-API cursor of the same connection,
inside the caller's transaction: rows come back as plain tuples of the driver's values (on
SQLite dates are ISO strings, booleans 0/1), with no Row objects and no type processing. The
recompute compares and remembers these raw values, and turns them into dates only where it
needs a date (`Codec`): on a memo miss, and for the clocks that move. For 100,000 open
applications this reads in about half the time of Core rows (docs/bench-notes/calendar.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple, cast

from sqlalchemy import Connection, Integer, Select, bindparam, case, select, true
from sqlalchemy.sql.compiler import SQLCompiler

from disclosure.models import Application, EventRecord
from disclosure.services.deadlines import ENGINE_KINDS, SERVED_KINDS, served_on
from disclosure.services.serving import SERVED, served_dates

BATCH = 2000
APP = Application.__table__  # type: ignore[attr-defined]
EVENT = EventRecord.__table__  # type: ignore[attr-defined]
Raw = tuple[Any, ...]  # one row as the driver gives it


class EventValues(NamedTuple):
    """The columns of an engine event a deadline may depend on: the key of a history (with
    the served dates), and what `services.deadlines.to_rule_event` reads by name. Not read:
    id, application id, `data` (JSON), `recorded_at`, `actor`."""

    kind: str
    on: Any  # a date; raw (an ISO string on SQLite) until `Codec.event`
    end_on: Any
    due_on: Any
    days: int | None
    party: str | None
    approver: str | None
    outcome: str | None
    amount_yuan: int | None
    note: str


VALUES = [EVENT.c[n] for n in EventValues._fields]
_DATES = tuple(i for i, n in enumerate(EventValues._fields) if EVENT.c[n].type.python_type is date)


class Logged(NamedTuple):
    """A letter step or service record, as `services.serving` reads it."""

    id: int
    kind: str
    data: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class Codec:
    """The driver's form of the values the recompute reads and writes: psycopg gives and
    takes dates and booleans; sqlite3 gives ISO strings and 0/1 (as SQLAlchemy stores them),
    and is given the same."""

    text_dates: bool

    @classmethod
    def of(cls, conn: Connection) -> Codec:
        return cls(text_dates=conn.dialect.name == "sqlite")

    def day(self, raw: Any) -> date | None:
        if raw is None or not self.text_dates:
            return cast(date | None, raw)
        return date.fromisoformat(raw)

    def raw_date(self, value: date) -> Any:
        return value.isoformat() if self.text_dates else value

    def dates(self, names: list[str]) -> tuple[int, ...]:
        """Where `row` converts, for the columns `names` of `application`."""
        if not self.text_dates:
            return ()
        return tuple(i for i, n in enumerate(names) if APP.c[n].type.python_type is date)

    @staticmethod
    def row(values: list[Any], dates: tuple[int, ...]) -> list[Any]:
        """Computed column values in the raw form, in place (`dates`: from `dates`): equal
        to the stored raw values iff equal (dates as ISO text on SQLite; booleans stay bool,
        equal to 0/1, and sqlite3 binds them as 0/1)."""
        for i in dates:
            if values[i].__class__ is date:
                values[i] = values[i].isoformat()
        return values

    def event(self, raw: Raw) -> EventValues:
        """An event's raw values (an event row but its ids and data) with dates as dates."""
        values = list(raw)
        if self.text_dates:
            for i in _DATES:
                if values[i] is not None:
                    values[i] = date.fromisoformat(values[i])
        return EventValues._make(values)


class Query:
    """A Core statement compiled once for a dialect, run on a DB-API cursor."""

    def __init__(self, conn: Connection, stmt: Select[Any]) -> None:
        self.compiled: SQLCompiler = stmt.compile(dialect=conn.dialect)

    def all(self, cursor: Any, **values: Any) -> list[Raw]:
        state = self.compiled.construct_expanded_state(values)
        params = state.positional_parameters if self.compiled.positional else state.parameters
        cursor.execute(state.statement, params)
        return cast(list[Raw], cursor.fetchall())


@dataclass(frozen=True, slots=True)
class Batch:
    rows: list[Raw]  # (id, number, case_type, received_on, *stored columns in order)
    # application id → its engine event rows (id, application_id, data, *EventValues) in order
    events: dict[int, list[Raw]]
    served: dict[int, dict[int, date]]  # application id → {event id: served date}


class Reader:
    """Open applications by id, `size` at a time, with their engine events in order and
    the served dates of the letters among them: two queries a batch."""

    def __init__(self, conn: Connection, stored: list[str], size: int = BATCH) -> None:
        raw = conn.connection.driver_connection
        assert raw is not None
        self.cursor, self.size = raw.cursor(), size
        first, last = bindparam("first", type_=Integer), bindparam("last", type_=Integer)
        open_ = APP.c.is_open == true()
        wanted = [APP.c.id, APP.c.number, APP.c.case_type, APP.c.received_on]
        wanted += [APP.c[name] for name in stored]
        self.apps = Query(
            conn,
            select(*wanted)
            .where(open_, APP.c.id > bindparam("after", type_=Integer))
            .order_by(APP.c.id)
            .limit(bindparam("size", type_=Integer)),
        )
        # The engine's events and the service records, with the JSON of the letter steps
        # and service records only (what `services.deadlines.served_on` reads). Both tables
        # bounded by the batch's id range: an index range on PostgreSQL too.
        letters = sorted(SERVED_KINDS | {SERVED})
        data = case((EVENT.c.kind.in_(letters), EVENT.c.data))
        self.events = Query(
            conn,
            select(EVENT.c.id, EVENT.c.application_id, data, *VALUES)
            .join(APP, APP.c.id == EVENT.c.application_id)
            .where(open_, APP.c.id.between(first, last))
            .where(EVENT.c.application_id.between(first, last))
            .where(EVENT.c.kind.in_(sorted(ENGINE_KINDS | {SERVED})))
            .order_by(EVENT.c.application_id, EVENT.c.on, EVENT.c.id),
        )

    def __iter__(self) -> Iterator[Batch]:
        after = 0
        try:
            while True:
                rows = self.apps.all(self.cursor, after=after, size=self.size)
                if not rows:
                    return
                first, after = rows[0][0], rows[-1][0]
                grouped: dict[int, list[Raw]] = {}
                letters: dict[int, list[Raw]] = {}
                for rec in self.events.all(self.cursor, first=first, last=after):
                    if rec[2] is not None:  # a letter step or a service record
                        letters.setdefault(rec[1], []).append(rec)
                        if rec[3] == SERVED:
                            continue
                    grouped.setdefault(rec[1], []).append(rec)
                yield Batch(rows, grouped, _served(letters))
        finally:
            self.cursor.close()


def _served(letters: dict[int, list[Raw]]) -> dict[int, dict[int, date]]:
    """The served dates of the letter steps among `letters` (application id → its letter
    steps and service records), as `services.deadlines.served_on` gives them."""
    out: dict[int, dict[int, date]] = {}
    for app_id, rows in letters.items():
        records = []
        for rec in rows:
            data = rec[2]
            if isinstance(data, str):  # sqlite3 gives the JSON text (mostly that of {})
                data = {} if data == "{}" else json.loads(data)
            records.append(Logged(rec[0], rec[3], data))
        recorded = served_dates(records)
        days = {}
        for logged in records:
            day = served_on(cast(EventRecord, logged), recorded)
            if day is not None:
                days[logged.id] = day
        if days:
            out[app_id] = days
    return out
