"""Cursor paging of the list (a thin addition to `services.queries`, which pages by offset).

The API's list is in the list's default order — reply deadline (none last), then id — and
`after=<number>` continues right after that application: keyset paging, stable while rows
are added, served by the (reply_due, id) indexes.

Building the list query and computing its SQL cache key cost about as much as running it on
a page of 50, so the statements are kept (`PageStatements`, one per API app): one per office,
day, filter, page size and kind of cursor, the cursor's values bound at each call.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, or_, select
from sqlmodel import Session

from disclosure.errors import InvalidInput
from disclosure.models import Application
from disclosure.services.office import Office
from disclosure.services.queries import ListFilter, ListRow, list_statement

_T = Application.__table__.c  # type: ignore[attr-defined]  # SQLModel declares no __table__
_AFTER_DUE = bindparam("after_due", type_=_T.reply_due.type)
_AFTER_ID = bindparam("after_id", type_=_T.id.type)
# The three kinds of cursor: none (the first page), after a row without a deadline, after one
# with a deadline.
FIRST, AFTER_UNDATED, AFTER_DATED = "first", "undated", "dated"
_CURSOR = select(_T.reply_due, _T.id, _T.lead_department_id).where(_T.number == bindparam("number"))
KEPT = 256  # statements kept per app (a filter with a search text is a statement of its own)


def _statement(office: Office, today: date, flt: ListFilter, limit: int, kind: str) -> Any:
    stmt = list_statement(office, today, flt)
    if kind == AFTER_UNDATED:
        stmt = stmt.where(and_(_T.reply_due.is_(None), _T.id > _AFTER_ID))
    elif kind == AFTER_DATED:
        stmt = stmt.where(
            or_(
                _T.reply_due > _AFTER_DUE,
                and_(_T.reply_due == _AFTER_DUE, _T.id > _AFTER_ID),
                _T.reply_due.is_(None),
            )
        )
    return stmt.limit(limit + 1)


class PageStatements:
    """The page statements built so far (least recently used dropped past `size`)."""

    def __init__(self, size: int = KEPT) -> None:
        self.get: Any = lru_cache(maxsize=size)(_statement)


def page_after(
    session: Session,
    *,
    office: Office,
    today: date,
    flt: ListFilter,
    after: str | None,
    limit: int,
    statements: PageStatements | None = None,
) -> tuple[list[ListRow], str | None]:
    """Up to `limit` rows `flt` selects after application `after`; and the next cursor."""
    flt = replace(flt, limit=None, offset=0, order="reply_due", descending=False)
    conn = session.connection()  # plain statements on it (as `queries.list_application_rows`)
    params: dict[str, Any] = {}
    kind = FIRST
    if after:
        cursor = conn.execute(_CURSOR, {"number": after}).first()
        if cursor is None or (flt.department_id is not None and cursor[2] != flt.department_id):
            raise InvalidInput(f"没有编号为 {after} 的申请，无法从其后继续", field="after")
        if cursor[0] is None:
            kind, params = AFTER_UNDATED, {"after_id": cursor[1]}
        else:
            kind, params = AFTER_DATED, {"after_due": cursor[0], "after_id": cursor[1]}
    build = statements.get if statements is not None else _statement
    stmt: Select[Any] = build(office, today, flt, limit, kind)
    rows = [ListRow._make(r) for r in conn.execute(stmt, params).all()]  # fetched at once
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].number if more and rows else None)
