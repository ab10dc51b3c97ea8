"""What the web pages need from the letters and report packages: lists, files, downloads."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from disclosure.errors import DisclosureError, NotFound
from disclosure.letters.correct import correct_letter
from disclosure.letters.kinds import KINDS
from disclosure.letters.models import Letter
from disclosure.letters.records import listing, stored_docx
from disclosure.letters.service import LetterOptions, issue_letter, letters_of
from disclosure.models import Application, EventRecord
from disclosure.people.approval_chain import approved_reply
from disclosure.report.annual import compute_annual
from disclosure.report.annual_xlsx import write_xlsx
from disclosure.report.ledger_export import export_ledger
from disclosure.services.context import Context
from disclosure.services.lookup import get_application
from disclosure.settings import Settings
from disclosure.storage import FileStore
from disclosure.web import letter_form

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def letters_for(
    session: Session, app: Application, default_delivery: str, records: list[EventRecord]
) -> dict[str, Any]:
    """Kinds that can be issued, letters already issued, and the letter form's fields."""
    names = {k.value: info.label for k, info in KINDS.items()}  # the chooser's words
    rows = letters_of(session, app.number)
    issued = [
        {"id": row.id, **listed.as_dict()} for row, listed in zip(rows, listing(rows), strict=True)
    ]
    signed = approved_reply(records)  # what the letter says by default
    form = letter_form.form_context(app, default_delivery, signed.reasons_line if signed else "")
    return {"kinds": list(names.items()), "issued": issued, "form": form}


def letter_problems(
    session: Session, number: str, kind: str, fields: dict[str, str], default_delivery: str
) -> dict[str, str]:
    """The letter form's problems, every one at once (`web.letter_form.problems`)."""
    app = get_application(session, number)
    new = all(row.kind != kind for row in letters_of(session, number))
    return letter_form.problems(app, kind, fields, default_delivery=default_delivery, new=new)


def stored_letter_docx(
    session: Session, store: FileStore, number: str, letter_id: int
) -> tuple[str, bytes]:
    """The stored .docx of issued letter `letter_id` of application `number`."""
    app = get_application(session, number)
    letter = session.get(Letter, letter_id)
    if letter is None or letter.application_id != app.id:
        raise NotFound("没有该文书", field="letter")
    content = stored_docx(letter, store)
    if content is None:
        raise NotFound("该文书在升级前出具，尚未存档：请用“下载”按钮打印一次", field="letter")
    return f"{number}-{letter.reference}.docx", content


def issue_letter_docx(
    session: Session,
    *,
    ctx: Context,
    number: str,
    kind: str,
    fields: dict[str, str],
) -> tuple[str, bytes]:
    """Issue (or re-issue: same 文号) a letter and render it; returns (file name, .docx)."""
    try:
        options = letter_form.letter_options(fields)  # the options `disclosure letter` takes
        issued = issue_letter(session, ctx=ctx, number=number, kind=kind, options=options)
    except DisclosureError as exc:
        raise letter_form.in_web_words(exc) from None
    content = issued.render()  # inside the transaction: a template error writes nothing
    return f"{number}-{issued.info.name}.docx", content


def correct_letter_docx(
    session: Session,
    *,
    ctx: Context,
    number: str,
    letter_id: int,
    fields: dict[str, str],
) -> tuple[str, bytes]:
    """Issue the correction of letter `letter_id`; returns (file name, the new .docx)."""
    app = get_application(session, number)
    old = session.get(Letter, letter_id)
    if old is None or old.application_id != app.id:
        raise NotFound("没有该文书", field="letter")
    items = tuple(line.strip() for line in fields.get("items", "").splitlines() if line.strip())
    options = LetterOptions(items=items, note=fields.get("note", ""))
    try:
        issued = correct_letter(
            session,
            ctx=ctx,
            number=number,
            reference=old.reference,
            reason=fields.get("reason", ""),
            options=options,
        )
    except DisclosureError as exc:
        raise letter_form.in_web_words(exc) from None
    return f"{number}-{issued.letter.reference}.docx", issued.render()


def ledger_xlsx(session: Session, *, today: date, admin: bool, settings: Settings) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.xlsx"
        export_ledger(session, path=path, today=today, admin=admin,
                      case_type_name=settings.targets.name_of)  # fmt: skip
        return path.read_bytes()


def annual_xlsx(session: Session, *, year: int) -> bytes:
    report = compute_annual(session, year=year)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "annual.xlsx"
        write_xlsx(report, path)
        return path.read_bytes()
