"""Cursor paging of the list (a thin addition to `services.queries`, which pages by offset).

The API's list is in the list's default order — reply deadline (none last), then id — and
`after=<number>` continues right after that application: keyset paging, stable while rows
are added, served by the (reply_due, id) indexes.

Building the list query and computing its SQL cache key cost about as much as running it on
a page of 50, so the page statements are the web list's, kept per shape of filter (the web
state's `rows.statements`, a `queries.ListStatements`): the cursor's kind is part of the
shape, and every value, the cursor's included, is bound at each call.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select
from sqlmodel import Session

from disclosure.errors import InvalidInput
from disclosure.models import Application
from disclosure.services.office import Office
from disclosure.services.queries import (
    AFTER_DATED,
    AFTER_UNDATED,
    ListFilter,
    ListRow,
    ListStatements,
)

_T = Application.__table__.c  # type: ignore[attr-defined]  # SQLModel declares no __table__
_CURSOR = select(_T.reply_due, _T.id, _T.lead_department_id).where(_T.number == bindparam("number"))


def page_after(
    session: Session,
    *,
    office: Office,
    today: date,
    flt: ListFilter,
    after: str | None,
    limit: int,
    statements: ListStatements | None = None,
) -> tuple[list[ListRow], str | None]:
    """Up to `limit` rows `flt` selects after application `after`; and the next cursor."""
    # One row more than the page tells whether another page follows.
    flt = replace(flt, limit=limit + 1, offset=0, order="reply_due", descending=False)
    conn = session.connection()  # plain statements on it (as `queries.list_application_rows`)
    kind: str | None = None
    cursor_values: dict[str, Any] = {}
    if after:
        cursor = conn.execute(_CURSOR, {"number": after}).first()
        if cursor is None or (flt.department_id is not None and cursor[2] != flt.department_id):
            raise InvalidInput(f"没有编号为 {after} 的申请，无法从其后继续", field="after")
        if cursor[0] is None:
            kind, cursor_values = AFTER_UNDATED, {"after_id": cursor[1]}
        else:
            kind, cursor_values = AFTER_DATED, {"after_due": cursor[0], "after_id": cursor[1]}
    stmt, params = (statements or ListStatements()).rows(office, today, flt, after=kind)
    rows = [ListRow._make(r) for r in conn.execute(stmt, {**params, **cursor_values}).all()]
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].number if more and rows else None)
