"""The dashboard: what is overdue or due soon, at a glance."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response

from disclosure.backup.schedule import backup_status
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.models import Role
from disclosure.people.accounts import user_named
from disclosure.people.approval_queue import sent_back_to
from disclosure.services import dashboard as dash
from disclosure.services.queries import ListFilter, department_names, list_application_rows
from disclosure.services.read_model import listed
from disclosure.settings import NotifierSettings
from disclosure.web.charts import due_chart, monthly_chart
from disclosure.web.deps import CurrentUser, department_scope, web
from disclosure.web.render import render

router = APIRouter()
URGENT_ROWS = 10


@router.get("/")
def dashboard(request: Request, user: CurrentUser) -> Response:
    st = web(request)
    today = st.today()
    scope = department_scope(user)
    wanted = request.query_params.get("handler", "").strip()  # one handler's cases (issue 16)
    with transaction(st.engine, write=False) as session:
        office = st.offices.load(session)
        deps = department_names(session)
        handler = user_named(session, wanted, field="handler") if wanted else None
        hid = handler.id if handler else None
        counts = dash.counts(
            session, office=office, today=today, department_id=scope, handler_id=hid
        )
        reminded = dash.reminded(
            session, office=office, today=today, department_id=scope, handler_id=hid
        )
        series = dash.due_series(
            session, office=office, today=today, department_id=scope, handler_id=hid
        )
        monthly = dash.monthly(session, today=today, department_id=scope)
        changed = (
            []
            if scope is not None
            else dash.published_report_changes(session, office=office, today=today)
        )
        # Reminder failures concern the office (who runs the service), not a department.
        office_user = user.role in (Role.ADMIN.value, Role.CLERK.value)
        trouble = dash.reminder_trouble(session, now=now_utc()) if office_user else None
        # Cases a department sent back wait for the office to assign them again; a return
        # clears the handler, so a handler's view has none.
        returned = dash.returned_cases(session) if office_user and handler is None else None
        backup = backup_status(session, now=now_utc()) if user.role != Role.DEPARTMENT else None
        redo = sent_back_to(session, user)  # the signed-in drafter's drafts sent back
        urgent = [
            listed(a, office, today, deps)
            for a in list_application_rows(
                session,
                office=office,
                today=today,
                flt=ListFilter(
                    open_only=True, department_id=scope, handler_id=hid, limit=URGENT_ROWS
                ),
            )
        ]
    return render(
        request,
        "dashboard.html",
        {
            "counts": counts,
            "reminded": reminded,
            "escalate_after": _escalate_after(st.settings.notifier),
            "due_chart": due_chart(series, overdue=counts.overdue, today=today),
            "monthly_chart": monthly_chart(monthly),
            "urgent": urgent,
            "redo": redo,
            "returned": returned,
            # The tiles' lists keep the dashboard's handler (the list page's `?handler=`).
            "handler_query": f"handler={quote(handler.username)}" if handler else "",
            "trouble": trouble,
            "trouble_at": _local(trouble.last_at, st.settings.office.timezone) if trouble else "",
            "scope_name": "　".join(
                ([deps[scope].name] if scope in deps else [])
                + ([f"承办人 {handler.display_name or handler.username}"] if handler else [])
            )
            or None,
            "report_changes": changed,
            "backup": backup,
        },
    )


def _escalate_after(notifier: NotifierSettings) -> int:
    """Working days late from which the reminder scan tells the leaders about an internal
    target (`notifier.policy.hits`, to `[notifier] leaders`); 0 when it never does."""
    if (
        notifier.escalate_after <= 0
        or "internal_target" not in notifier.clocks
        or not notifier.leaders
    ):
        return 0
    return notifier.escalate_after


def _local(at: datetime | None, timezone: str) -> str:
    return at.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M") if at else ""
