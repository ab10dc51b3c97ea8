"""The dashboard's case states (情形) as conditions on the stored columns, one expression each.

The dashboard counts with them (`dashboard.counts`, `dashboard.reminded`) and the list filters
by them (`queries.ListFilter.state`, the web list's `?state=`), so a tile's figure and the
total of the list it links to are the same number. Each state is one of open applications:
the caller adds `is_open` (the dashboard's scope, the list's open-only condition).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement

from disclosure.models import Application
from disclosure.vocabulary import ListState

# The table's columns: they serve both the dashboard's ORM selects and the list's Core ones.
_T = Application.__table__.c  # type: ignore[attr-defined]  # SQLModel declares no __table__


def state_conditions(state: ListState, today: Any) -> tuple[ColumnElement[bool], ...]:
    """The conditions (all of them) an open application in `state` on `today` meets; `today`
    is a date or the bind parameter of a statement built once (`queries.ListStatements`)."""
    match state:
        case ListState.PAUSED:  # the stored pause covers today (`queries.paused_on`)
            return (_T.paused_from <= today, _T.paused_until >= today)
        case ListState.AWAITING_CORRECTION:
            return (_T.awaiting_correction.is_(True),)
        case ListState.PROVISIONAL:  # a deadline in a year whose holidays are not published
            return (_T.provisional.is_(True),)
        case ListState.FLAGGED:  # a late step flagged (rulebook §11)
            return (_T.flag_count > 0,)
        case ListState.INTERNAL_OVERDUE:
            # As the reminder scan reads it: an internal target only once the receipt is
            # confirmed (`dashboard.reminded`).
            return (_T.received_on.is_not(None), _T.internal_target < today)
        case ListState.UNCONFIRMED:  # arrived, its legal receipt date not yet confirmed
            return (_T.received_on.is_(None), _T.arrived_on.is_not(None))
