"""Jinja filters and globals for the templates (display only, no decisions)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from functools import lru_cache, partial
from typing import Any

from jinja2 import Environment, pass_environment
from markupsafe import Markup

from disclosure.outcomes import OUTCOMES
from disclosure.services.timeline import outcome_words
from disclosure.services.views import days_left_text
from disclosure.timefmt import local_time
from disclosure.vocabulary import (
    AMENDABLE_LABELS,
    ApplicantType,
    Channel,
    DeadlineState,
    EventKind,
    Role,
    Stage,
)
from rules.clocks import Clock
from rules.explain import CLOCK_LABELS


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


def _state_left(row: Any) -> tuple[Any, Any]:
    if isinstance(row, Mapping):
        return row.get("state"), row.get("working_days_left")
    return row.state, row.working_days_left


def days_left(row: Any, long: bool = False) -> str:
    """The working days left as people say them: 已超期 N 个工作日 / 今日到期 / N, or with
    `long` 还有 N 个工作日 (the list's column header already says 剩余工作日)."""
    state, left = _state_left(row)
    return days_left_text(state, left, long)


def state_text(row: Any) -> str:
    """The state's label; a running clock due today reads 今日到期 (not 计时中)."""
    state, left = _state_left(row)
    label = row.get("state_label") if isinstance(row, Mapping) else row.state_label
    if state == "running" and left == 0:
        return "今日到期"
    return str(label)


def next_due(app: Mapping[str, Any], today: Any) -> tuple[str, str] | None:
    """The next deadline still ahead (date, label): a lapsed one (a 补正告知期限 that ran
    out, an overdue reply) is not "next"; the overdue state says it instead."""
    clocks: Mapping[str, str] = app.get("clocks") or {}
    day = today.isoformat() if hasattr(today, "isoformat") else str(today)
    ahead = sorted((due, key) for key, due in clocks.items() if due >= day)
    if not ahead:
        return None
    due, key = ahead[0]
    try:
        label = CLOCK_LABELS[Clock(key)]
    except ValueError:
        label = key
    return due, label


def outcome_text(code: str | None) -> str:
    """`1 （一）予以公开`, `3.1 （三）不予公开：属于国家秘密` (a label never twice)."""
    return outcome_words(code)


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
    env.filters["days_left"] = days_left
    env.filters["state_text"] = state_text
    env.filters["outcome_text"] = outcome_text
    env.globals["next_due"] = next_due
    env.globals.update(
        CHANNEL_LABELS=Channel.labels(),
        APPLICANT_TYPE_LABELS=ApplicantType.labels(),
        ROLE_LABELS=Role.labels(),
        STAGE_LABELS=Stage.labels(),
        STATE_LABELS=DeadlineState.labels(),
        OUTCOMES=OUTCOMES,
        EVENT_KIND_LABELS=EventKind.labels(),
        AMENDABLE_LABELS=AMENDABLE_LABELS,
    )
