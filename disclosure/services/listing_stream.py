"""`disclosure list --json` for any number of applications: rows streamed, memory flat in N.

`write_list_json` writes, as UTF-8, the JSON array of the read model
(`read_model.Listed.as_dict`) of every listed application, in the list's order (reply due,
NULLs last, then id): the text `emit_json([listed(...).as_dict() for ...])` would print,
without its final newline. One query of plain columns (no ORM objects), read in batches of
`BATCH` rows (SQLite steps its cursor; PostgreSQL uses a server-side cursor);
`ListFilter.limit` / `offset` page it.

`RowJson` writes a row's text without a dictionary in between: the keys and separators are
constant bytes, and what many rows share is encoded once per stream. The deadline state and
the working days left depend only on the stored deadline columns (`RowJson._deadlines_of`),
so `queries.deadline_state` and `queries.working_days_left` run once for each distinct
combination (at most `DEADLINES_KEPT` kept); a stage, a department, a date once each.
tests/register/test_list_json_text.py checks the text equals the read model's, byte for
byte, on every kind of row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import type_coerce
from sqlalchemy.types import NullType
from sqlmodel import Session

from disclosure.models import Department
from disclosure.services.office import Office
from disclosure.services.queries import (
    LIST_COLUMN_NAMES,
    LIST_COLUMNS,
    ListFilter,
    ListRow,
    deadline_state,
    department_names,
    list_statement,
    working_days_left,
)
from disclosure.services.read_model import SUMMARY_CHARS
from disclosure.vocabulary import DeadlineState, Stage

BATCH = 2_000  # rows per fetch
DEADLINES_KEPT = 10_000  # distinct deadline combinations kept (memory stays bounded)
DAYS_KEPT = 10_000  # distinct dates kept as ISO text
TEXTS_KEPT = 10_000  # distinct short texts (a channel, an outcome, ...) kept as JSON


class RowJson:
    """The JSON text `json.dumps(listed(row, ...).as_dict(), ensure_ascii=False,
    default=str)` of the rows of one stream, as UTF-8, written without the dict, from the
    columns as the database driver returns them (`JSON_COLUMNS`: `LIST_COLUMN_NAMES`
    without `id`, no result processing).

    The keys and separators are constant bytes, and what rows share is kept as encoded JSON
    for the stream's length, under the driver's values: a stage, a channel, a department, a
    date (`processors`, the column types' own result processors, turn a stored date into
    the `date` the read model formats only the first time), the deadline columns' state;
    only the number, the applicant and the summary are encoded for every row (nothing else
    goes through a `str` of the whole row, which would be UCS-2 for one Chinese character
    and cost as much again to encode)."""

    def __init__(
        self,
        office: Office,
        today: date,
        departments: dict[int, Department],
        processors: Sequence[Callable[[Any], Any] | None],
    ) -> None:
        self.office = office
        self.today = today
        self.departments = departments
        self.processors = processors
        self.encode = json.JSONEncoder(ensure_ascii=False, default=str).encode
        self._deadlines: dict[tuple[Any, ...], tuple[bytes, bytes]] = {}
        self._stages: dict[str, bytes] = {}
        self._texts: dict[Any, bytes] = {}
        self._flags: dict[Any, bytes] = {}
        self._lead: dict[int | None, bytes] = {}
        self._days: dict[Any, bytes] = {}

    def _json(self, value: Any) -> bytes:
        return self.encode(value).encode()

    def _value(self, i: int, raw: Any) -> Any:
        """Column `i`'s value as the read model gets it."""
        process = self.processors[i]
        return process(raw) if process else raw

    def _deadlines_of(self, key: tuple[Any, ...], columns: Sequence[Any]) -> tuple[bytes, bytes]:
        """(working days left, `"state": …, "state_label": …`) as JSON, kept under `key`
        (`received_on` only as "is None")."""
        if len(self._deadlines) >= DEADLINES_KEPT:
            self._deadlines.clear()
        row = ListRow._make((None, *(self._value(i, v) for i, v in enumerate(columns))))
        state = DeadlineState(deadline_state(row, self.today))
        left = self._json(working_days_left(row, self.office, self.today))
        part = f'"state": {self.encode(state.value)}, "state_label": {self.encode(state.label)}'
        found = self._deadlines[key] = (left, part.encode())
        return found

    def _stage(self, stage: str) -> bytes:
        """`"stage": …, "stage_label": …` (an unknown stage raises, as the read model does)."""
        label = Stage(stage).label
        part = f'"stage": {self.encode(stage)}, "stage_label": {self.encode(label)}'
        found = self._stages[stage] = part.encode()
        return found

    def _text(self, value: Any) -> bytes:
        """A text that repeats (channel, applicant type, outcome) as JSON."""
        if len(self._texts) >= TEXTS_KEPT:
            self._texts.clear()
        found = self._texts[value] = self._json(value)
        return found

    def _flag(self, raw: Any) -> bytes:
        found = self._flags[raw] = self._json(self._value(_PROVISIONAL, raw))
        return found

    def _department(self, dep_id: int | None) -> bytes:
        dep = self.departments.get(dep_id) if dep_id else None
        code, name = (dep.code, dep.name) if dep else (None, None)
        part = f'"department": {self.encode(code)}, "department_name": {self.encode(name)}'
        found = self._lead[dep_id] = part.encode()
        return found

    def _day(self, raw: Any) -> bytes:
        """A stored date as JSON (every date column has the same type: one processor)."""
        if len(self._days) >= DAYS_KEPT:
            self._days.clear()
        day = self._value(_ARRIVED, raw)
        found = self._days[raw] = f'"{day.isoformat()}"'.encode() if day else b"null"
        return found

    def batch(self, rows: Iterable[Sequence[Any]]) -> bytes:
        """The JSON objects of `rows`, separated by ", " (one loop for a batch: the caches
        are locals)."""
        encode = self.encode
        deadlines, stages, texts, flags, leads, days = (
            self._deadlines, self._stages, self._texts, self._flags, self._lead, self._days
        )  # fmt: skip
        text, day = self._text, self._day
        parts: list[bytes] = []
        for columns in rows:
            (number, stage, channel, applicant, applicant_type, content, lead, arrived,
             received, due, next_due, target, provisional, is_open, paused_from, paused_until,
             awaiting, closed, closed_on_time, outcome) = columns  # fmt: skip  # JSON_COLUMNS
            key = (received is None, is_open, closed_on_time, due, awaiting, paused_from,
                   paused_until)  # fmt: skip
            left, state = deadlines.get(key) or self._deadlines_of(key, columns)
            flat = " ".join(content.split())  # `read_model.summarise`
            if len(flat) > SUMMARY_CHARS:
                flat = flat[: SUMMARY_CHARS - 1] + "…"
            parts += (
                b', {"number": ', encode(number).encode(), b", ",
                stages.get(stage) or self._stage(stage),
                b', "channel": ', texts.get(channel) or text(channel),
                b', "applicant": ', encode(applicant).encode(),
                b', "applicant_type": ', texts.get(applicant_type) or text(applicant_type),
                b', "content_summary": ', encode(flat).encode(),
                b", ", leads.get(lead) or self._department(lead),
                b', "arrived_on": ', days.get(arrived) or day(arrived),
                b', "received_on": ', days.get(received) or day(received),
                b', "reply_due": ', days.get(due) or day(due),
                b', "next_action_due": ', days.get(next_due) or day(next_due),
                b', "internal_target": ', days.get(target) or day(target),
                b', "working_days_left": ', left,
                b', "provisional": ', flags.get(provisional) or self._flag(provisional),
                b", ", state,
                b', "outcome": ', texts.get(outcome) or text(outcome),
                b', "closed_on": ', days.get(closed) or day(closed), b"}",
            )  # fmt: skip
        if parts:
            parts[0] = b'{"number": '  # the first row without the separator
        return b"".join(parts)


