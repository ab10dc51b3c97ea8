"""The office as a whole: the working calendar's years and the statistics."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from sqlalchemy import func
from sqlmodel import Session, col, select

from disclosure.api.auth import OfficeReader, Reader, api_state
from disclosure.api.bodies import AnyDict, json_answer
from disclosure.db import transaction
from disclosure.models import Application
from disclosure.report.annual_full import compute_full
from disclosure.report.annual_lock import attach_publication
from disclosure.services.dashboard import counts
from disclosure.services.queries import department_names

router = APIRouter(tags=["office"])


@router.get("/calendar", response_model=AnyDict)
def calendar(request: Request, token: Reader) -> Response:
    """日历已载入的年度，以及每年是否为临时数据（尚无官方通知，rulebook §1）。"""
    st = api_state(request)
    with transaction(st.engine, write=False) as session:
        cal = st.offices.load(session).calendar
    years = [
        {
            "year": year,
            "provisional": cal.is_provisional(date(year, 1, 1)),
            "sources": cal.sources(year),
        }
        for year in range(cal.first_year, cal.last_year + 1)
    ]
    return json_answer({"first_day": cal.first_day.isoformat(),
                        "last_day": cal.last_day.isoformat(), "years": years})  # fmt: skip


def open_by(session: Session, column: str, department_id: int | None) -> dict[Any, int]:
    """Open applications counted by one column (a thin grouping `services.dashboard` lacks)."""
    key = getattr(Application, column)
    stmt = select(key, func.count()).where(col(Application.is_open).is_(True)).group_by(key)
    if department_id is not None:
        stmt = stmt.where(Application.lead_department_id == department_id)
    return {k: int(n) for k, n in session.exec(stmt).all()}


@router.get("/statistics", response_model=AnyDict)
def statistics(request: Request, token: Reader) -> Response:
    """未办结申请按期限状态、部门和阶段的件数（令牌限于一个部门时只计本部门）。"""
    st = api_state(request)
    today = st.today()
    with transaction(st.engine, write=False) as session:
        office = st.offices.load(session)
        figures = counts(session, office=office, today=today, department_id=token.department_id)
        deps = department_names(session)
        by_department = open_by(session, "lead_department_id", token.department_id)
        by_stage = open_by(session, "stage", token.department_id)
    return json_answer(
        {
            "today": today.isoformat(),
            "counts": asdict(figures),
            "by_department": {
                (deps[k].code if k in deps else "unassigned"): n for k, n in by_department.items()
            },
            "by_stage": by_stage,
        }
    )


@router.get("/statistics/annual/{year}", response_model=AnyDict)
def annual_report(
    request: Request, token: OfficeReader, year: Annotated[int, Path(ge=1990, le=2999)]
) -> Response:
    """政府信息公开工作年度报告的数据（与 `disclosure report annual --format json` 相同）；
    部门令牌不能读取。"""
    st = api_state(request)
    with transaction(st.engine, write=False) as session:
        report = compute_full(session, year=year, agency=st.settings.office.agency_name)
        out: dict[str, Any] = attach_publication(
            session, report, tz=st.settings.office.timezone
        ).as_json()
    return json_answer(out)
