"""The list pages' rows: the read model (`services.read_model.Listed`) kept by value.

The same stored row, department, day and office (calendar and settings: one `Office` object
while they are unchanged, `OfficeCache`) always give the same `Listed`, so rows a list has
shown before cost a dictionary lookup. Any change to the row, its department's name, the day
or the calendar makes a new key. The cache belongs to the web app's state.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache

from disclosure.models import Department
from disclosure.services.office import Office
from disclosure.services.queries import ListRow
from disclosure.services.read_model import Listed, listed_in

ROWS_KEPT = 8192


class ListedCache:
    """Read models of list rows by value (see the module docstring)."""

    def __init__(self, size: int = ROWS_KEPT) -> None:
        self._get: Callable[[ListRow, Office, date, tuple[str, str] | None], Listed] = lru_cache(
            maxsize=size
        )(listed_in)

    def item(
        self, row: ListRow, office: Office, today: date, departments: dict[int, Department]
    ) -> Listed:
        dep = departments.get(row.lead_department_id) if row.lead_department_id else None
        return self._get(row, office, today, (dep.code, dep.name) if dep else None)
