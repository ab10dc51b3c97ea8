"""Recomputing every open application for a new calendar, and reporting every clock it moves.

Used by a calendar load, its preview and a revert. Memory stays flat in the number of
applications (but for the list of moved clocks, which is the report) and the database sees
few statements:

- applications are read in batches by id with Core (`BATCH` rows), their engine events with
  one Core query per batch, never as ORM objects;
- each application's deadlines come from the engine (`services.deadlines.compute_events`,
  the same path an appended event takes); applications with the same case type and the same
  events get the same answer, so it is computed once and remembered (up to `MEMO_MAX`
  histories: the many applications with only a receipt share a few dozen);
- only rows whose stored columns change are written (`notices.writes`: executemany UPDATE
  by id on SQLite, COPY into a temporary table and one UPDATE … FROM on PostgreSQL).

The old date of a clock with a stored column (reply, internal target, correction notice) is
the stored value — what the office saw until now. Clocks without a column (the applicant's
correction period, consultations, the fee payment period) are computed with the old
calendar too, for the applications that have one open.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from sqlalchemy import Connection, Row, select, true
from sqlmodel import Session

from disclosure.errors import Conflict, DisclosureError
from disclosure.models import Application, EventRecord
from disclosure.notices.writes import writer_for
from disclosure.services.deadlines import (
    ENGINE_KINDS,
    SERVED_KINDS,
    columns,
    compute_events,
    served_on,
    to_rule_event,
)
from disclosure.services.office import Office
from disclosure.services.serving import SERVED, served_dates
from disclosure.vocabulary import Clock as ClockWord
from rules.calendar import WorkingCalendar
from rules.engine import Clock
from rules.events import Event, EventKind

BATCH = 2000
APP = Application.__table__  # type: ignore[attr-defined]
EVENT = EventRecord.__table__  # type: ignore[attr-defined]
# Read per event: everything but what no deadline depends on (decoding JSON and timestamps
# was a third of the read). `to_rule_event` takes what it needs from these by name.
# The row's id and application id come first; the rest is the history's key (see _Engine).
_SKIP = ("id", "application_id", "data", "recorded_at", "actor")
EVENT_COLUMNS = [EVENT.c.id, EVENT.c.application_id] + [c for c in EVENT.c if c.name not in _SKIP]
History = tuple[Row[Any], ...]  # one application's engine event rows, in order
# The clocks whose due date is a stored column of `application`.
STORED = {
    Clock.REPLY: "reply_due",
    Clock.INTERNAL_TARGET: "internal_target",
    Clock.CORRECTION_NOTICE: "correction_notice_due",
}


@dataclass(frozen=True, slots=True)
class Moved:
    """One clock of one open application whose due date the new calendar changes."""

    number: str
    clock: Clock
    old: date | None
    new: date | None
    was_provisional: bool  # the old date was counted over a year without an official notice

    @property
    def clock_label(self) -> str:
        return ClockWord(self.clock.value).label

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "clock": self.clock.value,
            "clock_label": self.clock_label,
            "old": self.old.isoformat() if self.old else None,
            "new": self.new.isoformat() if self.new else None,
            "was_provisional": self.was_provisional,
        }


@dataclass
class Recomputed:
    recomputed: int = 0  # open applications computed
    changed: int = 0  # rows whose stored columns changed (written unless a preview)
    moved: list[Moved] = field(default_factory=list)

    @property
    def moved_applications(self) -> int:
        return len({m.number for m in self.moved})


_KEEP = object()  # a stored column that `columns()` leaves as it is (no receipt yet)
MEMO_MAX = 8192  # remembered histories; cleared when full, so memory stays bounded


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What one history gives: its stored columns, open clocks, and the old unstored ones."""

    values: tuple[Any, ...]  # in `stored` order; _KEEP where the column is not recomputed
    # open clocks with the new calendar, each with its stored column's position (or None)
    clocks: tuple[tuple[Clock, date, int | None], ...]
    old: dict[Clock, date]  # open clocks without a column, with the old calendar
    whole: tuple[Any, ...] | None  # `values` when every column is recomputed (compared at once)


class _Engine:
    """The engine for an old and a new calendar, remembering answers for identical histories
    (same case type, same events: the engine is a pure function of them)."""

    memo = True  # the benchmark turns it off to measure the engine alone

    def __init__(self, old: Office, new: Office, stored: list[str]) -> None:
        self.old, self.new, self.stored = old, new, stored
        self.position = {c: stored.index(name) for c, name in STORED.items()}
        self._memo: dict[tuple[str, tuple[tuple[Any, ...], ...]], _Outcome] = {}

    def __call__(
        self, number: str, case_type: str, history: History, served: dict[int, date]
    ) -> _Outcome:
        # The key is the events' values without their ids (equal values, equal events) and
        # the served dates of the letters among them.
        key: tuple[str, tuple[tuple[Any, ...], ...]] = (
            case_type,
            tuple((*r[2:], served.get(r.id)) for r in history),
        )
        found = self._memo.get(key) if self.memo else None
        if found is None:
            # A Core row has the event columns by name, as `to_rule_event` reads them.
            events = (to_rule_event(cast(EventRecord, r), served=served.get(r.id)) for r in history)
            found = self._compute(number, case_type, tuple(e for e in events if e is not None))
            if len(self._memo) >= MEMO_MAX:
                self._memo.clear()
            self._memo[key] = found
        return found

    def _compute(self, number: str, case_type: str, events: tuple[Event, ...]) -> _Outcome:
        try:
            d = compute_events(case_type, events, self.new)
        except DisclosureError as exc:  # e.g. a date now beyond the calendar's range
            raise Conflict(
                f"申请 {number} 按新日历无法重新计算，未作任何更改：{exc.message}", field="file"
            ) from exc
        cols = columns(d)
        clocks = d.open_clocks() if d is not None else {}
        old: dict[Clock, date] = {}
        if any(c not in STORED for c in clocks):
            before = compute_events(case_type, events, self.old)
            if before is not None:
                old = {c: v for c, v in before.open_clocks().items() if c not in STORED}
        values = tuple(cols.get(k, _KEEP) for k in self.stored)
        slots = tuple((c, due, self.position.get(c)) for c, due in clocks.items())
        whole = None if any(v is _KEEP for v in values) else values
        return _Outcome(values, slots, old, whole)


