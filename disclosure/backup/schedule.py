"""Running backups: one function for the CLI and the office service, and the service's daily
job (APScheduler 3.x, like the reminders; wiring only).

`run_backup` writes and verifies an archive, records it in the audit log (what the dashboard
reads for "last good backup") and keeps the newest `[backup] keep` in the backup folder; a
failure is recorded too. The daily job runs at `[backup] time` in the office time zone; a
service started after that time with no good backup since then runs one a minute after
starting (an office PC switched off at night still gets its daily backup).

`backup_status` is what the dashboard says: the last good backup, or — when the newest entry
is a restore (`disclosure restore`, whose audit log predates the archives it came from) — the
restore and the backup it put back, until the next backup.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from disclosure import audit
from disclosure.backup.archive import Backup, backup_dir, prune, write_backup
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import DisclosureError
from disclosure.ops.models import AuditEntry
from disclosure.settings import Settings
from disclosure.timefmt import age_text, as_utc
from disclosure.vocabulary import AuditAction, AuditChannel

log = logging.getLogger("disclosure.backup")
CATCH_UP_DELAY = timedelta(minutes=1)
STALE_AFTER = timedelta(days=2)  # the dashboard warns when the last good backup is older


def run_backup(
    engine: Engine,
    settings: Settings,
    *,
    actor: str,
    now: datetime,
    out_dir: Path | None = None,
    via: AuditChannel = AuditChannel.CLI,
) -> Backup:
    """Write, verify and record one backup. Into the configured folder (then the newest
    `[backup] keep` are kept) unless `out_dir` names another one."""
    target = out_dir or backup_dir(settings)
    try:
        made = write_backup(engine, settings, out_dir=target, now=now)
    except (DisclosureError, OSError) as exc:
        audit.record_now(
            engine,
            actor=actor,
            action=AuditAction.BACKUP_FAILED,
            target=str(target)[-200:],
            details={"error": str(exc)[:500]},
            via=via,
            now=now,
        )
        raise
    removed = prune(target, settings.backup.keep) if out_dir is None else []
    counts = made.counts
    audit.record_now(
        engine,
        actor=actor,
        action=AuditAction.BACKUP_CREATED,
        target=str(made.path)[-200:],
        details={
            "size": made.size,
            "sha256": made.sha256,
            "applications": counts.get("application", 0),
            "events": counts.get("event", 0),
            "documents": sum(1 for name in made.manifest["files"] if name.startswith("documents/")),
            "pruned": len(removed),
        },
        personal_data=True,
        via=via,
        now=now,
    )
    return made


@dataclass(frozen=True)
class BackupStatus:
    at: datetime | None  # the last good backup (None: never, or a restore's is unknown)
    age: str
    stale: bool  # none, or older than `STALE_AFTER`; after a restore, the restore is
    restored_at: datetime | None = None  # a restore newer than every backup entry
    restored_age: str = ""


def backup_status(session: Session, *, now: datetime) -> BackupStatus:
    """The dashboard's backup line (see the module docstring): one place decides it."""
    entry = audit.last_backup(session)
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.action == AuditAction.RESTORED.value)
        .order_by(col(AuditEntry.at).desc())
        .limit(1)
    )
    restore = session.exec(stmt).first()
    if restore is not None and (entry is None or as_utc(entry.at) < as_utc(restore.at)):
        since = as_utc(restore.at)
        made = _moment((restore.details or {}).get("backup_created_at"))
        age = age_text(now - made) if made else ""
        return BackupStatus(made, age, now - since > STALE_AFTER, since, age_text(now - since))
    if entry is None:
        return BackupStatus(None, "", True)
    at = as_utc(entry.at)
    return BackupStatus(at, age_text(now - at), now - at > STALE_AFTER)


def _moment(value: object) -> datetime | None:
    try:
        return as_utc(datetime.fromisoformat(value)) if isinstance(value, str) else None
    except ValueError:
        return None


def last_good_backup(engine: Engine) -> datetime | None:
    with transaction(engine, write=False) as session:
        entry = audit.last_backup(session)
    return as_utc(entry.at) if entry is not None else None


def _job(settings: Settings, engine: Engine) -> None:
    try:
        made = run_backup(engine, settings, actor="office", now=now_utc(), via=AuditChannel.SERVICE)
        log.info("backup written: %s (%d bytes)", made.path, made.size)
    except Exception:  # the scheduler must keep running; the failure is in the audit log
        log.exception("backup failed")


def start_backup_schedule(settings: Settings, engine: Engine) -> BackgroundScheduler | None:
    """Start the daily backup in a background thread; None when `[backup] time` is empty."""
    scheduler = build_backup_scheduler(settings, engine, now=now_utc())
    if scheduler is not None:
        scheduler.start()
    return scheduler


def build_backup_scheduler(
    settings: Settings, engine: Engine, *, now: datetime
) -> BackgroundScheduler | None:
    """The jobs, not started: the daily one and, when it was missed, one a minute from `now`."""
    if not settings.backup.time:
        return None
    tz = ZoneInfo(settings.office.timezone)
    at = time.fromisoformat(settings.backup.time)
    scheduler = BackgroundScheduler(timezone=tz)
    scheduler.add_job(
        _job,
        CronTrigger(hour=at.hour, minute=at.minute, timezone=tz),
        args=[settings, engine],
        id="backup-daily",
        name=f"每日备份 {at.strftime('%H:%M')}",
        coalesce=True,
        misfire_grace_time=None,
        max_instances=1,
    )
    started = now.astimezone(tz)
    due = datetime.combine(started.date(), at, tzinfo=tz)
    if due > started:
        due -= timedelta(days=1)
    last = last_good_backup(engine)
    if last is None or last < due:
        scheduler.add_job(
            _job,
            "date",
            run_date=started + CATCH_UP_DELAY,
            args=[settings, engine],
            id="backup-catch-up",
            name="启动时补做备份",
            misfire_grace_time=None,
        )
    return scheduler
