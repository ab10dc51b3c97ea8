"""Cursor paging of the list (a thin addition to `services.queries`, which pages by offset).

The API's list is in the list's default order — reply deadline (none last), then id — and
`after=<number>` continues right after that application: keyset paging, stable while rows
are added, served by the (reply_due, id) indexes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from disclosure.errors import InvalidInput
from disclosure.models import Application
from disclosure.services.office import Office
from disclosure.services.queries import ListFilter, ListRow, list_statement

_T = Application.__table__.c  # type: ignore[attr-defined]  # SQLModel declares no __table__


def page_after(
    session: Session,
    *,
    office: Office,
    today: date,
    flt: ListFilter,
    after: str | None,
    limit: int,
) -> tuple[list[ListRow], str | None]:
    """Up to `limit` rows `flt` selects after application `after`; and the next cursor."""
    flt = replace(flt, limit=None, offset=0, order="reply_due", descending=False)
    stmt = list_statement(office, today, flt)
    if after:
        stmt_cursor = select(_T.reply_due, _T.id, _T.lead_department_id).where(_T.number == after)
        cursor = session.execute(stmt_cursor).first()
        if cursor is None or (flt.department_id is not None and cursor[2] != flt.department_id):
            raise InvalidInput(f"没有编号为 {after} 的申请，无法从其后继续", field="after")
        due, app_id = cursor[0], cursor[1]
        if due is None:
            stmt = stmt.where(and_(_T.reply_due.is_(None), _T.id > app_id))
        else:
            stmt = stmt.where(
                or_(
                    _T.reply_due > due,
                    and_(_T.reply_due == due, _T.id > app_id),
                    _T.reply_due.is_(None),
                )
            )
    # On the connection, fetched at once (as `queries.list_application_rows`).
    rows = [ListRow._make(r) for r in session.connection().execute(stmt.limit(limit + 1)).all()]
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].number if more and rows else None)
