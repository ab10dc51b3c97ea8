"""Recomputing every open application for a new calendar, and reporting every clock it moves.

Used by a calendar load, its preview and a revert. Memory stays flat in the number of
applications (but for the list of moved clocks, which is the report) and the database sees
few statements:

- applications are read in batches by id (`BATCH` rows), their engine events with one query
  per batch, on the driver's cursor as plain tuples of raw values (`notices.reads`): never as
  ORM objects or Core rows; dates are parsed only for a history not seen before and for the
  clocks that move, and stored columns are compared in their raw form;
- each application's deadlines come from the engine (`services.deadlines.compute_events`,
  the same path an appended event takes); applications with the same case type, events
  (raw values and served dates), receipt date and stored columns get the same answer — new
  columns, changed ones, moved clocks — so it is computed once and remembered (`_Bounded`,
  up to 2 × `MEMO_MAX`: the many applications with only a receipt share a few dozen
  histories); so are the engine's events (a few thousand distinct ones);
- only rows whose stored columns change are written (`notices.writes`: executemany UPDATE
  by id on SQLite, COPY into a temporary table and one UPDATE … FROM on PostgreSQL).

The old date of a clock with a stored column (reply, internal target, correction notice) is
the stored value — what the office saw until now. Clocks without a column (the applicant's
correction period, consultations, the fee payment period) are computed with the old
calendar too, for the applications that have one open.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar, cast

from sqlmodel import Session

from disclosure.errors import Conflict, DisclosureError
from disclosure.models import EventRecord
from disclosure.notices.reads import BATCH, Codec, Raw, Reader
from disclosure.notices.writes import writer_for
from disclosure.services.deadlines import columns, compute_events, to_rule_event
from disclosure.services.office import Office
from disclosure.vocabulary import Clock as ClockWord
from rules.engine import Clock
from rules.events import Event, EventKind

__all__ = ["BATCH", "Moved", "Recomputed", "recompute_open"]
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
MEMO_MAX = 4096  # remembered histories and events (`_Bounded`: at most twice as many)
K = TypeVar("K")
V = TypeVar("V")
# An application as the engine and the comparison see it: (case type, received_on, its
# stored columns, its events' raw values in order, their served dates or None), all raw.
_Key = tuple[str, Any, Raw, tuple[Raw, ...], tuple[date | None, ...] | None]


@dataclass(frozen=True, slots=True)
class _Result:
    """What the new calendar does to an application (of any number) with a given `_Key`."""

    moved: tuple[tuple[Clock, date | None, date, bool], ...]  # Moved but for the number
    changed: dict[str, Any] | None  # the stored columns that change (raw); None: none
    full: tuple[Any, ...]  # every stored column's new value (raw), when `changed`


class _Bounded(Generic[K, V]):
    """A memo of at most 2 × `size` entries, so memory stays flat: when the newer half is
    full it becomes the older one (the older is dropped); what is found in the older half
    moves to the newer, so what keeps being used stays."""

    def __init__(self, size: int = MEMO_MAX) -> None:
        self.size = size
        self.newer: dict[K, V] = {}
        self.older: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        found = self.newer.get(key)
        if found is None and self.older:
            found = self.older.pop(key, None)
            if found is not None:
                self.put(key, found)
        return found

    def put(self, key: K, value: V) -> None:
        if len(self.newer) >= self.size:
            self.older, self.newer = self.newer, {}
        self.newer[key] = value


class _Engine:
    """The engine for an old and a new calendar, remembering answers for identical
    applications: same case type, events, receipt date and stored columns (the engine is a
    pure function of the first two; the comparison and the moved clocks of all four)."""

    memo = True  # the benchmark turns it off to measure the engine alone

    def __init__(self, old: Office, new: Office, stored: list[str], codec: Codec) -> None:
        self.old, self.new, self.stored, self.codec = old, new, stored, codec
        self.position = {c: stored.index(name) for c, name in STORED.items()}
        self.reply = stored.index("reply_due")
        self.dates = codec.dates(stored)
        self._memo: _Bounded[_Key, _Result] = _Bounded()
        # An event's raw values and served date → the engine's event (few distinct: the
        # histories differ by how their events combine).
        self._events: _Bounded[tuple[Raw, date | None], Event] = _Bounded()
        self._provisional: _Bounded[tuple[Any, ...], bool] = _Bounded()

    def __call__(self, row: Raw, history: list[Raw], served: dict[int, date] | None) -> _Result:
        """`row` is (id, number, case_type, received_on, *stored columns), as read."""
        # Events are keyed by their values without their ids (equal values, equal events)
        # and the served dates of the letters among them.
        key: _Key = (
            row[2],
            row[3],
            row[4:],
            tuple(r[3:] for r in history),
            tuple(served.get(r[0]) for r in history) if served else None,
        )
        if not self.memo:
            return self._result(row[1], key)
        found = self._memo.newer.get(key) or self._memo.get(key)
        if found is None:
            found = self._result(row[1], key)
            self._memo.put(key, found)
        return found

    def _event(self, values: Raw, served: date | None) -> Event:
        found = self._events.get((values, served))
        if found is None:
            # The event's values have the columns by name, as `to_rule_event` reads them.
            rec = cast(EventRecord, self.codec.event(values))
            ev = to_rule_event(rec, served=served)
            assert ev is not None  # only engine kinds are read
            self._events.put((values, served), found := ev)
        return found

    def _result(self, number: str, key: _Key) -> _Result:
        case_type, received, now, values, served = key
        evs = tuple(
            self._event(v, s) for v, s in zip(values, served or (None,) * len(values), strict=True)
        )
        day = self.codec.day(received)
        if evs and evs[0].on != day and day is not None and evs[0].kind is EventKind.RECEIVED:
            # A corrected receipt (rulebook §3.3): the column holds the date as corrected,
            # which `services.deadlines.rule_events` reads off the correction itself.
            evs = (evs[0]._replace(on=day), *evs[1:])
        try:
            d = compute_events(case_type, evs, self.new)
        except DisclosureError as exc:  # e.g. a date now beyond the calendar's range
            raise Conflict(
                f"申请 {number} 按新日历无法重新计算，未作任何更改：{exc.message}", field="file"
            ) from exc
        cols = columns(d)
        clocks = d.open_clocks() if d is not None else {}
        old: dict[Clock, date] = {}
        if any(c not in STORED for c in clocks):
            before = compute_events(case_type, evs, self.old)
            if before is not None:
                old = {c: v for c, v in before.open_clocks().items() if c not in STORED}
        moved = []
        for clock, due in clocks.items():
            position = self.position.get(clock)
            if position is not None:  # the old date is the stored one, compared raw
                if now[position] == self.codec.raw_date(due):
                    continue
                was = self.codec.day(now[position])
            else:
                was = old.get(clock)
                if was == due:
                    continue
            moved.append((clock, was, due, self._was_provisional(received, now, clock, was)))
        full = self.codec.row([cols.get(k, _KEEP) for k in self.stored], self.dates)
        changed = {}
        for i, name in enumerate(self.stored):
            if full[i] is _KEEP:
                full[i] = now[i]
            elif full[i] != now[i]:
                changed[name] = full[i]
        return _Result(tuple(moved), changed or None, tuple(full))

    def _was_provisional(self, received: Any, now: Raw, clock: Clock, was: date | None) -> bool:
        """Whether the old date was counted through a year without an official notice."""
        if was is None or received is None:
            return False
        reply = now[self.reply] if clock is Clock.INTERNAL_TARGET else None
        key = (was, received, reply)
        found = self._provisional.get(key)
        if found is None:
            first, end = cast(date, self.codec.day(received)), was
            if reply:  # the internal target is counted back from the reply date
                end = max(was, cast(date, self.codec.day(reply)))
            found = self.old.calendar.provisional_in(min(first, was), end)
            self._provisional.put(key, found)
        return found


def recompute_open(
    session: Session, *, old: Office, new: Office, write: bool, batch: int = BATCH
) -> Recomputed:
    """Recompute every open application with `new`; write changed rows when `write`."""
    conn = session.connection()
    stored = _stored_columns(new)
    engine = _Engine(old, new, stored, Codec.of(conn))
    writer = writer_for(conn, stored)
    out = Recomputed()
    moved = out.moved
    batches = iter(Reader(conn, stored, batch))
    with _no_cycle_collection():
        try:
            b = next(batches, None)
            while b is not None:
                out.recomputed += len(b.rows)
                events, served = b.events, b.served
                for row in b.rows:
                    got = engine(row, events.get(row[0], []), served.get(row[0]))
                    for m in got.moved:
                        moved.append(Moved(row[1], *m))
                    if got.changed is not None:
                        out.changed += 1
                        if write:
                            writer.add(row[0], got.changed, got.full)
                # The next batch is read before this one's rows are written: on PostgreSQL
                # the server then updates them while the client computes the next batch.
                b = next(batches, None)
                if write:
                    writer.flush()
            if write:
                writer.finish()
        finally:
            writer.close()
    return out


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused for the recompute, as before if it was on.

    The recompute allocates hundreds of thousands of small tuples (rows, keys, results) and
    keeps a memo of them; the collector's passes over them were a fifth of the CPU time of
    a 100,000-application preview. What it allocates is freed by reference counting (plain
    tuples, dicts, dates: no cycles), so memory stays as it was.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _stored_columns(office: Office) -> list[str]:
    """The columns `services.deadlines.columns` writes (asked, not listed here again)."""
    received = office.calendar.first_day
    sample = compute_events("", (Event(EventKind.RECEIVED, received),), office)
    return sorted(set(columns(sample)) | set(columns(None)))
