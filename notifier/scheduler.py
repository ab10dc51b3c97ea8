"""Wiring only: APScheduler 3.x cron jobs at `[notifier] run_times` in the office timezone.

Cron knows nothing about holidays: `run_once` itself does nothing on a non-working day.
Missed runs are coalesced into one (`coalesce=True`, `misfire_grace_time=None`); the outbox's
unique key, not the scheduler, prevents duplicates when two processes run the job. A service
started after one of today's run times (a restart, or the first start of the day at 10:00)
also runs once a few seconds after starting (unless a run time is only seconds away): the
runs it missed while it was down, coalesced into one; what was sent before the restart is
not sent again. It runs once more when the claim lease has passed, for reminders still held
by a run that was killed with the previous process.

Retries do not wait for the next run time: every `RETRY_CHECK` a job looks for reminders
whose back-off has passed (5 minutes after the first failure, then 10, 20, … up to 12 hours,
see `outbox.backoff`) and delivers them (`run_retries`; one indexed query when there is
nothing to do). A mail outage in the morning is made good the same day.

Webhooks (`disclosure.api.webhook_deadlines.deliver_all`) go out from the same daemon: every
`RETRY_CHECK` new events are queued and every due delivery sent (retries included); deadline
states (due soon / overdue) are scanned at most every `DEADLINE_SCAN`. Nothing is read
beyond one indexed query while there is no live subscription. Failures are logged and shown
by `disclosure webhook list`.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine

from disclosure.api.webhook_deadlines import any_subscriber, deliver_all
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.services.office import load_office
from disclosure.settings import Settings
from notifier.outbox import CLAIM_LEASE
from notifier.scan import run_once, run_retries

log = logging.getLogger("notifier")


def job(settings: Settings, engine: Engine) -> None:
    """The daily scan (run_once logs its summary and every failure)."""
    try:
        run_once(engine, settings, now=now_utc())
    except Exception:
        log.exception("notifier run failed")  # the next run or retry check tries again
        raise


def retry_job(settings: Settings, engine: Engine) -> None:
    try:
        run_retries(engine, settings, now=now_utc())
    except Exception:
        log.exception("notifier retry failed")
        raise


DEADLINE_SCAN = timedelta(minutes=10)  # how often webhook deadline states are scanned


def webhook_job(settings: Settings, engine: Engine, last: dict[str, datetime]) -> None:
    """Queue and send webhooks (`last["deadlines"]`: when deadline states were last scanned)."""
    try:
        now = now_utc()
        if not any_subscriber(engine):
            return
        with transaction(engine, write=False) as s:
            office = load_office(s, settings)
        scan = now - last.get("deadlines", datetime.min.replace(tzinfo=now.tzinfo)) >= DEADLINE_SCAN
        today = now.astimezone(ZoneInfo(settings.office.timezone)).date()
        done = deliver_all(engine, office=office, today=today, now=now, deadlines=scan)
        if scan:
            last["deadlines"] = now
        if done.delivered or done.retrying or done.failed:
            log.info(
                "webhooks: queued %d, delivered %d, retrying %d, failed %d",
                done.queued, done.delivered, done.retrying, done.failed,
            )  # fmt: skip
        if done.failed:
            log.warning("webhooks: %d deliveries failed (disclosure webhook list)", done.failed)
    except Exception:
        log.exception("webhook delivery failed")
        raise


def configure_logging() -> None:
    """Send the notifier's log (every failure, and a summary of each run) to stderr with a
    time stamp, once per process, unless the application configured logging itself."""
    if not log.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)


CATCH_UP_DELAY = timedelta(seconds=5)
RETRY_CHECK = timedelta(minutes=1)  # how often the daemon looks for retries that are due


def build_scheduler(
    settings: Settings, engine: Engine, *, background: bool = False, now: datetime | None = None
) -> BaseScheduler:
    configure_logging()
    tz = ZoneInfo(settings.office.timezone)
    cls = BackgroundScheduler if background else BlockingScheduler
    scheduler = cls(timezone=tz)
    started = (now or now_utc()).astimezone(tz)
    times = [time.fromisoformat(value) for value in settings.notifier.run_times]
    clock = started.time().replace(tzinfo=None)
    soon = (started + 2 * CATCH_UP_DELAY).time().replace(tzinfo=None)
    if any(at <= clock for at in times) and not any(clock < at <= soon for at in times):
        # Now, and once more after the claim lease: reminders held by a run that was killed
        # with the previous process (they are free again only when its lease ends).
        for n, delay in enumerate((CATCH_UP_DELAY, CLAIM_LEASE + timedelta(minutes=1))):
            scheduler.add_job(
                job,
                "date",
                run_date=started + delay,
                args=[settings, engine],
                id="notify-catch-up" if n == 0 else "notify-catch-up-lease",
                name="期限提醒（启动时补做今天已过时点的检查）",
                misfire_grace_time=None,
            )
    for at in times:
        scheduler.add_job(
            job,
            CronTrigger(hour=at.hour, minute=at.minute, timezone=tz),
            args=[settings, engine],
            id=f"notify-{at.strftime('%H%M')}",
            name=f"期限提醒 {at.strftime('%H:%M')}",
            coalesce=True,
            misfire_grace_time=None,
            max_instances=1,
            replace_existing=True,
        )
    scheduler.add_job(
        retry_job,
        "interval",
        seconds=RETRY_CHECK.total_seconds(),
        args=[settings, engine],
        id="notify-retry",
        name="期限提醒（失败后按退避时间重试）",
        coalesce=True,
        max_instances=1,
        replace_existing=True,
    )
    scheduler.add_job(
        webhook_job,
        "interval",
        seconds=RETRY_CHECK.total_seconds(),
        args=[settings, engine, {}],
        id="webhooks",
        name="事件推送（Webhook）发送与期限状态检查",
        next_run_time=started + CATCH_UP_DELAY,
        coalesce=True,
        max_instances=1,
        replace_existing=True,
    )
    return scheduler