def write_list_json(
    session: Session, *, office: Office, today: date, flt: ListFilter, write: Callable[[bytes], Any]
) -> int:
    """Write the list command's rows for `flt` as one JSON array in UTF-8, a batch at a
    time, from `RowJson` (`disclosure list --json`). Returns how many rows."""
    dialect = session.get_bind().dialect
    processors = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in _JSON]
    as_json = RowJson(office, today, department_names(session), processors)
    raw = [type_coerce(c, NullType()).label(c.name) for c in _JSON]
    stmt = list_statement(office, today, flt).with_only_columns(*raw)
    n = 0
    write(b"[")
    for batch in session.execute(stmt.execution_options(yield_per=BATCH)).partitions():
        if n:
            write(b", ")
        write(as_json.batch(batch))
        n += len(batch)
    write(b"]")
    return n


# `RowJson.batch` unpacks the columns in this order, all but `id`.
assert ListRow._fields == (
    "id", "number", "stage", "channel", "applicant_name", "applicant_type", "content",
    "lead_department_id", "arrived_on", "received_on", "reply_due", "next_action_due",
    "internal_target", "provisional", "is_open", "paused_from", "paused_until",
    "awaiting_correction", "closed_on", "closed_on_time", "outcome",
)  # fmt: skip
JSON_COLUMNS = LIST_COLUMN_NAMES[1:]
_JSON = LIST_COLUMNS[1:]
_ARRIVED, _PROVISIONAL = JSON_COLUMNS.index("arrived_on"), JSON_COLUMNS.index("provisional")
# `RowJson._day` formats these with the processor of `arrived_on`: they must share its type.
_DAYS = (
    "arrived_on",
    "received_on",
    "reply_due",
    "next_action_due",
    "internal_target",
    "closed_on",
)
assert {type(_JSON[JSON_COLUMNS.index(name)].type) for name in _DAYS} == {
    type(_JSON[_ARRIVED].type)
}
