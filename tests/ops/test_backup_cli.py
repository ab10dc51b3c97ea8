"""The backup commands as an office runs them, and the office service's daily backup."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from disclosure import audit
from disclosure.backup.schedule import build_backup_scheduler
from disclosure.db import transaction
from disclosure.settings import Settings
from disclosure.vocabulary import AuditAction


def _archive(folder: Path) -> Path:
    found = sorted(folder.glob("disclosure-backup-*.tar.gz"))
    assert len(found) == 1, found
    return found[0]


def test_backup_verify_and_restore_commands(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli(
        "register", "--channel", "in_person", "--applicant", "张三", "--applicant-type",
        "natural", "--content", "某文件", "--received", "2026-11-02", "--today", "2026-11-27",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    r = cli("backup", "--out", str(tmp_path / "bk"))
    assert r.exit_code == 0, r.stderr
    assert "已校验" in r.stdout and "申请 1 件" in r.stdout
    made = _archive(tmp_path / "bk")

    r = cli("backup", "verify", str(made))
    assert r.exit_code == 0 and "备份完好" in r.stdout

    r = cli("restore", str(made))  # the database it came from is not empty
    assert r.exit_code == 5
    assert "目标不是空的" in r.stderr and "--force" in r.stderr
    assert "Traceback" not in r.stderr

    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(made.read_bytes()[:-200])
    for args in (("backup", "verify", str(damaged)), ("restore", "--force", str(damaged))):
        r = cli(*args)
        assert r.exit_code == 2 and "文件:" in r.stderr and "已损坏" in r.stderr, args
        assert len(r.stderr.strip().splitlines()) == 1

    r = cli("backup", "verify", str(tmp_path / "missing.tar.gz"))
    assert r.exit_code == 2 and "不存在" in r.stderr

    r = cli("restore", "--force", str(made))
    assert r.exit_code == 0, r.stderr
    assert "原有数据已另行备份" in r.stdout and "逐表行数核对无误" in r.stdout


def test_restore_into_a_database_with_data_says_so_without_table_names(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("backup", "--out", str(tmp_path / "bk")).exit_code == 0
    made = _archive(tmp_path / "bk")
    r = cli(
        "register", "--channel", "in_person", "--applicant", "张三", "--applicant-type",
        "natural", "--content", "某文件", "--received", "2026-11-02", "--today", "2026-11-27",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert cli("token", "add", "--name", "platform").exit_code == 0  # api_token: unlabelled
    r = cli("restore", str(made))
    assert r.exit_code == 5
    assert r.stderr.strip() == (
        "错误：目标不是空的：数据库中已有数据（申请 1 件及其他数据）；"
        "确需用备份覆盖，请加 --force（将先把现有数据另行备份）"
    )
    r = cli("list", "--json", "--today", "2026-11-27")
    assert len(json.loads(r.stdout)) == 1  # nothing was replaced


def test_the_refusal_counts_applications_and_users_only(tmp_path: Path) -> None:
    from disclosure.backup.restore import occupied_text

    assert occupied_text({}, tmp_path, False) == ""
    assert occupied_text({"api_token": 1}, tmp_path, False) == "数据库中已有数据"
    assert occupied_text({"user": 2, "application": 3}, tmp_path, False) == (
        "数据库中已有数据（申请 3 件、用户 2 个）"
    )
    assert occupied_text({"user": 1, "event": 4}, tmp_path / "docs", True) == (
        f"数据库中已有数据（用户 1 个及其他数据），文档库中已有文件（{tmp_path / 'docs'}）"
    )


def test_audit_list_shows_backups_in_office_time(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("backup", "--out", str(tmp_path / "bk")).exit_code == 0
    r = cli("audit", "list", "--action", "backup_created", "--json")
    assert r.exit_code == 0, r.stderr
    import json

    rows = json.loads(r.stdout)
    assert [row["action"] for row in rows] == ["backup_created"]
    at = datetime.fromisoformat(rows[0]["at"])
    expected = at.astimezone(UTC) + timedelta(hours=8)  # Asia/Shanghai, no DST
    assert rows[0]["at_local"] == expected.strftime("%Y-%m-%d %H:%M")
    assert rows[0]["personal_data"] is True
    r = cli("audit", "list", "--action", "nonsense")
    assert r.exit_code == 2 and "action" in r.stderr


def _jobs(scheduler) -> set[str]:  # type: ignore[no-untyped-def]
    return {job.id for job in scheduler.get_jobs()}


def test_service_catches_up_a_missed_daily_backup(settings: Settings, engine: Engine) -> None:
    settings.backup.time = "02:00"
    ten_am = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, after 02:00
    scheduler = build_backup_scheduler(settings, engine, now=ten_am)
    assert scheduler is not None
    assert _jobs(scheduler) == {"backup-daily", "backup-catch-up"}  # none yet: catch up

    with transaction(engine) as session:  # a good backup at 03:00 today (Shanghai)
        audit.record(
            session,
            actor="office",
            action=AuditAction.BACKUP_CREATED,
            via="service",
            now=datetime(2026, 11, 30, 19, 0, tzinfo=UTC),
        )
    scheduler = build_backup_scheduler(settings, engine, now=ten_am)
    assert scheduler is not None
    assert _jobs(scheduler) == {"backup-daily"}

    settings.backup.time = ""
    assert build_backup_scheduler(settings, engine, now=ten_am) is None
