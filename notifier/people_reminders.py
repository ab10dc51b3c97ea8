"""Reminders of the people side (issue 16): cooperating departments' due dates (协办) and
sign-offs waiting for an approver, queued in the outbox like every other clock.

- `cooperation_due:<department id>`: each cooperating department of an open case that has
  not answered, due `[office] cooperation_lead_days` working days before the internal
  target (`rules.cooperation`); warns ahead, on the day and overdue by the notifier's
  thresholds (`notifier.policy.hits`), to the office and that department (escalations to
  the leaders).
- `approval_waiting`: every working day, each approver with an e-mail gets the sign-offs
  waiting for their role (`disclosure.people.approval_queue`), due `[approval]
  warn_after_days` working days after the step became due; once late, the office is told
  too. Keyed by the day (`queue:<today>`), so each day's digest lists the queue once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, String, cast
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from disclosure.db import transaction
from disclosure.models import Application, Department, EventRecord, User
from disclosure.people.approval_queue import waiting_for
from disclosure.services.office import Office
from disclosure.services.read_model import summarise
from disclosure.vocabulary import Clock, EventKind
from notifier import outbox
from notifier.models import OutboxStatus
from notifier.policy import Thresholds, hits
from notifier.recipients import unique
from rules.cooperation import cooperation_due

SUMMARY_CHARS = 30  # as notifier.digest.SUMMARY_CHARS
COOPERATION = Clock.COOPERATION.value
APPROVAL = Clock.APPROVAL.value


def queue(
    engine: Engine, office: Office, *, today: date, now: datetime, token: str | None = None
) -> int:
    """Queue today's 协办 and sign-off reminders; returns how many rows were new."""

    wanted = set(office.settings.notifier.clocks)
    if not office.calendar.is_working_day(today) or not wanted & {COOPERATION, APPROVAL}:
        return 0
    with transaction(engine, write=False) as s:
        rows: list[dict[str, Any]] = []
        if COOPERATION in wanted:
            rows += cooperation_rows(s, office, today, now, token)
        if APPROVAL in wanted:
            rows += approval_rows(s, office, today, now, token)
    if not rows:
        return 0
    with transaction(engine) as s:
        return outbox.insert_if_absent(s, rows)


def _row(
    app: Any, clock: str, threshold: str, due: date, left: int, department: str, **more: Any
) -> dict[str, Any]:
    return {
        "application_id": app.id,
        "clock": clock,
        "threshold": threshold,
        "due_on": due,
        "number": app.number,
        "summary": summarise(app.content, SUMMARY_CHARS),
        "department": department,
        "days_left": left,
        "status": OutboxStatus.PENDING.value,
        "attempts": 0,
        "last_error": "",
        **more,
    }


def _stamp(rows: list[dict[str, Any]], today: date, now: datetime, token: str | None) -> None:
    for r in rows:
        r.update(
            queued_on=today,
            next_attempt_at=now,
            claim_token=token,
            claimed_at=now if token else None,
            created_at=now,
        )


