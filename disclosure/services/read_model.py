"""The one read model of a listed application, shared by the CLI, the web and the API.

`Listed` holds what a list shows of an application, computed from its stored columns (the
deadlines are stored by the steps, so listing never runs the engine): the CLI prints it or
its `as_dict()` (the `--json` keys), the web renders it, the dashboard and the API reuse it.
It is built from anything that has the `LIST_COLUMNS` attributes: a Core row of
`queries.list_application_rows` or an `Application`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Protocol

from disclosure.models import Department
from disclosure.services.office import Office
from disclosure.services.queries import StoredDeadlines, deadline_state, working_days_left
from disclosure.vocabulary import DeadlineState, Stage

SUMMARY_CHARS = 60  # characters of the request shown in lists


class ListedRow(StoredDeadlines, Protocol):
    """The stored columns a `Listed` is computed from (see `queries.LIST_COLUMNS`): the
    stored deadlines (`queries.StoredDeadlines`) and what a list shows besides.

    Read-only members: a `queries.ListRow` (a named tuple) and an `Application` both qualify.
    """

    @property
    def number(self) -> str: ...
    @property
    def stage(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def applicant_name(self) -> str: ...
    @property
    def applicant_type(self) -> str: ...
    @property
    def content(self) -> str: ...
    @property
    def lead_department_id(self) -> int | None: ...
    @property
    def arrived_on(self) -> date | None: ...
    @property
    def next_action_due(self) -> date | None: ...
    @property
    def internal_target(self) -> date | None: ...
    @property
    def provisional(self) -> bool: ...
    @property
    def closed_on(self) -> date | None: ...
    @property
    def outcome(self) -> str | None: ...


def summarise(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The request on one line, cut to `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass(frozen=True, slots=True)
class Listed:
    """An application as lists show it (immutable and hashable: web rows are kept by it)."""

    number: str
    stage: str
    stage_label: str
    channel: str
    applicant: str
    applicant_type: str
    content_summary: str
    department: str | None
    department_name: str | None
    arrived_on: str | None
    received_on: str | None
    reply_due: str | None
    next_action_due: str | None
    internal_target: str | None
    working_days_left: int | None
    provisional: bool
    state: str
    state_label: str
    outcome: str | None
    closed_on: str | None

    def as_dict(self) -> dict[str, Any]:
        """The JSON of `list --json`, `register --json` and every step's `--json`."""
        return asdict(self)


def listed(
    row: ListedRow, office: Office, today: date, departments: dict[int, Department]
) -> Listed:
    """The read model of one application on `today` (see the module docstring)."""
    dep = departments.get(row.lead_department_id) if row.lead_department_id else None
    return listed_in(row, office, today, (dep.code, dep.name) if dep else None)


def listed_in(
    row: ListedRow, office: Office, today: date, department: tuple[str, str] | None
) -> Listed:
    """As `listed`, given the lead department's (code, name): every argument hashable, so
    the web keeps the results by value (`web.listing.ListedCache`)."""
    state = DeadlineState(deadline_state(row, today))
    return Listed(
        number=row.number,
        stage=row.stage,
        stage_label=Stage(row.stage).label,
        channel=row.channel,
        applicant=row.applicant_name,
        applicant_type=row.applicant_type,
        content_summary=summarise(row.content),
        department=department[0] if department else None,
        department_name=department[1] if department else None,
        arrived_on=_iso(row.arrived_on),
        received_on=_iso(row.received_on),
        reply_due=_iso(row.reply_due),
        next_action_due=_iso(row.next_action_due),
        internal_target=_iso(row.internal_target),
        working_days_left=working_days_left(row, office, today),
        provisional=row.provisional,
        state=state.value,
        state_label=state.label,
        outcome=row.outcome,
        closed_on=_iso(row.closed_on),
    )
