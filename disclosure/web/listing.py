"""The rows of the application list page, built from plain column rows (no ORM objects).

`services.views.summary` builds a full dictionary per application; a 50-row page only shows
nine of its fields, so the list builds these small objects instead. Templates read them by
attribute, which Jinja resolves on the first try (dictionaries cost a failed `getattr`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from disclosure.models import Department
from disclosure.services.office import Office
from disclosure.services.queries import ListRow, deadline_state, working_days_left
from disclosure.services.views import STATE_LABELS, summarise
from disclosure.services.workflow import STAGE_LABELS

_STAGE_LABELS = {stage.value: label for stage, label in STAGE_LABELS.items()}


@dataclass(frozen=True, slots=True)
class ListItem:
    number: str
    applicant: str
    content_summary: str
    department_name: str | None
    stage_label: str
    reply_due: str | None
    provisional: bool
    working_days_left: int | None
    state: str
    state_label: str


def list_item(
    row: ListRow, office: Office, today: date, departments: dict[int, Department]
) -> ListItem:
    """One row of `queries.list_application_rows` as the list shows it.

    Kept by value: the same stored row, department name, day and office (calendar and
    settings: one `Office` object while they are unchanged, `OfficeCache`) always give the
    same item, so rows a list has shown before cost a dictionary lookup. Any change to the
    row, its department's name, the day or the calendar makes a new key.
    """
    dep = departments.get(row.lead_department_id) if row.lead_department_id else None
    return _item(row, dep.name if dep else None, today, office)


@lru_cache(maxsize=8192)
def _item(row: ListRow, department_name: str | None, today: date, office: Office) -> ListItem:
    state = deadline_state(row, today)  # type: ignore[arg-type]
    return ListItem(
        number=row.number,
        applicant=row.applicant_name,
        content_summary=summarise(row.content),
        department_name=department_name,
        stage_label=_STAGE_LABELS[row.stage],
        reply_due=row.reply_due.isoformat() if row.reply_due else None,
        provisional=row.provisional,
        working_days_left=working_days_left(row, office, today),  # type: ignore[arg-type]
        state=state,
        state_label=STATE_LABELS.get(state, state),
    )
