"""Recording administrative reconsideration and litigation about applications (AR table 四)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from disclosure.errors import InvalidInput, NotFound
from disclosure.models import Application
from disclosure.report.labels import REVIEW_KIND_LABELS, REVIEW_RESULT_LABELS
from disclosure.report.models import ReviewCase, ReviewKind, ReviewResult
from disclosure.services.lookup import get_application


def _kind(value: str) -> ReviewKind:
    try:
        return ReviewKind(value)
    except ValueError as exc:
        raise InvalidInput(
            f"未知类别 {value!r}；可用：{', '.join(k.value for k in ReviewKind)}",
            field="--kind",
        ) from exc


def _result(value: str) -> ReviewResult:
    try:
        return ReviewResult(value)
    except ValueError as exc:
        raise InvalidInput(
            f"未知结果 {value!r}；可用：{', '.join(r.value for r in ReviewResult)}",
            field="--result",
        ) from exc


def _check_dates(
    result: ReviewResult, filed_on: date, decided_on: date | None, today: date
) -> None:
    if filed_on > today:
        raise InvalidInput(f"日期 {filed_on} 晚于今天", field="--filed")
    if result is ReviewResult.PENDING:
        if decided_on is not None:
            raise InvalidInput(
                "尚未审结的案件不能有审结日期",
                field="--decided",
            )
        return
    if decided_on is None:
        raise InvalidInput("已审结的案件须填写审结日期", field="--decided")
    if decided_on < filed_on:
        raise InvalidInput("审结日期早于立案日期", field="--decided")
    if decided_on > today:
        raise InvalidInput(f"日期 {decided_on} 晚于今天", field="--decided")


def add_case(
    session: Session,
    *,
    number: str,
    kind: str,
    result: str,
    filed_on: date,
    decided_on: date | None,
    note: str,
    today: date,
    actor: str,
    now: datetime,
) -> ReviewCase:
    """Record one reconsideration or lawsuit about application `number`."""
    app = get_application(session, number)
    assert app.id is not None  # a stored application
    k, r = _kind(kind), _result(result)
    _check_dates(r, filed_on, decided_on, today)
    case = ReviewCase(
        application_id=app.id,
        kind=k.value,
        result=r.value,
        filed_on=filed_on,
        decided_on=decided_on,
        note=note,
        created_at=now,
        created_by=actor,
    )
    session.add(case)
    session.flush()
    return case


def decide_case(
    session: Session,
    *,
    case_id: int,
    result: str,
    decided_on: date,
    today: date,
) -> ReviewCase:
    """Record the decision of a pending case."""
    case = session.get(ReviewCase, case_id)
    if case is None:
        raise NotFound(f"没有编号为 {case_id} 的复议/诉讼案件", field="CASE_ID")
    r = _result(result)
    if r is ReviewResult.PENDING:
        raise InvalidInput("审结结果不能是 pending", field="--result")
    _check_dates(r, case.filed_on, decided_on, today)
    case.result, case.decided_on = r.value, decided_on
    session.add(case)
    return case


def list_cases(session: Session, *, number: str | None = None) -> list[dict[str, Any]]:
    stmt = select(ReviewCase, Application.number).join(
        Application, col(Application.id) == col(ReviewCase.application_id)
    )
    if number:
        stmt = stmt.where(Application.number == number)
    stmt = stmt.order_by(col(ReviewCase.filed_on), col(ReviewCase.id))
    return [
        {
            "id": case.id,
            "number": num,
            "kind": case.kind,
            "kind_label": REVIEW_KIND_LABELS[case.kind],
            "result": case.result,
            "result_label": REVIEW_RESULT_LABELS[case.result],
            "filed_on": case.filed_on.isoformat(),
            "decided_on": case.decided_on.isoformat() if case.decided_on else None,
            "note": case.note,
        }
        for case, num in session.exec(stmt)
    ]
