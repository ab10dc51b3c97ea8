"""Deadline webhooks: a signed POST when an application's deadline becomes due soon or overdue.

The scan reads the stored deadline columns of open applications (`reply_due`,
`internal_target`, `correction_notice_due`; only those with `next_action_due` inside the
warning horizon are read) and gives each clock a state on `today`:

- `due_soon`: at most N working days left, N the largest of `[notifier] days_ahead` (the
  e-mail reminders' first warning), including the due day itself;
- `overdue`: past the due date (never for the correction-notice date: once it has passed there
  is nothing left to do, as for the e-mail reminders).

Each (application, clock, state) is queued once per subscriber in the webhook outbox
(`api_webhook_delivery`, unique `deadline_key` = `<application id>:<clock>:<state>`) and sent
by the same claim / sign / retry machinery as the event webhooks (`api.webhooks`). A later
extension that makes a clock due soon again is not sent twice: the key is per state.
`deliver_all` is what the office daemon (`notifier.scheduler`) and `disclosure webhook
deliver` run: deadlines queued, then every due delivery sent.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from disclosure.api.models import ApiWebhook
from disclosure.api.webhooks import _DELIVERY, DeliveryResult, Send, deliver_due, post
from disclosure.db import transaction
from disclosure.models import Application, Department
from disclosure.services.office import Office
from disclosure.services.queries import department_names
from disclosure.services.views import summary
from disclosure.vocabulary import Clock
from rules.calendar import Pause, WorkingCalendar
from rules.errors import RulesError

CLOCKS = (Clock.REPLY, Clock.INTERNAL_TARGET, Clock.CORRECTION_NOTICE)
NEVER_OVERDUE = frozenset({Clock.CORRECTION_NOTICE.value})
STATES = {"due_soon": "即将到期", "overdue": "已超期"}
PAGE = 1_000


def horizon_days(office: Office) -> int:
    """Working days ahead a clock counts as due soon (the notifier's first warning)."""
    return max((d for d in office.settings.notifier.days_ahead if d > 0), default=0)


def state_of(
    clock: str,
    due: date,
    today: date,
    calendar: WorkingCalendar,
    horizon: int,
    pauses: tuple[Pause, ...] = (),
) -> tuple[str, int] | None:
    """(state, working days left) of one clock on `today`, or None (neither)."""
    left = calendar.working_days_left(today, due, pauses)
    if left < 0:
        return None if clock in NEVER_OVERDUE else ("overdue", left)
    if left <= horizon:
        return "due_soon", left
    return None


def _payload(
    app: Application,
    clock: Clock,
    due: date,
    state: str,
    left: int,
    office: Office,
    today: date,
    now: datetime,
    deps: dict[int, Department],
) -> dict[str, object]:
    label = f"{clock.label}{STATES[state]}"
    return {
        "event": {
            "id": None,
            "kind": f"deadline_{state}",
            "label": label,
            "on": today.isoformat(),
            "actor": "system",
            "recorded_at": now.isoformat(),
        },
        "deadline": {
            "clock": clock.value,
            "label": clock.label,
            "due": due.isoformat(),
            "state": state,
            "working_days_left": left,
        },
        "application": summary(app, office, today, deps),
    }


def queue_deadlines(session: Session, *, office: Office, today: date, now: datetime) -> int:
    """Queue every live subscriber's new deadline states; returns how many rows were added."""
    hooks = [
        h.id for h in session.exec(select(ApiWebhook).where(col(ApiWebhook.revoked_at).is_(None)))
    ]
    if not hooks:
        return 0
    cal, horizon = office.calendar, horizon_days(office)
    try:
        until = cal.add_working_days(today, horizon + 1)
    except RulesError:
        return 0  # today is outside the loaded calendar: nothing can be counted
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    deps = department_names(session)
    queued, last = 0, 0
    while True:
        apps = session.exec(
            select(Application)
            .where(
                col(Application.is_open).is_(True),
                col(Application.received_on).is_not(None),
                col(Application.next_action_due) < until,
                col(Application.id) > last,
            )
            .order_by(col(Application.id))
            .limit(PAGE)
        ).all()
        if not apps:
            return queued
        last = apps[-1].id or last
        for app in apps:
            pauses: tuple[Pause, ...] = ()
            if app.paused_from and app.paused_until:
                pauses = (Pause(app.paused_from, app.paused_until),)
            for clock in CLOCKS:
                due = getattr(app, clock.value)
                if due is None:
                    continue
                try:
                    found = state_of(
                        clock.value, due, today, cal, horizon,
                        pauses if clock is Clock.REPLY else (),
                    )  # fmt: skip
                except RulesError:
                    continue  # a date outside the loaded calendar
                if found is None:
                    continue
                state, left = found
                payload = _payload(app, clock, due, state, left, office, today, now, deps)
                for hook_id in hooks:
                    stmt = (
                        dialect.insert(_DELIVERY)
                        .values(
                            webhook_id=hook_id,
                            event_id=None,
                            deadline_key=f"{app.id}:{clock.value}:{state}",
                            payload=payload,
                            status="pending",
                            attempts=0,
                            next_attempt_at=now,
                            last_error="",
                            created_at=now,
                        )
                        .on_conflict_do_nothing(index_elements=["webhook_id", "deadline_key"])
                    )
                    if session.execute(stmt.returning(_DELIVERY.c.id)).first() is not None:
                        queued += 1


def any_subscriber(engine: Engine) -> bool:
    """Whether any subscription is live (one indexed query: the daemon's idle check)."""
    with transaction(engine, write=False) as session:
        stmt = select(ApiWebhook.id).where(col(ApiWebhook.revoked_at).is_(None)).limit(1)
        return session.exec(stmt).first() is not None


def deliver_all(
    engine: Engine,
    *,
    office: Office,
    today: date,
    now: datetime,
    send: Send = post,
    deadlines: bool = True,
) -> DeliveryResult:
    """Queue deadline states (unless `deadlines` is false), then queue new events and send
    every due delivery."""
    queued = 0
    if deadlines:
        with transaction(engine) as session:
            queued = queue_deadlines(session, office=office, today=today, now=now)
    result = deliver_due(engine, office=office, today=today, now=now, send=send)
    result.queued += queued
    return result


__all__ = ["STATES", "any_subscriber", "deliver_all", "horizon_days", "queue_deadlines", "state_of"]
