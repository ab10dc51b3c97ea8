"""A year of the working calendar as people read it, and loading a notice in one step."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from disclosure.calendar_source import make_calendar
from disclosure.notices import service
from disclosure.services.office import stored_notices
from disclosure.settings import Settings
from rules.errors import CalendarRangeError


def load_text(
    session: Session,
    *,
    settings: Settings,
    text: str,
    source: str,
    actor: str,
    now: datetime,
    today: date,
) -> service.Report:
    """Check and load the notices in `text`, recomputing every open application (one call
    of `notices.service.plan_load` and `apply`, for callers without a preview step)."""
    plan = service.plan_load(
        session, settings=settings, raw=text.encode("utf-8"), source_name=source, today=today
    )
    return service.apply(session, plan, actor=actor, now=now)


def year_overview(session: Session, *, settings: Settings, year: int) -> dict[str, Any]:
    cal = make_calendar(settings, stored_notices(session))
    first, last = cal.first_day.year, cal.last_day.year
    if not first <= year <= last:
        # (the web's calendar page shows a year outside the data as such: a RulesError)
        raise CalendarRangeError(f"日历只有 {first} 至 {last} 年的安排", field="YEAR")
    start = date(year, 1, 1)
    days_off, works, total = [], [], 0
    d = start
    while d.year == year:
        info = cal.describe(d)
        if info.working:
            total += 1
            if d.weekday() >= 5:
                works.append({"date": d.isoformat(), "name": info.name})
        elif info.kind.value in ("holiday", "closure"):
            days_off.append({"date": d.isoformat(), "name": info.name})
        d += timedelta(days=1)
    return {
        "year": year,
        "provisional": cal.is_provisional(start),
        "sources": cal.sources(year),
        "days_off": days_off,
        "working_weekend_days": works,
        "working_days": total,
    }
