"""Wiring only: APScheduler 3.x cron jobs at `[notifier] run_times` in the office timezone.

Cron knows nothing about holidays: `run_once` itself does nothing on a non-working day.
Missed runs are coalesced into one (`coalesce=True`, `misfire_grace_time=None`); the outbox's
unique key, not the scheduler, prevents duplicates when two processes run the job.
"""

from __future__ import annotations

import logging
from datetime import time
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine

from disclosure.clock import now_utc
from disclosure.settings import Settings
from notifier.scan import run_once

log = logging.getLogger("notifier")


def job(settings: Settings, engine: Engine) -> None:
    result = run_once(engine, settings, now=now_utc())
    log.info("notifier run: %s", result.as_dict())


def build_scheduler(
    settings: Settings, engine: Engine, *, background: bool = False
) -> BaseScheduler:
    tz = ZoneInfo(settings.office.timezone)
    cls = BackgroundScheduler if background else BlockingScheduler
    scheduler = cls(timezone=tz)
    for value in settings.notifier.run_times:
        at = time.fromisoformat(value)
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
    return scheduler
