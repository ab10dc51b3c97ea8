"""`disclosure list --json` for any number of applications: rows streamed, memory flat in N.

`iter_list_batches` yields the read model (`read_model.Listed.as_dict`) of every listed
application, in the list's order (reply due, NULLs last, then id), from one query of plain
columns (no ORM objects) read in batches of `BATCH` rows (SQLite steps its cursor;
PostgreSQL uses a server-side cursor). `ListFilter.limit` / `offset` page it.
`write_json_array` writes them as the same JSON text `emit_json(list(rows))` would, one
batch at a time (`disclosure list --json`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from sqlmodel import Session

from disclosure.services.office import Office
from disclosure.services.queries import ListFilter, ListRow, department_names, list_statement
from disclosure.services.read_model import listed

BATCH = 2_000  # rows per fetch


def iter_list_batches(
    session: Session, *, office: Office, today: date, flt: ListFilter
) -> Iterator[list[dict[str, Any]]]:
    """The list command's rows for `flt` in batches of up to `BATCH`, streamed (the
    session's transaction stays open while the caller iterates)."""
    deps = department_names(session)
    stmt = list_statement(office, today, flt).execution_options(yield_per=BATCH)
    make = ListRow._make
    for batch in session.execute(stmt).partitions():
        yield [listed(make(r), office, today, deps).as_dict() for r in batch]


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
