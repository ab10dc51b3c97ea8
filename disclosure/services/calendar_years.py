"""Loading a year's official schedule and recomputing every open application."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from disclosure.calendar_source import make_calendar
from disclosure.errors import InvalidInput
from disclosure.models import Application, CalendarNotice
from disclosure.services.deadlines import recompute
from disclosure.services.office import Office, stored_notices
from disclosure.settings import Settings
from rules.errors import CalendarDataError
from rules.schedule import parse_notices


@dataclass(frozen=True)
class Moved:
    number: str
    old: str | None
    new: str | None
    was_provisional: bool


@dataclass
class LoadResult:
    years: list[int]
    recomputed: int = 0
    moved: list[Moved] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "years": self.years,
            "recomputed": self.recomputed,
            "moved": [asdict(m) for m in self.moved],
        }


def load_text(
    session: Session,
    *,
    settings: Settings,
    text: str,
    source: str,
    actor: str,
    now: datetime,
    today: date,
) -> LoadResult:
    """Store the notices in `text` and recompute all open applications, reporting moves."""
    try:
        notices = parse_notices(text, where=source)
    except CalendarDataError as exc:
        raise InvalidInput(exc.message, field=exc.field or "FILE") from exc
    for n in notices:
        session.add(
            CalendarNotice(
                year=n.year, title=n.title, source_text=text, loaded_at=now, loaded_by=actor
            )
        )
    session.flush()
    office = Office(settings, make_calendar(settings, stored_notices(session)))
    result = LoadResult(years=sorted({n.year for n in notices}))
    apps = session.exec(select(Application).where(col(Application.is_open).is_(True))).all()
    for app in apps:
        before, was_prov = app.reply_due, app.provisional
        recompute(session, app, office)
        result.recomputed += 1
        if app.reply_due != before:
            result.moved.append(Moved(app.number, _iso(before), _iso(app.reply_due), was_prov))
    return result


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def load_file(
    session: Session, *, settings: Settings, path: Path, actor: str, now: datetime, today: date
) -> LoadResult:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"无法读取文件 / cannot read: {exc}", field="FILE") from exc
    return load_text(
        session, settings=settings, text=text, source=str(path), actor=actor, now=now, today=today
    )


def year_overview(session: Session, *, settings: Settings, year: int) -> dict[str, Any]:
    cal = make_calendar(settings, stored_notices(session))
    start = date(year, 1, 1)
    cal.describe(start)  # raises CalendarRangeError outside the data
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