def cooperation_rows(
    s: Session, office: Office, today: date, now: datetime, token: str | None
) -> list[dict[str, Any]]:
    settings, cal = office.settings, office.calendar
    th = Thresholds.from_settings(settings.notifier)
    lead = settings.office.cooperation_lead_days
    # A cooperation due date is at most `lead` working days before the internal target.
    horizon = cal.add_working_days(today, th.horizon + 1 + lead)
    # Only the columns used, and only cases with cooperating departments (filtered in SQL:
    # the JSON list's text is "[]" when there are none): the scan stays flat in memory.
    stmt = sa_select(
        col(Application.id),
        col(Application.number),
        col(Application.content),
        col(Application.internal_target),
        col(Application.received_on),
        col(Application.cooperating),
    ).where(
        col(Application.is_open).is_(True),
        col(Application.internal_target).is_not(None),
        col(Application.internal_target) < horizon,
        col(Application.cooperating).is_not(None),
        cast(Application.cooperating, String) != "[]",
    )
    apps = [a for a in s.execute(stmt) if a.cooperating]
    if not apps:
        return []
    answered = set(
        s.exec(
            select(EventRecord.application_id, EventRecord.party).where(
                col(EventRecord.application_id).in_([a.id for a in apps]),
                EventRecord.kind == EventKind.COOPERATION_ANSWERED.value,
            )
        )
    )
    departments = {d.code: d for d in s.exec(select(Department))}
    office_to = unique(settings.notifier.office_recipients)
    leaders = unique([ld.email for ld in settings.notifier.leaders])
    rows: list[dict[str, Any]] = []
    for app in apps:
        assert app.internal_target is not None
        due = cooperation_due(cal, app.internal_target, lead, app.received_on)
        for code in app.cooperating:
            dep = departments.get(code)
            if dep is None or (app.id, code) in answered:
                continue
            for hit in hits(COOPERATION, due, today, cal, th):
                to = leaders if hit.escalation else unique([*office_to, dep.email])
                clock = f"{COOPERATION}:{dep.id}"
                rows += [
                    _row(app, clock, hit.threshold, due, hit.days_left, dep.name, recipient=r)
                    for r in to
                ]
    _stamp(rows, today, now, token)
    return rows


def approval_rows(
    s: Session, office: Office, today: date, now: datetime, token: str | None
) -> list[dict[str, Any]]:
    settings, cal = office.settings, office.calendar
    warn = settings.approval.warn_after_days
    office_to = unique(settings.notifier.office_recipients)
    approvers = s.exec(
        select(User).where(
            col(User.approval_role).is_not(None), col(User.active).is_(True), User.email != ""
        )
    ).all()
    queues = [(user, waiting_for(s, user, settings)) for user in approvers]
    apps = _applications(s, {item["number"] for _user, items in queues for item in items})
    departments = {d.id: d.name for d in s.exec(select(Department))}
    rows: list[dict[str, Any]] = []
    late: set[tuple[str, date]] = set()
    for user, items in queues:
        for item in items:
            app = apps[item["number"]]
            due = cal.add_working_days(item["waiting_since"], warn)
            left = cal.working_days_left(today, due)
            dep_id = app.lead_department_id
            who = departments.get(dep_id, "") if dep_id else ""
            threshold = f"queue:{today.isoformat()}"
            said = {"summary": _with_reply_due(app, today, cal)}
            rows.append(
                _row(app, APPROVAL, threshold, due, left, who, recipient=user.email, **said)
            )
            if left < 0 and (item["number"], due) not in late:
                late.add((item["number"], due))
                rows += [
                    _row(
                        app,
                        APPROVAL,
                        f"overdue:{today.isoformat()}",
                        due,
                        left,
                        who,
                        recipient=r,
                        **said,
                    )
                    for r in office_to
                ]
    _stamp(rows, today, now, token)
    return rows


def _with_reply_due(app: Any, today: date, cal: Any) -> str:
    """What the approver weighs beside the wait: how near the application's own reply
    deadline is (答复期限 2026-11-30，已超期 6 个工作日；…), then what it asks for."""
    text = summarise(app.content, SUMMARY_CHARS)
    if app.reply_due is None:
        return text
    left = cal.working_days_left(today, app.reply_due)
    state = (
        f"已超期 {-left} 个工作日"
        if left < 0
        else ("今日到期" if left == 0 else f"剩余 {left} 个工作日")
    )
    return f"答复期限 {app.reply_due.isoformat()}，{state}；{text}"


LOOKUP_CHUNK = 500  # numbers per IN (...) list


def _applications(s: Session, numbers: set[str]) -> dict[str, Any]:
    """number → (id, number, content, lead department id) of the queued applications, read
    in a few queries (not one per queued sign-off)."""
    wanted = sorted(numbers)
    out: dict[str, Any] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        stmt = sa_select(
            col(Application.id),
            col(Application.number),
            col(Application.content),
            col(Application.lead_department_id),
            col(Application.reply_due),
        ).where(col(Application.number).in_(wanted[start : start + LOOKUP_CHUNK]))
        out.update((a.number, a) for a in s.execute(stmt))
    return out
