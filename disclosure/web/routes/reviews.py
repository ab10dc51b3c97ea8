"""Administrative reconsideration and litigation about an application (年度报告表四), on the
web: the office records a case and, later, its result.

The same service functions as `disclosure review add` / `review decide`
(`disclosure.report.reviews`); their errors name the form's inputs (`--filed` → `filed`,
`web.errors.form_field`).
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import InvalidInput, NotFound
from disclosure.report import reviews
from disclosure.services.lookup import get_application
from disclosure.web.deps import AuthorizedNumber, OfficeUser, web
from disclosure.web.forms import Form, optional_date, text, values
from disclosure.web.people_view import DECIDED_RESULTS, REVIEW_KINDS, REVIEW_RESULTS
from disclosure.web.render import flash, render

router = APIRouter(prefix="/applications")


def _page(
    request: Request,
    number: str,
    form: dict[str, str],
    errors: dict[str, str],
    open_case: int | None = None,
    status: int = 200,
) -> Response:
    st = web(request)
    with transaction(st.engine, write=False) as session:
        app = get_application(session, number)
        cases = reviews.list_cases(session, number=number)
        head = {"number": app.number, "applicant": app.applicant_name, "content": app.content}
    return render(
        request,
        "reviews.html",
        {
            **head,
            "cases": cases,
            "kinds": REVIEW_KINDS,
            "results": REVIEW_RESULTS,
            "decided_results": DECIDED_RESULTS,
            "form": form,
            "errors": errors,
            "open_case": open_case,
        },
        status,
    )


def _required_date(form: FormData, name: str, label: str) -> date:
    day = optional_date(form, name)
    if day is None:
        raise InvalidInput(f"请填写{label}", field=name)
    return day


@router.get("/{number}/reviews")
def reviews_page(request: Request, number: AuthorizedNumber, user: OfficeUser) -> Response:
    return _page(request, number, {"result": "pending"}, {})


@router.post("/{number}/reviews")
def add_case(request: Request, number: AuthorizedNumber, user: OfficeUser, form: Form) -> Response:
    st = web(request)
    shown = values(form)
    request.state.rerender = lambda errors, status: _page(
        request, number, shown, errors, None, status
    )
    if not text(form, "kind"):
        raise InvalidInput("请选择案件类别（行政复议或行政诉讼）", field="kind")
    filed = _required_date(form, "filed", "申请复议或起诉日期")
    with transaction(st.engine) as session:
        reviews.add_case(
            session,
            number=number,
            kind=text(form, "kind"),
            result=text(form, "result") or "pending",
            filed_on=filed,
            decided_on=optional_date(form, "decided"),
            note=text(form, "note"),
            today=st.today(),
            actor=user.username,
            now=now_utc(),
        )
    flash(request, f"{number}：已记录复议/诉讼案件")
    return RedirectResponse(f"/applications/{number}#reviews", status_code=303)


@router.post("/{number}/reviews/{case_id}")
def decide_case(
    request: Request, number: AuthorizedNumber, case_id: int, user: OfficeUser, form: Form
) -> Response:
    st = web(request)
    shown = values(form)
    request.state.rerender = lambda errors, status: _page(
        request, number, shown, errors, case_id, status
    )
    if not text(form, "result"):
        raise InvalidInput("请选择审结结果", field="result")
    decided = _required_date(form, "decided", "审结日期")
    with transaction(st.engine) as session:
        if not any(c["id"] == case_id for c in reviews.list_cases(session, number=number)):
            raise NotFound(f"申请 {number} 没有编号为 {case_id} 的复议/诉讼案件", field="case")
        reviews.decide_case(
            session, case_id=case_id, result=text(form, "result"), decided_on=decided,
            today=st.today(),
        )  # fmt: skip
    flash(request, f"{number}：已记录案件 #{case_id} 的结果")
    return RedirectResponse(f"/applications/{number}#reviews", status_code=303)
