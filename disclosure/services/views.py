"""Plain dictionaries for JSON output and templates. Lists never carry ID numbers."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from disclosure.models import Application, Department, Stage
from disclosure.outcomes import OUTCOMES
from disclosure.services.deadlines import compute_for, events_of
from disclosure.services.office import Office
from disclosure.services.queries import deadline_state, working_days_left
from disclosure.services.workflow import STAGE_LABELS
from rules.explain import explain

STATE_LABELS = {
    "running": "计时中",
    "paused": "暂停计时",
    "awaiting_correction": "等待补正",
    "overdue": "已超期",
    "closed_on_time": "按期办结",
    "closed_late": "逾期办结",
    "unconfirmed": "待确认收到",
}

EVENT_LABELS = {
    "registered": "登记",
    "received": "收到申请（法定收到日期）",
    "confirmed": "确认收到",
    "correction_requested": "发出补正告知",
    "correction_received": "收到补正申请",
    "extension_granted": "延期答复",
    "consultation_sent": "发出征求意见",
    "consultation_answered": "收到第三方/机关意见",
    "fee_notice_sent": "发出收费通知",
    "fee_paid": "申请人缴费",
    "deferred": "依第三十五条确定答复期限",
    "pause": "暂停计算",
    "replied": "答复",
    "withdrawn": "申请人撤回申请",
    "abandoned": "视为放弃申请",
    "assigned": "分办",
    "letter_issued": "出具文书",
    "note": "备注",
}


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def summarise(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def event_label(kind: str) -> str:
    if kind.startswith("stage:"):
        return "转入“" + STAGE_LABELS[Stage(kind.split(":", 1)[1])] + "”阶段"
    return EVENT_LABELS.get(kind, kind)


def summary(
    app: Application, office: Office, today: date, departments: dict[int, Department]
) -> dict[str, Any]:
    dep = departments.get(app.lead_department_id) if app.lead_department_id else None
    state = deadline_state(app, today)
    return {
        "number": app.number,
        "stage": app.stage,
        "stage_label": STAGE_LABELS[Stage(app.stage)],
        "channel": app.channel,
        "applicant": app.applicant_name,
        "applicant_type": app.applicant_type,
        "content_summary": summarise(app.content),
        "department": dep.code if dep else None,
        "department_name": dep.name if dep else None,
        "arrived_on": _iso(app.arrived_on),
        "received_on": _iso(app.received_on),
        "reply_due": _iso(app.reply_due),
        "next_action_due": _iso(app.next_action_due),
        "internal_target": _iso(app.internal_target),
        "working_days_left": working_days_left(app, office, today),
        "provisional": app.provisional,
        "state": state,
        "state_label": STATE_LABELS.get(state, state),
        "outcome": app.outcome,
        "closed_on": _iso(app.closed_on),
    }


def mask_id(value: str) -> str:
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def detail(
    session: Session,
    app: Application,
    office: Office,
    today: date,
    departments: dict[int, Department],
) -> dict[str, Any]:
    """Everything `show` prints: the summary, contacts, timeline, and each explanation."""
    records = events_of(session, app)
    deadlines = compute_for(app, records, office)
    out = summary(app, office, today, departments)
    out.update(
        {
            "content": app.content,
            "email": app.email,
            "phone": app.phone,
            "address": app.address,
            "id_number_masked": mask_id(app.id_number) if app.id_number else "",
            "form_wanted": app.form_wanted,
            "cooperating": list(app.cooperating),
            "case_type": app.case_type,
            "outcome_label": OUTCOMES[app.outcome].label if app.outcome else None,
            "correction_notice_due": _iso(app.correction_notice_due),
            "timeline": [
                {
                    "kind": r.kind,
                    "label": event_label(r.kind),
                    "on": r.on.isoformat(),
                    "end_on": _iso(r.end_on),
                    "due_on": _iso(r.due_on),
                    "days": r.days,
                    "party": r.party,
                    "approver": r.approver,
                    "outcome": r.outcome,
                    "amount_yuan": r.amount_yuan,
                    "note": r.note,
                    "actor": r.actor,
                    "recorded_at": r.recorded_at.isoformat(),
                }
                for r in records
            ],
            "explanation": explain(deadlines, office.calendar) if deadlines else [],
            "clocks": {k.value: v.isoformat() for k, v in deadlines.open_clocks().items()}
            if deadlines
            else {},
        }
    )
    return out
