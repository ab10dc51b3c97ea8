"""The work ledger (台账, Reg. Art. 45): every application with its history, as xlsx or csv.

The xlsx is ready to print: frozen header row and number column, column widths, real date
cells, the header repeated on every page, landscape, fitted to the page width.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from disclosure.errors import InvalidInput
from disclosure.letters.dates import PROJECTION, PROVISIONAL
from disclosure.models import Application, Department, EventRecord
from disclosure.outcomes import OUTCOMES, WITHDRAWN_WORDS
from disclosure.report.cell_safety import csv_value, xlsx_value
from disclosure.report.ledger_columns import Column, export_columns
from disclosure.services.departments import find_department
from disclosure.services.queries import paused_on
from disclosure.services.serving import served_dates
from disclosure.vocabulary import ApplicantType, Channel, EventKind, Stage
from rules.events import CLOSING_KINDS as RULE_CLOSING
from rules.events import EventKind as RuleKind

DATE_FORMAT = "yyyy-mm-dd"  # openpyxl's own format for a `date` value
SHEET_TITLE = "政府信息公开申请台账"
HISTORY_KINDS = (
    EventKind.CORRECTION_REQUESTED.value,
    EventKind.CORRECTION_RECEIVED.value,
    EventKind.FEE_NOTICE_SENT.value,
    EventKind.FEE_PAID.value,
    EventKind.EXTENSION_GRANTED.value,
    EventKind.LETTER_SERVED.value,  # the service records: served dates of the two notices
)
# The engine's steps that no ledger column holds (consultations, Art. 35 deferral, a late
# payment accepted, a manual pause; the closing is `closed_on`/`outcome`): the export lists
# them, and a second step of a kind the ledger shows once, in 台账未载步骤, so that an import,
# which refuses such a row, never rebuilds a case without them (and with other deadlines).
UNLISTED_KINDS = tuple(
    k.value
    for k in RuleKind
    if k.value not in HISTORY_KINDS and k is not RuleKind.RECEIVED and k not in RULE_CLOSING
)


def _on_time(app: Any, today: date) -> str:
    if app.closed_on is not None:
        return "是" if app.closed_on_time else "否"
    if app.reply_due is not None and today > app.reply_due:
        return "已超期"
    return "办理中" if app.received_on is not None else "待确认"


def _due_mark(app: Any, today: date) -> str:
    """The marks of the stored reply date on `today`: 推算 while a pause is open (the date
    assumes it runs to its limit; `queries.paused_on`, as the case's state reads it), 临时
    when the year's holiday notice is not published; the words are the letters' own."""
    if app.reply_due is None or not app.is_open:
        return ""
    marks = [PROJECTION] if paused_on(app, today) else []
    return "、".join(marks + ([PROVISIONAL] if app.provisional else []))


def _history(session: Session, ids: set[int] | None) -> dict[int, dict[str, Any]]:
    """The dated steps the ledger shows, per application id (first of each kind), with the
    served dates of the correction and fee notices and the steps it cannot show
    (`unlisted_steps`); `ids=None` for every application."""
    e = EventRecord
    out: dict[int, dict[str, Any]] = {}
    letters: dict[int, dict[str, tuple[int, date | None]]] = {}  # app → key → (event, own)
    service: dict[int, list[Any]] = {}  # app → its service records (plain rows)
    stmt = (
        core_select(
            col(e.id),
            col(e.application_id),
            col(e.kind),
            col(e.on),
            col(e.amount_yuan),
            col(e.days),
            col(e.approver),
            col(e.data),
        )
        .where(col(e.kind).in_((*HISTORY_KINDS, *UNLISTED_KINDS, EventKind.WITHDRAWN.value)))
        .order_by(col(e.application_id), col(e.on), col(e.id))
    )
    for row in session.execute(stmt):
        event_id, app_id, kind, on, amount, days, approver, data = row
        if ids is not None and app_id not in ids:
            continue
        if kind == EventKind.LETTER_SERVED:
            service.setdefault(app_id, []).append(row)  # has .id, .kind, .data
            continue
        h = out.setdefault(app_id, {})
        if kind == EventKind.WITHDRAWN:  # its 6.3 reads as the withdrawal it is
            h["outcome_label"] = WITHDRAWN_WORDS
            continue
        own = (data or {}).get("served_on")
        served = (event_id, date.fromisoformat(own) if own else None)
        if kind == EventKind.CORRECTION_REQUESTED and "correction_requested_on" not in h:
            h["correction_requested_on"] = on
            letters.setdefault(app_id, {})["correction_served_on"] = served
        elif kind == EventKind.CORRECTION_RECEIVED and "correction_received_on" not in h:
            h["correction_received_on"] = on
        elif kind == EventKind.FEE_NOTICE_SENT and "fee_notice_on" not in h:
            h.update(fee_notice_on=on, fee_amount=amount)
            letters.setdefault(app_id, {})["fee_notice_served_on"] = served
        elif kind == EventKind.FEE_PAID and "fee_paid_on" not in h:
            h["fee_paid_on"] = on
        elif kind == EventKind.EXTENSION_GRANTED and "extension_on" not in h:
            h.update(extension_on=on, extension_days=days, extension_approver=approver)
        else:
            step = f"{EventKind(kind).label} {on.isoformat()}"
            h["unlisted_steps"] = "；".join(filter(None, (h.get("unlisted_steps"), step)))
    for app_id, wanted in letters.items():
        recorded = served_dates(service.get(app_id, []))
        for key, (event_id, own) in wanted.items():
            out[app_id][key] = recorded.get(event_id, own)
    return out


# The application columns the ledger reads: plain rows, not ORM objects (a large ledger
# would spend most of its time building objects it only reads once).
_A = Application
_FIELDS = tuple(col(f) for f in (
    _A.id, _A.number, _A.channel, _A.arrived_on, _A.received_on, _A.applicant_name,
    _A.applicant_type, _A.id_number, _A.phone, _A.email, _A.address, _A.content,
    _A.form_wanted, _A.case_type, _A.lead_department_id, _A.cooperating, _A.reply_due,
    _A.closed_on, _A.closed_on_time, _A.outcome, _A.stage, _A.is_open, _A.provisional,
    _A.paused_from, _A.paused_until,
))  # fmt: skip


def ledger_records(
    session: Session,
    *,
    today: date,
    department: str | None = None,
    case_type_name: Callable[[str], str] = str,
) -> Iterator[dict[str, Any]]:
    """One dict per application (keys = `ledger_columns` keys), in registration order; a
    case type by `case_type_name` (the office's `targets.name_of`: its name, not its key).

    The query runs now (an unknown department raises here); rows are built lazily.
    """
    stmt = core_select(*_FIELDS).order_by(col(_A.year), col(_A.seq), col(_A.id))
    if department:
        dep = find_department(session, department)
        stmt = stmt.where(col(_A.lead_department_id) == dep.id)
    apps = list(session.execute(stmt))
    deps = {d.id: d for d in session.exec(select(Department))}
    by_code = {d.code: d.name for d in deps.values()}
    history = _history(session, {a.id for a in apps} if department else None)
    return (_record(a, deps, by_code, history, today, case_type_name) for a in apps)


def _record(
    a: Any,  # a row of `_FIELDS`
    deps: dict[int | None, Department],
    by_code: dict[str, str],
    history: dict[int, dict[str, Any]],
    today: date,
    case_type_name: Callable[[str], str],
) -> dict[str, Any]:
    lead = deps.get(a.lead_department_id) if a.lead_department_id else None
    rec: dict[str, Any] = {
        "number": a.number,
        "channel": Channel(a.channel).label,
        "arrived_on": a.arrived_on,
        "received_on": a.received_on,
        "applicant_name": a.applicant_name,
        "applicant_type": ApplicantType(a.applicant_type).label,
        "id_number": a.id_number,
        "phone": a.phone,
        "email": a.email,
        "address": a.address,
        "content": a.content,
        "form_wanted": a.form_wanted,
        "case_type": case_type_name(a.case_type) if a.case_type else "",
        "department": lead.name if lead else "",
        "cooperating": "、".join(by_code.get(c, c) for c in a.cooperating),
        "reply_due": a.reply_due,
        "reply_due_mark": _due_mark(a, today),
        "closed_on": a.closed_on,
        "outcome": a.outcome or "",
        "outcome_label": OUTCOMES[a.outcome].label if a.outcome in OUTCOMES else "",
        "on_time": _on_time(a, today),
        "stage": Stage(a.stage).label,
    }
    rec.update(history.get(a.id, ()))
    return rec


def _cell_value(value: Any) -> Any:
    return "" if value is None else value


def write_xlsx(records: Iterator[dict[str, Any]], columns: list[Column], path: Path) -> int:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_TITLE)
    for i, c in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = c.width
    ws.freeze_panes = "B2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A3
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    header = []
    for c in columns:
        cell = WriteOnlyCell(ws, value=c.header)
        cell.font, cell.alignment = bold, wrap
        header.append(cell)
    ws.append(header)
    # A `date` value gets openpyxl's DATE_FORMAT by itself; blank cells are left out (None);
    # text goes through `cell_safety` (control characters made visible, no formulas).
    keys = [c.key for c in columns]
    n = 0
    for rec in records:
        ws.append([None if (v := rec.get(k)) == "" else xlsx_value(ws, v) for k in keys])
        n += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n + 1}"
    wb.save(path)
    wb.close()
    return n


def write_csv(records: Iterator[dict[str, Any]], columns: list[Column], path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([c.header for c in columns])
        for rec in records:
            row = []
            for c in columns:
                v = rec.get(c.key)
                row.append(v.isoformat() if isinstance(v, date) else csv_value(_cell_value(v)))
            w.writerow(row)
            n += 1
    return n


def export_ledger(
    session: Session,
    *,
    path: Path,
    today: date,
    admin: bool = False,
    department: str | None = None,
    case_type_name: Callable[[str], str] = str,
) -> int:
    """Write the ledger to `path` (.xlsx or .csv); returns the number of applications."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InvalidInput("文件扩展名须为 .xlsx 或 .csv", field="--out")
    columns = export_columns(admin=admin)
    records = ledger_records(
        session, today=today, department=department, case_type_name=case_type_name
    )
    writer = write_xlsx if suffix == ".xlsx" else write_csv
    if not path.parent.is_dir():
        raise InvalidInput(f"输出目录 {path.parent} 不存在", field="out")
    tmp = path.with_name(f".{path.name}.part")
    try:
        n = writer(records, columns, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return n
