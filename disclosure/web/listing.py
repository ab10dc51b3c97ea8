"""The list pages' rows: the read model (`services.read_model.Listed`) kept by value.

The same stored row, department, day and office (calendar and settings: one `Office` object
while they are unchanged, `OfficeCache`) always give the same `Listed`, so rows a list has
shown before cost a dictionary lookup. Any change to the row, its department's name, the day
or the calendar makes a new key. The cache belongs to the web app's state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import lru_cache
from typing import NamedTuple, Protocol

from sqlalchemy import select
from sqlmodel import Session

from disclosure.models import Department
from disclosure.services.office import Office
from disclosure.services.queries import ListRow
from disclosure.services.read_model import Listed, listed_in

ROWS_KEPT = 8192


class Named(Protocol):
    """What a list needs of a department: a `Department` or a `DepartmentLabel`."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...


class DepartmentLabel(NamedTuple):
    id: int
    code: str
    name: str


_DEPARTMENTS = Department.__table__.c  # type: ignore[attr-defined]  # SQLModel: no __table__
_LABELS = select(_DEPARTMENTS.id, _DEPARTMENTS.code, _DEPARTMENTS.name)


def department_labels(session: Session) -> dict[int, DepartmentLabel]:
    """Every department's (id, code, name) by id: what `queries.department_names` gives a
    list (all departments, retired ones too), read as plain rows on the session's connection
    (no ORM objects: a fifth of the statement's cost on the list's hot path)."""
    rows = session.connection().execute(_LABELS).all()
    return {row[0]: DepartmentLabel._make(row) for row in rows}


class ListedCache:
    """Read models of list rows by value (see the module docstring)."""

    def __init__(self, size: int = ROWS_KEPT) -> None:
        self._get: Callable[[ListRow, Office, date, tuple[str, str] | None], Listed] = lru_cache(
            maxsize=size
        )(listed_in)

    def item(
        self, row: ListRow, office: Office, today: date, departments: Mapping[int, Named]
    ) -> Listed:
        dep = departments.get(row.lead_department_id) if row.lead_department_id else None
        return self._get(row, office, today, (dep.code, dep.name) if dep else None)
