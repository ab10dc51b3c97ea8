"""The notifier job: given `now`, find what is due, queue it in the outbox, send digests.

Memory stays flat in the number of applications: open applications are read in pages of
`PAGE` by primary key (keyset pagination), only those with a clock inside the warning horizon
(`is_open` and `next_action_due < horizon`: the stored minimum over every open clock), and
each page is queued in its own short write transaction. Digests are then built per recipient
from the outbox rows claimed for that recipient.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time
from functools import partial
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, false, func
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from disclosure.db import transaction
from disclosure.errors import DisclosureError
from disclosure.models import Application, Department, EventRecord
from disclosure.services.deadlines import compute_for
from disclosure.services.office import Office, load_office
from disclosure.services.read_model import summarise
from disclosure.settings import Settings
from disclosure.tasks.reminders import task_reminders
from notifier import outbox, people_reminders
from notifier.delivery import ScanResult, deliver
from notifier.digest import SUMMARY_CHARS
from notifier.mail import EmlSender, Sender, make_sender
from notifier.models import OFFICE_WIDE, OutboxStatus
from notifier.policy import (
    UNCONFIRMED_ARRIVAL,
    Hit,
    Thresholds,
    coverage_warning,
    hits,
)
from notifier.recipients import HANDLER_EMAIL, handler_join, unique, with_handler
from notifier.writer import Writer
from rules.calendar import Pause, WorkingCalendar
from rules.engine import Deadlines

__all__ = ["ScanResult", "collect", "local_today", "run_once", "run_retries"]

log = logging.getLogger("notifier")
PAGE = 5_000  # applications per read; their reminders (~14,000 rows) queued in one short
# write transaction: a page's rows are the notifier's largest working set (memory flat in N)
STORED_CLOCKS = {"reply_due", "internal_target"}  # no event query needed at all
RECIPIENT = outbox.INSERT_COLUMNS.index("recipient")  # in the rows `_rows` makes


def local_today(settings: Settings, now: datetime) -> date:
    return now.astimezone(ZoneInfo(settings.office.timezone)).date()


def run_once(
    engine: Engine,
    settings: Settings,
    *,
    now: datetime,
    today: date | None = None,
    sender: Sender | None = None,
) -> ScanResult:
    """One scan: queue today's reminders, then deliver every due digest. Safe to re-run."""
    today = today or local_today(settings, now)
    with transaction(engine, write=False) as s:
        office = load_office(s, settings)
    result = ScanResult(today=today.isoformat())
    if not office.calendar.is_working_day(today):
        result.working_day = False
        result.pending = outbox.counts(engine)[OutboxStatus.PENDING.value]
        return result
    token = outbox.new_token()  # this run's claim: stamped on the rows it queues
    own_sender = sender is None
    try:
        result.queued = collect(engine, office, today=today, now=now, token=token)
        sender = sender or make_sender(settings)
        result.transport = sender.describe()
        try:
            deliver(engine, office, sender, today=today, now=now, result=result, token=token)
        finally:
            if own_sender:
                sender.close()
    except BaseException:
        # Whatever this run could not deliver goes back to the pool at once, for the next
        # run, instead of waiting for the claim lease (a killed process's rows do wait).
        outbox.release(engine, token)
        raise
    if isinstance(sender, EmlSender):
        result.outbox_dir = str(sender.folder)
    result.pending = outbox.counts(engine)[OutboxStatus.PENDING.value]
    log.info("notifier run: %s", result.summary())
    return result


def run_retries(engine: Engine, settings: Settings, *, now: datetime) -> ScanResult | None:
    """Deliver only what waits for a retry (or was left by a killed run) and is due now: the
    daemon calls this every few minutes, so a mail outage in the morning is made good the
    same day instead of at the next run time. None when nothing is due (one indexed query).
    Nothing is sent on a non-working day, nor before the day's first run time (those rows
    go into that run's digest)."""
    if not outbox.recipients_due(engine, now):
        return None
    tz = ZoneInfo(settings.office.timezone)
    local = now.astimezone(tz)
    first = min(time.fromisoformat(t) for t in settings.notifier.run_times)
    if local.time().replace(tzinfo=None) < first:
        return None
    today = local.date()
    with transaction(engine, write=False) as s:
        office = load_office(s, settings)
    if not office.calendar.is_working_day(today):
        return None
    result = ScanResult(today=today.isoformat())
    sender = make_sender(settings)
    result.transport = sender.describe()
    try:
        deliver(engine, office, sender, today=today, now=now, result=result)
    finally:
        sender.close()
    result.pending = outbox.counts(engine)[OutboxStatus.PENDING.value]
    log.info("notifier retry: %s", result.summary())
    return result


