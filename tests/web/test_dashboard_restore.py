"""After `disclosure restore … --force` the dashboard counts the restore: the restored audit log
predates the archives it came from, so it names the restore and the backup it put back
instead of saying 尚无成功的备份, until the next backup."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from disclosure.backup.restore import documents_dir, restore_backup
from disclosure.backup.schedule import run_backup
from disclosure.db import transaction
from disclosure.services.office import Office
from disclosure.settings import Settings
from disclosure.timefmt import local_time
from tests.ops.conftest import register


def _backup_line(html: str) -> str:
    """The dashboard's backup line (a muted paragraph, or an alert when it is stale)."""
    found = re.search(r'<(p|div) class="[^"]*\bbackup\b[^"]*"[^>]*>(.*?)</\1>', html, re.S)
    assert found, "no backup line on the dashboard"
    return found.group(0)


def _backup_then_restore(
    settings: Settings, engine: Engine, tmp_path: Path, *, made_at: datetime, restored: datetime
) -> None:
    settings.backup.dir = str(tmp_path / "backups")
    made = run_backup(engine, settings, actor="office", now=made_at)
    restore_backup(engine, settings, made.path, force=True, actor="admin", now=restored)


def test_a_fresh_restore_names_the_backup_it_put_back(  # type: ignore[no-untyped-def]
    settings: Settings, engine: Engine, office: Office, tmp_path: Path, client_for
) -> None:
    register(engine, office)
    now = datetime.now(UTC)
    made_at = now - timedelta(hours=5)
    _backup_then_restore(settings, engine, tmp_path, made_at=made_at, restored=now)
    admin = client_for("admin")
    html = admin.get("/").text
    line = _backup_line(html)
    tz = settings.office.timezone
    assert "尚无成功的备份" not in html
    assert f"最近一次恢复：{local_time(now, tz)}（刚刚）" in line
    assert f"自 {local_time(made_at, tz)} 的备份恢复；此后尚无新的备份" in line
    assert 'role="alert"' not in line and "muted" in line  # a fresh restore is no alarm

    # The next backup is the last good one again.
    run_backup(engine, settings, actor="office", now=datetime.now(UTC))
    html = admin.get("/").text
    assert "最近一次成功备份：" in html and "最近一次恢复" not in html


def test_no_backup_for_two_days_after_a_restore_is_an_alarm(  # type: ignore[no-untyped-def]
    settings: Settings, engine: Engine, tmp_path: Path, client_for
) -> None:
    now = datetime.now(UTC)
    made_at, restored = now - timedelta(days=5), now - timedelta(days=3)
    _backup_then_restore(settings, engine, tmp_path, made_at=made_at, restored=restored)
    html = client_for("clerk").get("/").text
    line = _backup_line(html)
    assert line.startswith('<div class="flash error backup" role="alert">')
    tz = settings.office.timezone
    assert "尚无成功的备份" not in html
    assert f"最近一次恢复：{local_time(restored, tz)}（3 天前）" in line
    assert f"自 {local_time(made_at, tz)} 的备份恢复；此后尚无新的备份" in line
    assert "请系统管理员检查每日备份" in line
    from disclosure.backup.schedule import backup_status  # the one function deciding it

    with transaction(engine, write=False) as session:
        status = backup_status(session, now=now)
    assert status.stale and status.at == made_at and status.restored_at == restored


def test_two_restores_in_one_second_keep_both_documents_set_aside(
    settings: Settings, engine: Engine, office: Office, tmp_path: Path
) -> None:
    """The documents folder replaced by a restore is kept under a name from the restore's
    second; a second restore in that second keeps the first one's too (CI found the clash)."""
    register(engine, office)
    now = datetime(2026, 12, 4, 15, 30, 35, tzinfo=UTC)
    settings.backup.dir = str(tmp_path / "backups")
    docs = documents_dir(settings)
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "scan.txt").write_text("扫描件", encoding="utf-8")
    made = run_backup(engine, settings, actor="office", now=now - timedelta(hours=1))
    first = restore_backup(engine, settings, made.path, force=True, actor="admin", now=now)
    second = restore_backup(engine, settings, made.path, force=True, actor="admin", now=now)
    kept = [p for p in first.set_aside + second.set_aside if ".before-restore-" in p.name]
    assert len(kept) == 2 and kept[0] != kept[1] and all(p.is_dir() for p in kept)
