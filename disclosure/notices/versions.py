"""Reading and adding `calendar_version` rows; notices to and from their stored TOML."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from disclosure.notices.models import CalendarVersion
from disclosure.vocabulary import CalendarAction
from rules.notice_file import NoticeEntry
from rules.schedule import parse_notices


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def entries_toml(entries: Sequence[NoticeEntry]) -> str:
    """Notices as `[[notice]]` tables, the stored form (read back by `stored_entries`)."""
    return "\n".join(_entry_toml(e) for e in entries)


def _entry_toml(e: NoticeEntry) -> str:
    n = e.notice
    lines = ["[[notice]]", f"year = {n.year}", f"title = {_toml_str(n.title)}"]
    if n.number:
        lines.append(f"number = {_toml_str(n.number)}")
    if n.published:
        lines.append(f"published = {n.published.isoformat()}")
    if e.url:
        lines.append(f"url = {_toml_str(e.url)}")
    if e.supplements is not None:
        lines.append(f"supplements = {_toml_str(e.supplements)}")
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


def stored_entries(text: str, where: str = "calendar_version") -> list[NoticeEntry]:
    """The notices of a stored text. Lenient like the built-in data (rows written before the
    strict reader existed stay readable); `supplements` and `url` are taken when present."""
    if not text.strip():
        return []
    notices = parse_notices(text, where=where)
    raws = tomllib.loads(text).get("notice", [])
    out = []
    for n, raw in zip(notices, raws, strict=True):
        supplements = raw.get("supplements")
        url = raw.get("url")
        out.append(
            NoticeEntry(
                n,
                supplements if isinstance(supplements, str) else None,
                url if isinstance(url, str) else "",
            )
        )
    return out


def in_force(session: Session) -> dict[int, CalendarVersion]:
    """The version in force of every year that has one (its highest)."""
    latest = (
        select(CalendarVersion.year, func.max(CalendarVersion.version).label("v"))
        .group_by(col(CalendarVersion.year))
        .subquery()
    )
    stmt = select(CalendarVersion).join(
        latest,
        (col(CalendarVersion.year) == latest.c.year) & (col(CalendarVersion.version) == latest.c.v),
    )
    return {v.year: v for v in session.exec(stmt).all()}


def history(session: Session, year: int | None = None) -> list[CalendarVersion]:
    stmt = select(CalendarVersion)
    if year is not None:
        stmt = stmt.where(CalendarVersion.year == year)
    return list(
        session.exec(stmt.order_by(col(CalendarVersion.year), col(CalendarVersion.version)))
    )


def find_version(session: Session, year: int, version: int) -> CalendarVersion | None:
    stmt = select(CalendarVersion).where(
        CalendarVersion.year == year, CalendarVersion.version == version
    )
    return session.exec(stmt).first()


def add_version(
    session: Session,
    *,
    year: int,
    action: CalendarAction,
    text: str,
    source_name: str,
    source_sha256: str,
    reverts_to: int | None,
    counts: tuple[int, int, int],
    now: datetime,
    actor: str,
) -> CalendarVersion:
    """Append the next version of `year` (the unique (year, version) key refuses a race)."""
    last = session.exec(
        select(func.max(CalendarVersion.version)).where(CalendarVersion.year == year)
    ).one()
    recomputed, moved, moved_apps = counts
    row = CalendarVersion(
        year=year,
        version=(last or 0) + 1,
        action=action.value,
        reverts_to=reverts_to,
        notices_text=text,
        source_name=source_name[:300],
        source_sha256=source_sha256,
        recomputed=recomputed,
        moved=moved,
        moved_applications=moved_apps,
        loaded_at=now,
        loaded_by=actor[:100],
    )
    session.add(row)
    session.flush()
    return row


def summary(v: CalendarVersion, *, in_force: bool, tz: ZoneInfo) -> dict[str, Any]:
    """One version as the history lists it (CLI table, `--json`, the web page)."""
    action = CalendarAction(v.action)
    label = action.label
    if action is CalendarAction.REVERT:
        label += f"（至第 {v.reverts_to} 版）"
    return {
        "year": v.year,
        "version": v.version,
        "action": v.action,
        "action_label": label,
        "reverts_to": v.reverts_to,
        "titles": [e.notice.title for e in stored_entries(v.notices_text)],
        "source_name": v.source_name,
        "source_sha256": v.source_sha256,
        "loaded_at": v.loaded_at.isoformat(),
        "loaded_at_local": v.loaded_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
        "loaded_by": v.loaded_by,
        "recomputed": v.recomputed,
        "moved": v.moved,
        "moved_applications": v.moved_applications,
        "in_force": in_force,
    }


def format_sample() -> str:
    """The newest shipped year's notices as a file in the load format: the sample to copy
    for next year's notice (the web's 格式样例; docs/calendar.md describes every key)."""
    from disclosure.calendar_source import builtin_notices

    notices = builtin_notices()
    year = max(n.year for n in notices)
    head = (
        f"# 格式样例：系统内置的 {year} 年国务院办公厅节假日安排通知。\n"
        "# 整理新一年的通知时，照此格式逐项改写 year、title、number、published、\n"
        "# days_off（放假）和 working_weekend_days（调休上班），与通知原文逐日核对后上传。\n\n"
    )
    return head + entries_toml([NoticeEntry(n) for n in notices if n.year == year])
