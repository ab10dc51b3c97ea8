"""The package's own pages: the cover (案卷封面), the 卷内目录 and the event log, as HTML
templates (`templates/`) rendered to PDF by `pdfkit.html_to_pdf`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader

from disclosure.casefile import pdfkit
from disclosure.casefile.contents import Item
from disclosure.models import EventRecord
from disclosure.services.timeline import entry, event_label
from disclosure.vocabulary import EventKind

TEMPLATES = Path(__file__).parent / "templates"
EVENT_LABELS = EventKind.labels()


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True)


def _css() -> str:
    return (TEMPLATES / "_style.css").read_text(encoding="utf-8")


def render(name: str, **context: Any) -> bytes:
    html = _env().get_template(name).render(css=_css(), **context)
    return pdfkit.html_to_pdf(html)


def cover(
    *,
    agency: str,
    title: str,
    volume_label: str,
    rows: Sequence[tuple[str, str]],
    items: int,
    pages: int,
) -> bytes:
    return render(
        "cover.html",
        agency=agency,
        title=title,
        volume_label=volume_label,
        rows=rows,
        items=items,
        pages=pages,
    )


def toc(items: Sequence[Item], zip_name: str) -> bytes:
    return render("toc.html", items=items, zip_name=zip_name)


def event_log(
    records: Sequence[EventRecord],
    timezone: str,
    department_names: dict[str, str],
    people: Mapping[str, str],
) -> bytes:
    """The 办理经过 table; `people` names each record's actor (`people.accounts.shown_names`: the
    record keeps the username, the page shows the person)."""
    tz = ZoneInfo(timezone)
    events = [
        {
            "on": r.on.isoformat() + (f" 至 {r.end_on.isoformat()}" if r.end_on else ""),
            "label": EVENT_LABELS.get(r.kind) or event_label(r),
            "note": entry(r, department_names)["facts"],
            "actor": people.get(r.actor, r.actor),
            "recorded": r.recorded_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
        }
        for r in records
    ]
    return render("log.html", events=events)
