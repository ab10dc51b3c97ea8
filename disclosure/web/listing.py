"""The list pages' rows: the read model (`services.read_model.Listed`) kept by value.

The same stored row, department, day and office (calendar and settings: one `Office` object
while they are unchanged, `OfficeCache`) always give the same `Listed`, so rows a list has
shown before cost a dictionary lookup. Any change to the row, its department's name, the day
or the calendar makes a new key. The cache belongs to the web app's state, and so do the list
and count statements it keeps (`ListedCache.statements`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import NamedTuple, Protocol

from jinja2 import Environment
from markupsafe import Markup
from sqlalchemy import select
from sqlmodel import Session

from disclosure.models import Department, Stage
from disclosure.services.office import Office
from disclosure.services.queries import ListRow, ListStatements
from disclosure.services.read_model import Listed, listed_in
from disclosure.vocabulary import ListState

ROWS_KEPT = 8192
FORMS_KEPT = 256
TABLES_KEPT = 64  # pages of 50 rows, ~20 KB of HTML each
FILTERS_TEMPLATE = "_list_filters.html"
TABLE_TEMPLATE = "_list_table.html"
STAGES = tuple(Stage)
STATES = tuple(ListState)


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
    """Read models of list rows by value (see the module docstring), the list's queries built
    once per shape of filter (`statements`, `queries.ListStatements`) and the HTML of its
    filter forms (`filters_form`) and tables (`table`)."""

    def __init__(self, size: int = ROWS_KEPT) -> None:
        self.statements = ListStatements()
        self._get: Callable[[ListRow, Office, date, tuple[str, str] | None], Listed] = lru_cache(
            maxsize=size
        )(listed_in)
        self._form = lru_cache(maxsize=FORMS_KEPT)(_filters_form)
        self._table = lru_cache(maxsize=TABLES_KEPT)(_table)

    def filters_form(
        self,
        env: Environment,
        chosen: Mapping[str, str],
        departments: Sequence[DepartmentLabel],
        errors: Mapping[str, str] | None = None,
    ) -> Markup:
        """The list's filter form (`FILTERS_TEMPLATE`) for the values `chosen` and the
        `departments` offered, with the messages of the values refused (`errors`, by input
        name) beside their inputs. Every value it shows is part of the key, so a form once
        rendered is kept: the same form is shown on most requests, and escaping its
        options was a large share of rendering the page. A form with errors is not kept."""
        if errors:
            return _filters_form(
                env, tuple(chosen.items()), tuple(departments), tuple(errors.items())
            )
        return self._form(env, tuple(chosen.items()), tuple(departments))

    def table(self, env: Environment, rows: Sequence[Listed]) -> Markup:
        """The list's table of `rows` (`TABLE_TEMPLATE`: `macros.app_table`). A `Listed` holds
        every value its row shows, so the same rows give the same table: a page shown before
        (the first page of the list, mostly) costs a lookup, not 50 rows' rendering."""
        return self._table(env, tuple(rows))

    def item(
        self, row: ListRow, office: Office, today: date, departments: Mapping[int, Named]
    ) -> Listed:
        dep = departments.get(row.lead_department_id) if row.lead_department_id else None
        return self._get(row, office, today, (dep.code, dep.name) if dep else None)


def _filters_form(
    env: Environment,
    chosen: tuple[tuple[str, str], ...],
    departments: tuple[DepartmentLabel, ...],
    errors: tuple[tuple[str, str], ...] = (),
) -> Markup:
    form = env.get_template(FILTERS_TEMPLATE)
    return Markup(
        form.render(
            chosen=dict(chosen),
            departments=departments,
            stages=STAGES,
            states=STATES,
            errors=dict(errors),
        )
    )


def _table(env: Environment, rows: tuple[Listed, ...]) -> Markup:
    return Markup(env.get_template(TABLE_TEMPLATE).render(rows=rows))
