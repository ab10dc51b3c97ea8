"""The dashboard: what is overdue or due soon, at a glance."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from disclosure.db import transaction
from disclosure.services import dashboard as dash
from disclosure.services.queries import ListFilter, department_names, list_application_rows
from disclosure.services.read_model import listed
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
    with transaction(st.engine, write=False) as session:
        office = st.offices.load(session)
        deps = department_names(session)
        counts = dash.counts(session, office=office, today=today, department_id=scope)
        series = dash.due_series(session, office=office, today=today, department_id=scope)
        monthly = dash.monthly(session, today=today, department_id=scope)
        changed = (
            []
            if scope is not None
            else dash.published_report_changes(session, office=office, today=today)
        )
        urgent = [
            listed(a, office, today, deps)
            for a in list_application_rows(
                session,
                office=office,
                today=today,
                flt=ListFilter(open_only=True, department_id=scope, limit=URGENT_ROWS),
            )
        ]
    return render(
        request,
        "dashboard.html",
        {
            "counts": counts,
            "due_chart": due_chart(series),
            "monthly_chart": monthly_chart(monthly),
            "urgent": urgent,
            "scope_name": deps[scope].name if scope in deps else None,
            "report_changes": changed,
        },
    )
