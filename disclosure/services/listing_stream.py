"""`disclosure list --json` for any number of applications: rows streamed, memory flat in N.

`iter_list_rows` yields exactly the dictionaries that `views.summary` builds for the list
command, in the list's order (reply due, NULLs last, then id), from one query of plain
columns (no ORM objects) read in batches of `BATCH` rows (SQLite steps its cursor;
PostgreSQL uses a server-side cursor). `ListFilter.limit` / `offset` page it.
`write_json_array` writes them as the same JSON text `emit_json(list(rows))` would, one
row at a time. For the CLI (the lead wires it into the `list` command):

    with transaction(engine, write=False) as session:
        office = load_office(session, settings)
        write_json_array(iter_list_rows(session, office=office, today=day, flt=flt), out)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
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


def iter_list_rows(
    session: Session, *, office: Office, today: date, flt: ListFilter
) -> Iterator[dict[str, Any]]:
    """The list command's rows for `flt`, streamed (the session's transaction stays open
    while the caller iterates)."""
    table = Application.__table__  # type: ignore[attr-defined]
    deps = department_names(session)
    stmt = _page(_where(select(*(table.c[name] for name in _COLUMNS)), office, today, flt), flt)
    result = session.execute(stmt.execution_options(yield_per=BATCH))
    for batch in result.partitions():
        for row in batch:
            app: Any = row  # a plain row with the attributes `summary` reads
            yield summary(app, office, today, deps)


def write_json_array(rows: Iterator[dict[str, Any]], write: Callable[[str], Any]) -> int:
    """Write `rows` as one JSON array (the text `json.dumps(list(rows))` gives, as
    `emit_json` prints it, without the final newline); returns how many rows."""
    n = 0
    write("[")
    for row in rows:
        write((", " if n else "") + json.dumps(row, ensure_ascii=False, default=str))
        n += 1
    write("]")
    return n
