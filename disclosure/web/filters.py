"""Jinja filters and globals for the templates (display only, no decisions)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from functools import lru_cache, partial
from typing import Any

from jinja2 import Environment, pass_environment
from markupsafe import Markup

from disclosure.models import ApplicantType
from disclosure.outcomes import OUTCOMES
from disclosure.services.views import STATE_LABELS
from disclosure.services.workflow import STAGE_LABELS
from disclosure.timefmt import local_time
from rules.events import Channel

CHANNEL_LABELS = {
    Channel.IN_PERSON.value: "当面提交",
    Channel.POST_SIGNED.value: "邮寄（需签收：挂号/快递）",
    Channel.POST_UNSIGNED.value: "平信",
    Channel.ONLINE.value: "网络（在线平台、电子邮件）",
    Channel.FAX.value: "传真",
}

APPLICANT_TYPE_LABELS = {
    ApplicantType.NATURAL.value: "自然人",
    ApplicantType.BUSINESS.value: "商业企业",
    ApplicantType.RESEARCH.value: "科研机构",
    ApplicantType.PUBLIC_INTEREST.value: "社会公益组织",
    ApplicantType.LEGAL_SERVICES.value: "法律服务机构",
    ApplicantType.OTHER.value: "其他",
}

ROLE_LABELS = {"admin": "系统管理员", "clerk": "公开办经办人", "department": "部门经办人"}


def row_class(row: Any) -> str:
    """CSS class for a list row by deadline state (colour by urgency).

    `row` is a `views.summary` dictionary or a `listing.ListItem`.
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


@pass_environment
def app_row(env: Environment, row: Any) -> Markup:
    """The `<tr>` of one application (template `_app_row.html`).

    A list row (`listing.ListItem`, immutable and hashable: every value it shows is part of
    its key) is rendered once and kept, so the list pages mostly reuse rows they have shown
    before; autoescaping 450 values a page was a large share of a request's CPU. Other rows
    (the dashboard's dictionaries) are rendered each time.
    """
    if isinstance(row, Hashable):
        return _cached_row(env, row)
    return _render_row(env, row)


def _render_row(env: Environment, row: Any) -> Markup:
    return Markup(env.get_template(ROW_TEMPLATE).render(r=row))


_cached_row = lru_cache(maxsize=4096)(_render_row)


def install(env: Environment, *, timezone: str = "Asia/Shanghai") -> None:
    env.filters["row_class"] = row_class
    env.filters["local_time"] = partial(local_time, tz=timezone)  # stored UTC → office time
    env.filters["app_row"] = app_row
    env.globals.update(
        CHANNEL_LABELS=CHANNEL_LABELS,
        APPLICANT_TYPE_LABELS=APPLICANT_TYPE_LABELS,
        ROLE_LABELS=ROLE_LABELS,
        STAGE_LABELS={k.value: v for k, v in STAGE_LABELS.items()},
        STATE_LABELS=STATE_LABELS,
        OUTCOMES=OUTCOMES,
    )
