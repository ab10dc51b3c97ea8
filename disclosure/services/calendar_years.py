"""Loading a year's official schedule and recomputing every open application."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import true
from sqlmodel import Session, col, select

from disclosure.calendar_source import make_calendar
from disclosure.errors import Conflict, DisclosureError, InvalidInput
from disclosure.models import Application, CalendarNotice
from disclosure.services.deadlines import recompute
from disclosure.services.office import load_office, stored_notices
from disclosure.settings import Settings
from rules.errors import CalendarDataError
from rules.schedule import Notice, parse_notices


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
        for old in session.exec(
            select(CalendarNotice).where(
                CalendarNotice.year == n.year, CalendarNotice.title == n.title
            )
        ).all():
            session.delete(old)  # a reissued notice replaces the earlier copy
        session.add(
            CalendarNotice(
                year=n.year,
                title=n.title,
                source_text=notice_toml(n),
                loaded_at=now,
                loaded_by=actor,
            )
        )
    session.flush()
    office = load_office(session, settings)
    result = LoadResult(years=sorted({n.year for n in notices}))
    apps = session.exec(
        select(Application).where(col(Application.is_open) == true()).order_by(Application.id)
    ).all()
    for app in apps:
        before, was_prov = app.reply_due, app.provisional
        try:
            recompute(session, app, office)
        except DisclosureError as exc:  # e.g. an extension now later than the new due date
            raise Conflict(
                f"申请 {app.number} 按新日历无法重新计算，未载入：{exc.message}"
                f" / {app.number} cannot be recomputed",
                field="FILE",
            ) from exc
        result.recomputed += 1
        if app.reply_due != before:
            result.moved.append(Moved(app.number, _iso(before), _iso(app.reply_due), was_prov))
    return result


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def notice_toml(n: Notice) -> str:
    """One notice as a `[[notice]]` TOML table (what `parse_notices` reads back)."""
    lines = ["[[notice]]", f"year = {n.year}", f"title = {_toml_str(n.title)}"]
    if n.number:
        lines.append(f"number = {_toml_str(n.number)}")
    if n.published:
        lines.append(f"published = {n.published.isoformat()}")
    offs = ", ".join(
        f"{{ name = {_toml_str(o.name)}, start = {o.start.isoformat()},"
        f" end = {o.end.isoformat()} }}"
        for o in n.days_off
    )
    lines.append(f"days_off = [{offs}]")
    works = ", ".join(
        f"{{ date = {d.isoformat()}, name = {_toml_str(name)} }}" for d, name in n.working_days
    )
    lines.append(f"working_weekend_days = [{works}]")
    if n.cancelled_working_days:
        days = ", ".join(d.isoformat() for d in n.cancelled_working_days)
        lines.append(f"cancelled_working_days = [{days}]")
    return "\n".join(lines) + "\n"


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
