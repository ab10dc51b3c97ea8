"""The printable approval sheet (政府信息公开申请办理审批表) of one application.

Built from the event log alone (`approval_chain.history`): the application's particulars,
the draft in force and every draft, approval and send-back with the person's display name
and the time in the office's time zone. A plain .docx (python-docx); nothing is stored.
"""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from sqlmodel import Session

from disclosure.errors import NotFound
from disclosure.models import Department
from disclosure.people.approval_chain import chains, history
from disclosure.services.context import Context
from disclosure.services.deadlines import events_of
from disclosure.services.lookup import get_application
from disclosure.vocabulary import ApprovalPurpose, EventKind

TITLE = "政府信息公开申请办理审批表"
FONT = "宋体"


def local_time(at: datetime, tz: str) -> str:
    """A stored UTC moment as the office reads it, e.g. 2026-12-02 14:05."""
    return at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


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
    doc.add_heading(TITLE, level=1)
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
    doc.add_paragraph("办理和审批记录")
    log = doc.add_table(rows=1, cols=4)
    log.style = "Table Grid"
    for cell, head in zip(log.rows[0].cells, ("环节", "姓名", "意见", "时间"), strict=True):
        cell.text = head
    for sign in history(records, purpose):
        verdict = {
            EventKind.DRAFTED: "拟办",
            EventKind.APPROVED: "同意",
            EventKind.SENT_BACK: "退回",
        }[sign.kind]
        cells = log.add_row().cells
        cells[0].text = sign.role_label
        cells[1].text = sign.name
        cells[2].text = verdict + (f"：{sign.text}" if sign.text else "")
        cells[3].text = local_time(sign.at, tz)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