# -- collecting ---------------------------------------------------------------------------
def collect(
    engine: Engine, office: Office, *, today: date, now: datetime, token: str | None = None
) -> int:
    """Queue today's reminders; new rows are pre-claimed with `token` (None: unclaimed)."""
    settings = office.settings
    th = Thresholds.from_settings(settings.notifier)
    wanted = set(settings.notifier.clocks)
    # The first day with more working days left than the earliest warning: a due date on or
    # after it fires nothing (also when it falls on a weekend after the last warning day).
    horizon = office.calendar.add_working_days(today, th.horizon + 1)
    with transaction(engine, write=False) as s:
        departments = {d.id: d for d in s.exec(select(Department)).all()}
    queued = 0
    warn = coverage_warning(office.calendar, today, settings.notifier.calendar_warning_days)
    if warn is not None:
        warn_rows = _rows(
            None, warn, unique(settings.notifier.office_recipients), "", today, now, token
        )
        with transaction(engine) as s:
            queued += outbox.insert_values(s, warn_rows)
    need_events = bool(wanted - STORED_CLOCKS)
    office_to = unique(settings.notifier.office_recipients)
    leaders = unique([ld.email for ld in settings.notifier.leaders])
    to_by_dep = {i: unique([*office_to, d.email]) for i, d in departments.items()}
    with transaction(engine, write=False) as s:  # key tasks (disclosure.tasks.reminders)
        task_rows: list[tuple[Any, ...]] = []
        for t in task_reminders(s, wanted=wanted, today=today):
            for hit in hits(t.clock, t.due, today, office.calendar, th):
                to = leaders if hit.escalation else unique([*office_to, *t.emails])
                task_rows.extend(_rows(t, hit, to, t.department, today, now, token))
    if task_rows:
        with transaction(engine) as s:
            queued += outbox.insert_values(s, task_rows)
    queued += people_reminders.queue(engine, office, today=today, now=now, token=token)
    # Recipients per (department, handler) and hits per (clock, due date, pauses): both
    # repeat across thousands of applications, so each is worked out once per scan.
    to_of: dict[tuple[int | None, str | None], list[str]] = {}
    hit_memo: dict[tuple[str, date, tuple[Pause, ...]], list[Hit]] = {}
    new = [queued]  # rows queued so far (page inserts add theirs as they finish)
    with Writer() as writer:  # a page is inserted while the next one is read and computed
        for apps, computed in _pages(engine, office, horizon, today, need_events=need_events):
            rows: list[tuple[Any, ...]] = []
            for app in apps:
                dep = departments.get(app.lead_department_id) if app.lead_department_id else None
                key = (dep.id if dep is not None else None, app.handler_email)
                recipients = to_of.get(key)
                if recipients is None:  # issue 16: the handler is told too
                    base = to_by_dep[dep.id] if dep is not None else office_to
                    recipients = to_of[key] = with_handler(base, app.handler_email)
                app_hits = _app_hits(
                    app, computed, today, office.calendar, th, wanted, horizon, hit_memo
                )
                for hit in app_hits:
                    to = leaders if hit.escalation else recipients
                    rows.extend(_rows(app, hit, to, dep.name if dep else "", today, now, token))
            # One write transaction per page; the rows go in grouped by recipient so that
            # each recipient's rows share table pages (its "sent" UPDATE then rewrites a
            # fraction of the table, not all of it).
            rows.sort(key=itemgetter(RECIPIENT))
            writer.submit(partial(_insert, engine, rows), then=partial(_add, new))
    return new[0]


def _insert(engine: Engine, rows: list[tuple[Any, ...]]) -> int:
    """One page's rows, in their own write transaction (run by the scan's `Writer`)."""
    with transaction(engine) as s:
        return outbox.insert_values(s, rows)


def _add(total: list[int], n: int) -> None:
    total[0] += n


# Clocks other than reply, internal target and correction notice only start with these events;
# an application whose log has none of them has exactly the clocks stored in its columns.
CLOCK_EVENTS = ("correction_requested", "consultation_sent", "fee_notice_sent")
APP_COLUMNS = (
    col(Application.id),
    col(Application.number),
    func.substr(col(Application.content), 1, 200).label("content"),
    col(Application.lead_department_id),
    col(Application.arrived_on),
    col(Application.received_on),
    col(Application.reply_due),
    col(Application.internal_target),
    col(Application.correction_notice_due),
    col(Application.paused_from),
    col(Application.paused_until),
    HANDLER_EMAIL,  # the handler's address, or None (outer join below)
)