def recompute_open(
    session: Session, *, old: Office, new: Office, write: bool, batch: int = BATCH
) -> Recomputed:
    """Recompute every open application with `new`; write changed rows when `write`."""
    conn = session.connection()
    stored = _stored_columns(new)
    engine = _Engine(old, new, stored)
    writer = writer_for(conn, stored)
    out = Recomputed()
    for rows, events, served in _batches(conn, batch, stored):
        for row in rows:
            got = _one(row, events, served, engine, out)
            if got is not None and write:
                writer.add(row.id, *got)
        if write:
            writer.flush()
    if write:
        writer.finish()
    return out


def _stored_columns(office: Office) -> list[str]:
    """The columns `services.deadlines.columns` writes (asked, not listed here again)."""
    received = office.calendar.first_day
    sample = compute_events("", (Event(EventKind.RECEIVED, received),), office)
    return sorted(set(columns(sample)) | set(columns(None)))


def _batches(
    conn: Connection, size: int, stored: list[str]
) -> Iterator[tuple[Sequence[Row[Any]], dict[int, History], dict[int, date]]]:
    """Open applications by id, `size` at a time, with their engine events in order and the
    served dates of the letters among them (by event id)."""
    last = 0
    open_ = APP.c.is_open == true()
    wanted = [APP.c.id, APP.c.number, APP.c.case_type, APP.c.received_on]
    wanted += [APP.c[name] for name in stored]
    while True:
        rows = conn.execute(
            select(*wanted).where(open_, APP.c.id > last).order_by(APP.c.id).limit(size)
        ).all()
        if not rows:
            return
        first, last = rows[0].id, rows[-1].id
        stmt = (
            select(*EVENT_COLUMNS)
            .join(APP, APP.c.id == EVENT.c.application_id)
            .where(open_, APP.c.id.between(first, last))
            .where(EVENT.c.application_id.between(first, last))
            .where(EVENT.c.kind.in_(sorted(ENGINE_KINDS)))
            .order_by(EVENT.c.application_id, EVENT.c.on, EVENT.c.id)
        )
        grouped: dict[int, list[Row[Any]]] = {}
        for rec in conn.execute(stmt).all():
            grouped.setdefault(rec.application_id, []).append(rec)
        yield rows, {k: tuple(v) for k, v in grouped.items()}, _served(conn, first, last)


def _served(conn: Connection, first: int, last: int) -> dict[int, date]:
    """The served dates of the letter steps of applications `first`…`last` (by event id),
    as `services.deadlines.served_on` gives them; only these rows' JSON is decoded."""
    kinds = sorted(SERVED_KINDS | {SERVED})
    stmt = select(EVENT.c.id, EVENT.c.application_id, EVENT.c.kind, EVENT.c.on, EVENT.c.data)
    stmt = stmt.where(EVENT.c.application_id.between(first, last), EVENT.c.kind.in_(kinds))
    by_app: dict[int, list[Any]] = {}
    for rec in conn.execute(stmt.order_by(EVENT.c.application_id, EVENT.c.id)):
        by_app.setdefault(rec.application_id, []).append(rec)
    out: dict[int, date] = {}
    for records in by_app.values():
        recorded = served_dates(cast(list[EventRecord], records))
        for rec in records:
            day = served_on(cast(EventRecord, rec), recorded)
            if day is not None:
                out[rec.id] = day
    return out


def _one(
    row: Row[Any],
    events: dict[int, History],
    served: dict[int, date],
    engine: _Engine,
    out: Recomputed,
) -> tuple[dict[str, Any], tuple[Any, ...]] | None:
    """Recompute one application, record its moved clocks; if a column changed, the
    changed columns and all stored columns' new values.

    `row` is (id, number, case_type, received_on, *stored columns in order).
    """
    got = engine(row.number, row.case_type, events.get(row.id, ()), served)
    out.recomputed += 1
    now: tuple[Any, ...] = tuple(row[4:])
    for clock, due, position in got.clocks:
        was = now[position] if position is not None else got.old.get(clock)
        if was != due:
            prov = _provisional(engine.old.calendar, row, clock, was)
            out.moved.append(Moved(row.number, clock, was, due, prov))
    if got.whole is not None:  # the common case: one tuple comparison
        if got.whole == now:
            return None
    elif all(v is _KEEP or v == n for v, n in zip(got.values, now, strict=True)):
        return None
    out.changed += 1
    pairs = list(zip(engine.stored, got.values, now, strict=True))
    changed = {k: v for k, v, n in pairs if v is not _KEEP and v != n}
    return changed, tuple(n if v is _KEEP else v for _, v, n in pairs)


def _provisional(calendar: WorkingCalendar, row: Row[Any], clock: Clock, was: date | None) -> bool:
    """Whether the old date was counted through a year without an official notice."""
    if was is None or row.received_on is None:
        return False
    end = was
    if clock is Clock.INTERNAL_TARGET and row.reply_due:  # counted back from the reply date
        end = max(was, row.reply_due)
    return calendar.provisional_in(min(row.received_on, was), end)
