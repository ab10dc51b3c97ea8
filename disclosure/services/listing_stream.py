"""`disclosure list --json` for any number of applications: rows streamed, memory flat in N.

`iter_list_batches` yields exactly the dictionaries that `views.summary` builds for the list
command, in the list's order (reply due, NULLs last, then id), from one query of plain
columns (no ORM objects) read in batches of `BATCH` rows (SQLite steps its cursor;
PostgreSQL uses a server-side cursor). `ListFilter.limit` / `offset` page it.
`write_json_array` writes them as the same JSON text `emit_json(list(rows))` would, one
row at a time. For the CLI (the lead wires it into the `list` command):

    with transaction(engine, write=False) as session:
        office = load_office(session, settings)
        write_json_array(iter_list_batches(session, office=office, today=day, flt=flt), out)
"""

from __future__ import annotations

import json
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from sqlmodel import Session, select

from disclosure.models import Application
from disclosure.services.office import Office

# The list's filter and order, shared with every list (the lead may rename them public).
from disclosure.services.queries import ListFilter, _page, _where, department_names
from disclosure.services.views import summary

BATCH = 2_000  # rows per fetch

_COLUMNS = (
    "id", "number", "stage", "channel", "applicant_name", "applicant_type", "content",
    "lead_department_id", "arrived_on", "received_on", "reply_due", "next_action_due",
    "internal_target", "provisional", "outcome", "closed_on", "is_open", "paused_from",
    "paused_until", "awaiting_correction", "closed_on_time",
)  # fmt: skip


# A named tuple reads its fields by name ~10x faster than a SQLAlchemy Row (`summary` reads
# twenty of them per row).
_Row = namedtuple("_Row", _COLUMNS)  # type: ignore[misc]


def iter_list_batches(
    session: Session, *, office: Office, today: date, flt: ListFilter
) -> Iterator[list[dict[str, Any]]]:
    """The list command's rows for `flt` in batches of up to `BATCH`, streamed (the
    session's transaction stays open while the caller iterates)."""
    table = Application.__table__  # type: ignore[attr-defined]
    deps = department_names(session)
    stmt = _page(_where(select(*(table.c[name] for name in _COLUMNS)), office, today, flt), flt)
    result = session.execute(stmt.execution_options(yield_per=BATCH))
    make = _Row._make
    for batch in result.partitions():
        rows: list[Any] = [make(r) for r in batch]  # plain rows with the attributes read
        yield [summary(app, office, today, deps) for app in rows]


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