def _pages(
    engine: Engine, office: Office, horizon: date, today: date, *, need_events: bool
) -> Iterator[tuple[list[Any], dict[int, Deadlines | None]]]:
    """Open applications with a clock before `horizon` or an unconfirmed arrival, by id.

    Yields plain rows (only the columns a reminder needs) and, for the few applications whose
    event log starts other clocks, the engine's full view.
    """
    due_soon = col(Application.next_action_due) < horizon
    unconfirmed = col(Application.received_on).is_(None) & (col(Application.arrived_on) < today)
    # `coalesce(is_open, false)`, not `is_open`: SQLite (no statistics) would otherwise read
    # every open application through an `is_open` index and sort them all for each page
    # (quadratic in N); this way each page is one range of the primary key, as on PostgreSQL.
    is_open = func.coalesce(col(Application.is_open), false()).is_(True)
    last = 0
    while True:
        with transaction(engine, write=False) as s:
            s.info["office"] = office
            stmt = (
                core_select(*APP_COLUMNS)  # SQLModel's `select` is typed for four columns
                .select_from(Application)
                .outerjoin(*handler_join())
                .where(is_open, due_soon | unconfirmed)
                .where(col(Application.id) > last)
                .order_by(col(Application.id))
                .limit(PAGE)
            )
            apps = list(s.execute(stmt).all())
            if not apps:
                return
            computed = _computed(s, [a.id for a in apps if a.received_on]) if need_events else {}
        last = apps[-1].id
        yield apps, computed


def _computed(session: Session, ids: list[int]) -> dict[int, Deadlines | None]:
    if not ids:
        return {}
    office = session.info["office"]
    # The page's id range, not an IN list of its ids: one index range instead of thousands
    # of bound parameters (SQLAlchemy expands and binds each one); ids outside the page's
    # selection (closed, not yet received, nothing due) are dropped here.
    page = set(ids)
    stmt = (
        select(EventRecord.application_id)
        .where(
            col(EventRecord.application_id).between(min(ids), max(ids)),
            col(EventRecord.kind).in_(CLOCK_EVENTS),
        )
        .distinct()
    )
    complex_ids = [i for (i,) in session.execute(stmt) if i in page]
    if not complex_ids:
        return {}
    records: dict[int, list[EventRecord]] = defaultdict(list)
    stmt2 = (
        select(EventRecord)
        .where(col(EventRecord.application_id).in_(complex_ids))
        .order_by(col(EventRecord.application_id), col(EventRecord.on), col(EventRecord.id))
    )
    for rec in session.exec(stmt2):
        records[rec.application_id].append(rec)
    out: dict[int, Deadlines | None] = {}
    for app in session.exec(select(Application).where(col(Application.id).in_(complex_ids))):
        assert app.id is not None  # a stored row
        try:
            out[app.id] = compute_for(app, records[app.id], office)
        except DisclosureError:
            out[app.id] = None  # an inconsistent log: warn on the stored dates only
    return out


def _app_hits(
    app: Any,
    computed: dict[int, Deadlines | None],
    today: date,
    cal: WorkingCalendar,
    th: Thresholds,
    wanted: set[str],
    horizon: date,
    memo: dict[tuple[str, date, tuple[Pause, ...]], list[Hit]] | None = None,
) -> list[Hit]:
    """The hits of one application; `memo` keeps `hits` by (clock, due date, pauses) (a
    `Hit` is immutable, so applications with the same dates share them)."""
    if app.received_on is None:
        if UNCONFIRMED_ARRIVAL in wanted and app.arrived_on is not None:
            return hits(UNCONFIRMED_ARRIVAL, app.arrived_on, today, cal, th)
        return []
    pauses: tuple[Pause, ...] = ()
    if app.paused_from and app.paused_until:
        pauses = (Pause(app.paused_from, app.paused_until),)
    clocks: dict[str, date | None] = {
        "reply_due": app.reply_due,
        "internal_target": app.internal_target,
        "correction_notice_due": app.correction_notice_due,
    }
    d = computed.get(app.id)
    if d is not None:
        clocks = {k.value: v for k, v in d.open_clocks().items()}
        pauses = d.pauses
    out: list[Hit] = []
    for clock, due in clocks.items():
        if due is None or clock not in wanted:
            continue
        paused = pauses if clock == "reply_due" else ()
        if due >= horizon and not paused:
            continue  # more working days left than the earliest warning: nothing fires
        if memo is None:
            out.extend(hits(clock, due, today, cal, th, paused))
            continue
        key = (clock, due, paused)
        found = memo.get(key)
        if found is None:
            found = memo[key] = hits(clock, due, today, cal, th, paused)
        out.extend(found)
    return out


def _rows(
    app: Any,
    hit: Hit,
    recipients: list[str],
    department: str,
    today: date,
    now: datetime,
    token: str | None = None,
) -> list[tuple[Any, ...]]:
    """Outbox rows for one hit (`recipients` already `unique`), as tuples in
    `outbox.INSERT_COLUMNS` order. Only the number, a content summary and the department are
    copied: never the applicant's ID number, phone or address."""
    key = (app.id if app else OFFICE_WIDE, hit.clock, hit.threshold, hit.due)
    shown = (
        app.number if app else "",
        summarise(app.content, SUMMARY_CHARS) if app else "",
        department,
        hit.days_left,
        today,  # queued_on
        OutboxStatus.PENDING.value,
        0,  # attempts
        now,  # next_attempt_at
        token,  # claim_token
        now if token else None,  # claimed_at
        "",  # last_error
        now,  # created_at
    )
    return [(*key, r, *shown) for r in recipients]
