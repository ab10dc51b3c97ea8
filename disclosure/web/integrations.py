"""Bridges to the letters (disclosure.letters) and report (disclosure.report) packages.

Everything the web layer needs from them is here, imported lazily, so the interface still
works (with those features hidden) in an installation without them.
"""

from __future__ import annotations

import importlib
import tempfile
from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlmodel import Session

from disclosure.models import Application
from disclosure.services.office import Office

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            return None
        raise


def letters_available() -> bool:
    return _module("disclosure.letters.service") is not None


def report_available() -> bool:
    return (
        _module("disclosure.report.ledger_export") is not None
        and _module("disclosure.report.annual_xlsx") is not None
    )


def letters_for(session: Session, app: Application) -> dict[str, Any] | None:
    """Kinds that can be issued and letters already issued; None without the letters package."""
    if not letters_available():
        return None
    from disclosure.letters.kinds import KINDS
    from disclosure.letters.service import letters_of

    names = {k.value: info.name for k, info in KINDS.items()}
    issued = [
        {
            "kind": row.kind,
            "name": names.get(row.kind, row.kind),
            "variant": row.variant,
            "reference": row.reference,
            "issued_on": row.issued_on.isoformat(),
        }
        for row in letters_of(session, app.number)
    ]
    return {"kinds": list(names.items()), "issued": issued}


def issue_letter_docx(
    session: Session,
    *,
    office: Office,
    number: str,
    kind: str,
    fields: dict[str, str],
    today: date,
    actor: str,
    now: datetime,
) -> tuple[str, bytes]:
    """Issue (or re-issue: same 文号) a letter and render it; returns (file name, .docx)."""
    from disclosure.letters.service import LetterOptions, issue_letter

    items = tuple(line.strip() for line in fields.get("items", "").splitlines() if line.strip())
    options = LetterOptions(
        party=fields.get("party") or None,
        items=items,
        note=fields.get("note", ""),
        responsible_agency=fields.get("responsible_agency", ""),
        contact=fields.get("contact", ""),
    )
    issued = issue_letter(
        session,
        office=office,
        number=number,
        kind=kind,
        options=options,
        today=today,
        actor=actor,
        now=now,
    )
    content = issued.render()  # inside the transaction: a template error writes nothing
    return f"{number}-{issued.info.name}.docx", content


def ledger_xlsx(session: Session, *, today: date, admin: bool) -> bytes:
    from disclosure.report.ledger_export import export_ledger

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.xlsx"
        export_ledger(session, path=path, today=today, admin=admin)
        return path.read_bytes()


def annual_xlsx(session: Session, *, year: int) -> bytes:
    from disclosure.report.annual import compute_annual
    from disclosure.report.annual_xlsx import write_xlsx

    report = compute_annual(session, year=year)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "annual.xlsx"
        write_xlsx(report, path)
        return path.read_bytes()
