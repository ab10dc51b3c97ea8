"""Recomputing every open application for a new calendar, and reporting every clock it moves.

Used by a calendar load, its preview and a revert. Memory stays flat in the number of
applications and the database sees few statements:

- applications are read in batches by id with Core (`BATCH` rows), their engine events with
  one Core query per batch, never as ORM objects;
- each application's deadlines come from the engine (`services.deadlines.compute_events`,
  the same path an appended event takes); applications with the same case type and the same
  events get the same answer, so it is computed once per batch of identical histories;
- only rows whose stored columns change are written, with one executemany UPDATE per batch.

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

from sqlalchemy import Connection, Row, bindparam, select, true, update
from sqlmodel import Session

from disclosure.errors import Conflict, DisclosureError
from disclosure.models import Application, EventRecord
from disclosure.services.deadlines import ENGINE_KINDS, columns, compute_events, to_rule_event
from disclosure.services.office import Office
from disclosure.vocabulary import Clock as ClockWord
from rules.calendar import WorkingCalendar
from rules.engine import Clock, Deadlines
from rules.events import Event

BATCH = 2000
APP = Application.__table__  # type: ignore[attr-defined]
EVENT = EventRecord.__table__  # type: ignore[attr-defined]
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

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "clock": self.clock.value,
            "clock_label": ClockWord(self.clock.value).label,
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


class _Engine:
    """The engine for one calendar, remembering answers for identical histories."""

    def __init__(self, office: Office) -> None:
        self.office = office
        self._memo: dict[tuple[str, tuple[Event, ...]], Deadlines | None] = {}

    def __call__(self, case_type: str, events: tuple[Event, ...]) -> Deadlines | None:
        key = (case_type, events)
        if key not in self._memo:
            self._memo[key] = compute_events(case_type, events, self.office)
        return self._memo[key]

    def forget(self) -> None:
        self._memo.clear()  # per batch: memory stays flat


def recompute_open(
    session: Session, *, old: Office, new: Office, write: bool, batch: int = BATCH
) -> Recomputed:
    """Recompute every open application with `new`; write changed rows when `write`."""
    conn = session.connection()
    engines = _Engine(new), _Engine(old)
    out = Recomputed()
    for rows, events in _batches(conn, batch):
        updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in rows:
            cols = _one(row, events.get(row.id, ()), engines, out)
            if cols is not None:
                updates.setdefault(tuple(cols), []).append({"b_id": row.id, **cols})
        if write:
            for keys, params in updates.items():
                stmt = (
                    update(APP)
                    .where(APP.c.id == bindparam("b_id"))
                    .values({k: bindparam(k) for k in keys})
                )
                conn.execute(stmt, params)
        for e in engines:
            e.forget()
    return out


def _batches(
    conn: Connection, size: int
) -> Iterator[tuple[Sequence[Row[Any]], dict[int, tuple[Event, ...]]]]:
    """Open applications by id, `size` at a time, with their engine events in order."""
    last = 0
    open_ = APP.c.is_open == true()
    while True:
        rows = conn.execute(
            select(APP).where(open_, APP.c.id > last).order_by(APP.c.id).limit(size)
        ).all()
        if not rows:
            return
        first, last = rows[0].id, rows[-1].id
        stmt = (
            select(EVENT)
            .join(APP, APP.c.id == EVENT.c.application_id)
            .where(open_, EVENT.c.application_id.between(first, last))
            .where(EVENT.c.kind.in_(sorted(ENGINE_KINDS)))
            .order_by(EVENT.c.application_id, EVENT.c.on, EVENT.c.id)
        )
        grouped: dict[int, list[Event]] = {}
        for rec in conn.execute(stmt):
            # A Core row has the event columns by name, as `to_rule_event` reads them.
            ev = to_rule_event(cast(EventRecord, rec))
            if ev is not None:
                grouped.setdefault(rec.application_id, []).append(ev)
        yield rows, {k: tuple(v) for k, v in grouped.items()}


def _one(
    row: Row[Any],
    events: tuple[Event, ...],
    engines: tuple[_Engine, _Engine],
    out: Recomputed,
) -> dict[str, Any] | None:
    """Recompute one application; record its moved clocks; its new columns if any changed."""
    new_engine, old_engine = engines
    try:
        d = new_engine(row.case_type, events)
    except DisclosureError as exc:  # e.g. a date now beyond the calendar's range
        raise Conflict(
            f"申请 {row.number} 按新日历无法重新计算，未作任何更改：{exc.message}", field="file"
        ) from exc
    out.recomputed += 1
    cols = columns(d)
    new_clocks = d.open_clocks() if d is not None else {}
    old_clocks: dict[Clock, date] = {}
    if any(c not in STORED for c in new_clocks):
        before = old_engine(row.case_type, events)
        old_clocks = before.open_clocks() if before is not None else {}
    calendar = old_engine.office.calendar
    for clock, due in new_clocks.items():
        was = getattr(row, STORED[clock]) if clock in STORED else old_clocks.get(clock)
        if was != due:
            prov = _provisional(calendar, row, clock, was)
            out.moved.append(Moved(row.number, clock, was, due, prov))
    if all(getattr(row, k) == v for k, v in cols.items()):
        return None
    out.changed += 1
    return cols


def _provisional(calendar: WorkingCalendar, row: Row[Any], clock: Clock, was: date | None) -> bool:
    """Whether the old date was counted through a year without an official notice."""
    if was is None or row.received_on is None:
        return False
    end = was
    if clock is Clock.INTERNAL_TARGET and row.reply_due:  # counted back from the reply date
        end = max(was, row.reply_due)
    return calendar.provisional_in(min(row.received_on, was), end)
