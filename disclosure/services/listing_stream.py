"""`disclosure list --json` for any number of applications: rows streamed, memory flat in N.

`iter_list_batches` yields the read model (`read_model.Listed.as_dict`) of every listed
application, in the list's order (reply due, NULLs last, then id), from one query of plain
columns (no ORM objects) read in batches of `BATCH` rows (SQLite steps its cursor;
PostgreSQL uses a server-side cursor). `ListFilter.limit` / `offset` page it.
`write_json_array` writes them as the same JSON text `emit_json(list(rows))` would, one
batch at a time (`disclosure list --json`).

The dictionaries are built by `RowDicts` from the row's columns, without a `Listed` in
between, and what many rows share is worked out once per stream: the deadline state and the
working days left depend only on the stored deadline columns (`RowDicts._deadlines_of`), so
`queries.deadline_state` and `queries.working_days_left` run once for each distinct
combination (at most `DEADLINES_KEPT` kept); a stage's label and a department's code and
name once each. tests/test_cli_list_rows.py checks the result equals
`listed(row, …).as_dict()`, key order included, on every kind of row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlmodel import Session

from disclosure.models import Department
from disclosure.services.office import Office
from disclosure.services.queries import (
    ListFilter,
    ListRow,
    deadline_state,
    department_names,
    list_statement,
    working_days_left,
)
from disclosure.services.read_model import summarise
from disclosure.vocabulary import DeadlineState, Stage

BATCH = 2_000  # rows per fetch
DEADLINES_KEPT = 10_000  # distinct deadline combinations kept (memory stays bounded)
DAYS_KEPT = 10_000  # distinct dates kept as ISO text


class RowDicts:
    """`listed(row, office, today, departments).as_dict()` for the rows of one stream, with
    what rows share kept for the stream's length (the object lives as long as the stream)."""

    def __init__(self, office: Office, today: date, departments: dict[int, Department]) -> None:
        self.office = office
        self.today = today
        self.departments = departments
        self._deadlines: dict[tuple[Any, ...], tuple[int | None, str, str]] = {}
        self._stages: dict[str, str] = {}
        self._lead: dict[int | None, tuple[str | None, str | None]] = {}
        self._days: dict[date, str] = {}

    def _deadlines_of(self, key: tuple[Any, ...], row: ListRow) -> tuple[int | None, str, str]:
        """(working days left, state, state label) of `row`, kept under `key`: the columns
        `deadline_state` and `working_days_left` read (`received_on` only as "is None")."""
        if len(self._deadlines) >= DEADLINES_KEPT:
            self._deadlines.clear()
        state = DeadlineState(deadline_state(row, self.today))
        left = working_days_left(row, self.office, self.today)
        found = self._deadlines[key] = (left, state.value, state.label)
        return found

    def _stage_label(self, stage: str) -> str:
        label = self._stages.get(stage)
        if label is None:
            label = self._stages[stage] = Stage(stage).label
        return label

    def _department(self, dep_id: int | None) -> tuple[str | None, str | None]:
        found = self._lead.get(dep_id)
        if found is None:
            dep = self.departments.get(dep_id) if dep_id else None
            found = self._lead[dep_id] = (dep.code, dep.name) if dep else (None, None)
        return found

    def _iso(self, day: date) -> str:
        """`day.isoformat()`, kept (a stream's dates repeat: a dictionary lookup is a seventh
        of the call's cost)."""
        if len(self._days) >= DAYS_KEPT:
            self._days.clear()
        text = self._days[day] = day.isoformat()
        return text

    def __call__(self, columns: Sequence[Any]) -> dict[str, Any]:
        (_id, number, stage, channel, applicant, applicant_type, content, lead, arrived,
         received, due, next_due, target, provisional, is_open, paused_from, paused_until,
         awaiting, closed, closed_on_time, outcome) = columns  # fmt: skip  # LIST_COLUMN_NAMES
        key = (received is None, is_open, closed_on_time, due, awaiting, paused_from, paused_until)
        found = self._deadlines.get(key)
        if found is None:
            found = self._deadlines_of(key, ListRow._make(columns))
        left, state, state_label = found
        code, name = self._lead.get(lead) or self._department(lead)
        days = self._days
        iso = self._iso
        return {  # the fields of `read_model.Listed`, in its order
            "number": number,
            "stage": stage,
            "stage_label": self._stages.get(stage) or self._stage_label(stage),
            "channel": channel,
            "applicant": applicant,
            "applicant_type": applicant_type,
            "content_summary": summarise(content),
            "department": code,
            "department_name": name,
            "arrived_on": (days.get(arrived) or iso(arrived)) if arrived else None,
            "received_on": (days.get(received) or iso(received)) if received else None,
            "reply_due": (days.get(due) or iso(due)) if due else None,
            "next_action_due": (days.get(next_due) or iso(next_due)) if next_due else None,
            "internal_target": (days.get(target) or iso(target)) if target else None,
            "working_days_left": left,
            "provisional": provisional,
            "state": state,
            "state_label": state_label,
            "outcome": outcome,
            "closed_on": (days.get(closed) or iso(closed)) if closed else None,
        }


def iter_list_batches(
    session: Session, *, office: Office, today: date, flt: ListFilter
) -> Iterator[list[dict[str, Any]]]:
    """The list command's rows for `flt` in batches of up to `BATCH`, streamed (the
    session's transaction stays open while the caller iterates)."""
    as_dict = RowDicts(office, today, department_names(session))
    stmt = list_statement(office, today, flt).execution_options(yield_per=BATCH)
    for batch in session.execute(stmt).partitions():
        yield [as_dict(r) for r in batch]


def iter_list_rows(
    session: Session, *, office: Office, today: date, flt: ListFilter
) -> Iterator[dict[str, Any]]:
    """The list command's rows for `flt`, one by one (see `iter_list_batches`)."""
    for batch in iter_list_batches(session, office=office, today=today, flt=flt):
        yield from batch


def write_json_array(batches: Iterable[list[dict[str, Any]]], write: Callable[[str], Any]) -> int:
    """Write the rows of `batches` as one JSON array: the text `emit_json(all rows)` prints,
    without its final newline (one `json.dumps` per batch). Returns how many rows."""
    n = 0
    write("[")
    for batch in batches:
        if not batch:
            continue
        text = json.dumps(batch, ensure_ascii=False, default=str)
        write((", " if n else "") + text[1:-1])
        n += len(batch)
    write("]")
    return n


# `RowDicts.__call__` unpacks the columns in this order.
assert ListRow._fields == (
    "id", "number", "stage", "channel", "applicant_name", "applicant_type", "content",
    "lead_department_id", "arrived_on", "received_on", "reply_due", "next_action_due",
    "internal_target", "provisional", "is_open", "paused_from", "paused_until",
    "awaiting_correction", "closed_on", "closed_on_time", "outcome",
)  # fmt: skip
