"""Jinja filters and globals for the templates (display only, no decisions)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from functools import lru_cache, partial
from typing import Any

from jinja2 import Environment, pass_environment
from markupsafe import Markup

from disclosure.outcomes import OUTCOMES
from disclosure.timefmt import local_time
from disclosure.vocabulary import ApplicantType, Channel, DeadlineState, EventKind, Role, Stage


def row_class(row: Any) -> str:
    """CSS class for a list row by deadline state (colour by urgency).

    `row` is a `views.summary` dictionary or a `read_model.Listed`.
    """
    if isinstance(row, Mapping):
        state, left = row.get("state"), row.get("working_days_left")
    else:
        state, left = row.state, row.working_days_left
    if state == "overdue":
        return "st-overdue"
    if state in ("paused", "awaiting_correction", "unconfirmed"):
        return "st-paused"
    if state in ("closed_on_time", "closed_late"):
        return "st-closed"
    if left is not None and left <= 3:
        return "st-due3"
    if left is not None and left <= 5:
        return "st-due5"
    return "st-running"


ROW_TEMPLATE = "_app_row.html"


ROWS_KEPT = 4096


def _render_row(env: Environment, row: Any) -> Markup:
    return Markup(env.get_template(ROW_TEMPLATE).render(r=row))


def _app_row_filter() -> Callable[[Environment, Any], Markup]:
    """The `app_row` filter: the `<tr>` of one application (template `_app_row.html`).

    A list row (`read_model.Listed`, immutable and hashable: every value it shows is part of
    its key) is rendered once and kept, so the list pages mostly reuse rows they have shown
    before; autoescaping 450 values a page was a large share of a request's CPU. Other rows
    are rendered each time. The kept rows belong to the environment the filter is installed
    in (one per web app).
    """
    cached = lru_cache(maxsize=ROWS_KEPT)(_render_row)

    @pass_environment
    def app_row(env: Environment, row: Any) -> Markup:
        if isinstance(row, Hashable):
            return cached(env, row)
        return _render_row(env, row)

    return app_row


def install(env: Environment, *, timezone: str = "Asia/Shanghai") -> None:
    env.filters["row_class"] = row_class
    env.filters["local_time"] = partial(local_time, tz=timezone)  # stored UTC → office time
    env.filters["app_row"] = _app_row_filter()
    env.globals.update(
        CHANNEL_LABELS=Channel.labels(),
        APPLICANT_TYPE_LABELS=ApplicantType.labels(),
        ROLE_LABELS=Role.labels(),
        STAGE_LABELS=Stage.labels(),
        STATE_LABELS=DeadlineState.labels(),
        OUTCOMES=OUTCOMES,
        EVENT_KIND_LABELS=EventKind.labels(),
    )
