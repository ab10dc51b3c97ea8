"""Plain dictionaries for JSON output and templates. Lists never carry ID numbers."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from disclosure.models import Applicant, Application, Department
from disclosure.outcomes import OUTCOMES
from disclosure.services.deadlines import compute_for, events_of
from disclosure.services.facts import deadline_facts
from disclosure.services.office import Office
from disclosure.services.read_model import listed
from disclosure.services.timeline import entry
from disclosure.vocabulary import Channel, DeadlineState
from rules.explain import explain


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


# An application registered with this many working days left, or fewer, is flagged as it
# is registered (a late-arriving post or a backlog typed in): practice convention.
REGISTRATION_SOON = 3


def days_left_text(state: str | None, left: int | None, long: bool = False) -> str:
    """The working days left as people say them: 已超期 N 个工作日 / 今日到期 / N, or with
    `long` 还有 N 个工作日 (a list's column header already says 剩余工作日). One wording for
    the web's lists and the CLI's."""
    if left is None:
        return "—"
    running = state in (DeadlineState.RUNNING.value, DeadlineState.OVERDUE.value)
    if state == DeadlineState.OVERDUE.value or (running and left < 0):
        return f"已超期 {abs(left)} 个工作日" if left else "已超期"
    if running and left == 0:
        return "今日到期"
    return f"还有 {left} 个工作日" if long else str(left)


_WEEKDAYS = "一二三四五六日"


def receipt_day_hint(channel: str, received: date | None, office: Office) -> str | None:
    """An application handed in at the counter on a day the office is closed is most often a
    mistyped date: said as it is registered (the count itself starts on the next working
    day, rulebook §2.2). Posted, online and faxed ones may well arrive on such a day."""
    if channel != Channel.IN_PERSON.value or received is None:
        return None
    cal = office.calendar
    if not cal.first_day <= received <= cal.last_day or cal.is_working_day(received):
        return None
    info = cal.describe(received)
    what = f"周{_WEEKDAYS[received.weekday()]}" + (f"，{info.name}" if info.name else "")
    return (
        f"注意：收到日期 {received.isoformat()}（{what}）不是工作日，当面提交的请核对日期；"
        "答复期限自其后第一个工作日起算。"
    )


def registration_warning(state: str | None, left: int | None) -> tuple[str, str] | None:
    """What registering says when the new application is already overdue or nearly due, as
    (level, text) with level "error" or "warn"; None when there is time. One wording for the
    CLI (stderr) and the web (a flash)."""
    if state == DeadlineState.OVERDUE.value:
        late = f"已超期 {abs(left)} 个工作日" if left else "已超期"
        return "error", f"注意：该申请登记时已超过答复期限（{late}），请尽快答复。"
    if left is not None and left <= REGISTRATION_SOON:
        soon = "今日到期" if left == 0 else f"还有 {left} 个工作日"
        return "warn", f"注意：答复期限临近（{soon}）。"
    return None


def summary(
    app: Application, office: Office, today: date, departments: dict[int, Department]
) -> dict[str, Any]:
    """The read model's JSON of one application (`read_model.Listed.as_dict`)."""
    return listed(app, office, today, departments).as_dict()


def mask_id(value: str) -> str:
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def _credit_code(session: Session, app: Application) -> str:
    who = session.get(Applicant, app.applicant_id) if app.applicant_id is not None else None
    return who.credit_code if who is not None else ""


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
    by_code = {d.code: d.name for d in departments.values()}
    out.update(
        {
            "content": app.content,
            "email": app.email,
            "phone": app.phone,
            "address": app.address,
            "id_number_masked": mask_id(app.id_number) if app.id_number else "",
            # an organisation's unified social credit code: public, shown whole
            "credit_code": _credit_code(session, app),
            "form_wanted": app.form_wanted,
            "cooperating": list(app.cooperating),
            "cooperating_names": [by_code.get(c, c) for c in app.cooperating],
            "case_type": app.case_type,
            "outcome_label": OUTCOMES[app.outcome].label if app.outcome else None,
            "correction_notice_due": _iso(app.correction_notice_due),
            "timeline": [entry(r, by_code) for r in records],
            "explanation": explain(deadlines, office.calendar) if deadlines else [],
            "clocks": {k.value: v.isoformat() for k, v in deadlines.open_clocks().items()}
            if deadlines
            else {},
            "facts": deadline_facts(deadlines, today) if deadlines else None,
        }
    )
    return out
