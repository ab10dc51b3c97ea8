"""The printable approval sheet (政府信息公开申请办理审批表) of one application.

Built from the event log alone (`approval_chain.history`): the application's particulars,
the draft in force and every draft, approval and send-back with the person's display name
and the time in the office's time zone; superseded drafts and their answers marked 已作废;
a signature column, with a line for each role still to approve, for the paper copy that is
signed by hand. A plain .docx (python-docx); nothing is stored.
"""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from sqlmodel import Session

from disclosure.errors import NotFound
from disclosure.models import Department
from disclosure.people.approval_chain import Sign, chains, history
from disclosure.services.context import Context
from disclosure.services.deadlines import events_of
from disclosure.services.lookup import get_application
from disclosure.vocabulary import ApprovalPurpose, ApprovalRole, EventKind

TITLE = "政府信息公开申请办理审批表"
FONT = "宋体"
LOG_HEADS = ("环节", "姓名", "意见", "时间", "签名")
SIGNING_ROW = Cm(1.2)
INFO_WIDTHS = (3.0, 13.0)  # cm, within A4's 16 cm of text width
LOG_WIDTHS = (3.4, 2.2, 5.0, 3.0, 2.4)


def local_time(at: datetime, tz: str) -> str:
    """A stored UTC moment as the office reads it, e.g. 2026-12-02 14:05."""
    return at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def log_rows(signs: list[Sign], in_force: int, tz: str) -> list[tuple[str, str, str, str]]:
    """环节, 姓名, 意见, 时间 per sign-off line; a superseded draft and the approvals it got
    are marked 已作废 (a new draft replaced it), so the sheet shows which approval stands."""
    out = []
    for sign in signs:
        drafted = sign.kind is EventKind.DRAFTED
        void = (sign.event_id if drafted else sign.answers) != in_force
        void = void and sign.kind is not EventKind.SENT_BACK  # a send-back stands as said
        if drafted:
            said = f"{sign.verdict}：{sign.proposal}" + (f"；{sign.text}" if sign.text else "")
        else:
            said = sign.answer_words
        if void:
            said += "（已作废：已重新拟办）"
        out.append((sign.role_label, sign.name, said, local_time(sign.at, tz)))
    return out


def _signing_row(table: Any, values: tuple[str, str, str, str]) -> None:
    row = table.add_row()
    row.height = SIGNING_ROW  # room for a handwritten signature
    for cell, value in zip(row.cells, values, strict=False):
        cell.text = value


def _widths(table: Any, cms: tuple[float, ...]) -> None:
    """Column widths (Word reads the cells', LibreOffice the grid's)."""
    table.autofit = False
    for column, cm in zip(table.columns, cms, strict=True):
        column.width = Cm(cm)
        for cell in column.cells:
            cell.width = Cm(cm)


def _fonts(doc: object) -> None:
    style = doc.styles["Normal"]  # type: ignore[attr-defined]
    style.font.name = FONT
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def approval_sheet(
    session: Session, ctx: Context, number: str, purpose: ApprovalPurpose = ApprovalPurpose.REPLY
) -> bytes:
    """The sheet of `purpose` for application `number` as a .docx."""
    app = get_application(session, number)
    records = events_of(session, app)
    state = chains(records).get(purpose)
    if state is None:
        raise NotFound(f"申请 {number} 没有{purpose.label}的拟办意见", field="for")
    tz = ctx.settings.office.timezone
    dept = session.get(Department, app.lead_department_id) if app.lead_department_id else None
    doc = Document()
    _fonts(doc)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(TITLE)
    run.bold, run.font.size = True, Pt(18)
    doc.add_paragraph(f"{ctx.settings.office.agency_name}　审批事项：{purpose.label}")
    rows = [
        ("登记编号", app.number),
        ("申请人", app.applicant_name),
        ("收到日期", app.received_on.isoformat() if app.received_on else ""),
        ("申请内容", app.content),
        ("主办部门", dept.name if dept else ""),
        ("答复期限", app.reply_due.isoformat() if app.reply_due else ""),
        ("拟办意见", state.proposal),
        ("事实", state.draft.text),
        ("理由", state.reasons),
        ("拟办人", f"{state.draft.name}　{local_time(state.draft.at, tz)}"),
        ("审批状态", state.status),
    ]
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    _widths(table, INFO_WIDTHS)
    doc.add_paragraph("办理和审批记录（签名栏供打印后手签）")
    log = doc.add_table(rows=1, cols=5)
    log.style = "Table Grid"
    for cell, head in zip(log.rows[0].cells, LOG_HEADS, strict=True):
        cell.text = head
    for values in log_rows(history(records, purpose), state.draft.event_id, tz):
        _signing_row(log, values)
    for role in state.remaining:  # still to approve: a line to sign on paper
        _signing_row(log, (ApprovalRole(role).label, "", "", ""))
    _widths(log, LOG_WIDTHS)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
