"""Backup and restore on SQLite and PostgreSQL: a consistent copy while registrations go on,
every part restored, corrupted archives refused, occupied targets protected."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, func, inspect, text
from sqlmodel import select

from disclosure.backup import archive
from disclosure.backup import restore as restore_module
from disclosure.backup.parts import backup_parts, documents_dir
from disclosure.backup.restore import restore_backup
from disclosure.backup.schedule import run_backup
from disclosure.clock import now_utc
from disclosure.data_folder import secret_key_path
from disclosure.db import make_engine, transaction
from disclosure.errors import Conflict, InvalidInput
from disclosure.models import Application, Counter, EventRecord
from disclosure.schemas import ApplicationCreate
from disclosure.services.context import Context
from disclosure.services.office import Office
from disclosure.services.registration import register_many
from disclosure.settings import Settings
from disclosure.web.security import secret_key
from tests.conftest import NOW
from tests.ops.conftest import TODAY, register

PRELOAD = 1500  # enough rows that a backup takes longer than a registration


@pytest.fixture
def installed(settings: Settings, engine: Engine, office: Office, tmp_path: Path) -> Settings:
    """The source installation: its own config file, documents, secret key and some data."""
    home = tmp_path / "home"
    home.mkdir()
    config = home / "config.toml"
    config.write_text('[office]\nagency_name = "某市生态环境局"\n', encoding="utf-8")
    settings.config_path = str(config)
    settings.backup.dir = str(home / "backups")
    docs = documents_dir(settings)
    (docs / "3f").mkdir(parents=True)
    (docs / "3f" / "3fa9c2").write_bytes(os.urandom(20_000))
    (docs / "README").write_text("文档库", encoding="utf-8")
    secret_key(settings)
    items = [
        ApplicationCreate(
            channel="post_signed",
            arrived_on=TODAY,
            received_on=TODAY,
            applicant_name=f"申请人{i}",
            applicant_type="natural",
            content="请公开某项目的环境影响评价批复文件" * 3,
        )
        for i in range(PRELOAD)
    ]
    with transaction(engine) as session:
        register_many(session, items=items, ctx=Context(office, TODAY, "t", NOW))
    return settings


def _file_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_parts_are_found_on_this_installation(installed: Settings) -> None:
    names = {p.name for p in backup_parts(installed)}
    assert names == {"secret_key", "documents", "config"}


def test_round_trip_while_registrations_go_on(
    installed: Settings,
    engine: Engine,
    office: Office,
    other_settings: Settings,
    other_engine: Engine,
) -> None:
    committed: list[str] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def writer() -> None:
        own = make_engine(installed)  # like another process: its own connections
        try:
            while not stop.is_set():
                committed.append(register(own, office, "并发登记"))
        except BaseException as exc:
            errors.append(exc)
        finally:
            own.dispose()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while len(committed) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        before = list(committed)  # committed before the backup started
        made = run_backup(engine, installed, actor="tester", now=now_utc())
        during = len(committed) - len(before)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not errors, errors
    assert len(before) >= 5
    assert during > 0, "no registration committed while the backup ran"

    restore_backup(other_engine, other_settings, made.path, force=False, actor="t", now=now_utc())

    with transaction(other_engine, write=False) as session:
        numbers = set(session.exec(select(Application.number)).all())
        seqs = sorted(session.exec(select(Application.seq)).all())
        counter = session.get(Counter, ("application", 2026))
        orphans = session.exec(
            select(func.count())
            .select_from(Application)
            .where(~Application.id.in_(select(EventRecord.application_id)))  # type: ignore[union-attr]
        ).one()
    assert set(before) <= numbers  # everything committed before the backup started
    assert len(numbers) == made.counts["application"] >= PRELOAD + len(before)
    assert seqs == list(range(1, len(seqs) + 1))  # gapless: no half-copied transaction
    assert counter is not None and counter.last == len(seqs)
    assert orphans == 0  # every application came with its registration event
    assert _file_bytes(documents_dir(other_settings)) == _file_bytes(documents_dir(installed))
    assert secret_key_path(other_settings).read_bytes() == secret_key_path(installed).read_bytes()
    assert oct(secret_key_path(other_settings).stat().st_mode & 0o777) == "0o600"


def test_archive_is_private_and_lists_every_file(installed: Settings, engine: Engine) -> None:
    made = run_backup(engine, installed, actor="tester", now=now_utc())
    assert made.path.stat().st_mode & 0o077 == 0  # holds the secret key and personal data
    with tarfile.open(made.path, "r:gz") as tar:
        names = set(tar.getnames())
        manifest = json.loads(tar.extractfile(archive.MANIFEST).read())  # type: ignore[union-attr]
        body = tar.extractfile(archive.MANIFEST).read()  # type: ignore[union-attr]
        listed = tar.extractfile(archive.MANIFEST_SUM).read().decode().strip()  # type: ignore[union-attr]
        for name, entry in manifest["files"].items():
            data = tar.extractfile(name).read()  # type: ignore[union-attr]
            assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
    assert hashlib.sha256(body).hexdigest() == listed
    assert names == set(manifest["files"]) | {archive.MANIFEST, archive.MANIFEST_SUM}
    assert {"documents/3f/3fa9c2", "documents/README", "config/config.toml"} <= names
    assert manifest["database"]["counts"]["application"] == PRELOAD


def _rewrite(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Re-pack the archive with `change(name, data) -> data` applied to every member."""
    members = []
    with tarfile.open(path, "r:gz") as tar:
        for m in tar.getmembers():
            members.append((m, tar.extractfile(m).read()))  # type: ignore[union-attr]
    with tarfile.open(path, "w:gz") as tar:
        for m, data in members:
            data = change(m.name, data)
            m.size = len(data)
            tar.addfile(m, io.BytesIO(data))


def _flip_byte(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _alter_document(path: Path) -> None:
    _rewrite(path, lambda name, data: b"tampered" if name == "documents/README" else data)


def _drop_manifest_sum(path: Path) -> None:
    raw = io.BytesIO()
    with tarfile.open(path, "r:gz") as src, tarfile.open(fileobj=raw, mode="w:gz") as dst:
        for m in src.getmembers():
            if m.name != archive.MANIFEST_SUM:
                dst.addfile(m, src.extractfile(m))
    path.write_bytes(raw.getvalue())


def _not_gzip(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04 not a backup at all")


CORRUPTIONS = {
    "byte flipped": (_flip_byte, "已损坏"),
    "truncated": (_truncate, "已损坏"),
    "document altered": (_alter_document, "documents/README 的 SHA-256 与清单不符"),
    "manifest checksum missing": (_drop_manifest_sum, "缺少清单"),
    "not an archive": (_not_gzip, "已损坏"),
}


@pytest.mark.parametrize("corruption", list(CORRUPTIONS), ids=list(CORRUPTIONS))
def test_a_corrupted_backup_is_refused_by_verify_and_restore(
    corruption: str,
    installed: Settings,
    engine: Engine,
    other_settings: Settings,
    other_engine: Engine,
) -> None:
    made = run_backup(engine, installed, actor="tester", now=now_utc())
    damage, message = CORRUPTIONS[corruption]
    damage(made.path)
    with pytest.raises(InvalidInput) as verify_error:
        archive.verify_backup(made.path, installed)
    assert message in verify_error.value.message and verify_error.value.field == "file"
    with pytest.raises(InvalidInput) as restore_error:
        restore_backup(other_engine, other_settings, made.path, force=True, actor="t", now=NOW)
    assert message in restore_error.value.message
    with other_engine.connect() as conn:  # nothing was restored, nothing replaced
        assert "application" not in _tables(conn)
    assert not documents_dir(other_settings).exists()
    assert not Path(other_settings.backup.dir).exists()


def _claim_one_more_application(path: Path) -> None:
    """Rewrite the archive's manifest to list one application more, its checksum to match:
    an archive every file of which checks out but whose data is not what it says."""

    def inflate(name: str, data: bytes) -> bytes:
        if name == archive.MANIFEST:
            manifest = json.loads(data)
            manifest["database"]["counts"]["application"] += 1
            return json.dumps(manifest).encode()
        if name == archive.MANIFEST_SUM:
            return b""  # replaced below, once the new manifest is known
        return data

    _rewrite(path, inflate)
    with tarfile.open(path, "r:gz") as tar:
        body = tar.extractfile(archive.MANIFEST).read()  # type: ignore[union-attr]
    _rewrite(
        path,
        lambda name, data: (
            hashlib.sha256(body).hexdigest().encode() if name == archive.MANIFEST_SUM else data
        ),
    )


def test_manifest_counts_must_match_the_database(
    installed: Settings, engine: Engine, db_url: str
) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("verify counts rows of SQLite copies; a pg_dump is checked by pg_restore")
    made = run_backup(engine, installed, actor="tester", now=now_utc())
    _claim_one_more_application(made.path)
    with pytest.raises(InvalidInput, match="行数与清单不符"):
        archive.verify_backup(made.path, installed)


def test_a_restore_that_does_not_match_its_manifest_leaves_the_live_data(
    installed: Settings, engine: Engine, office: Office, db_url: str
) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite copies are counted by verify, before anything is touched")
    made = run_backup(engine, installed, actor="tester", now=now_utc())
    _claim_one_more_application(made.path)
    later = register(engine, office, "李四")  # registered after the backup
    key = secret_key_path(installed).read_bytes()
    with engine.connect() as conn:
        before = {
            t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in _tables(conn)
        }
    with pytest.raises(Conflict, match="数据库已还原为恢复前的数据"):
        restore_backup(engine, installed, made.path, force=True, actor="tester", now=now_utc())
    with engine.connect() as conn:
        after = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in _tables(conn)}
        numbers = set(conn.execute(text("SELECT number FROM application")).scalars())
        schemas = set(conn.execute(text("SELECT nspname FROM pg_namespace")).scalars())
    assert after == before and later in numbers
    assert not {s for s in schemas if s.startswith("public_before_restore")}
    assert secret_key_path(installed).read_bytes() == key  # files were not touched either


def test_numbers_issued_after_the_backup_are_not_issued_again(
    installed: Settings, engine: Engine, office: Office
) -> None:
    made = run_backup(engine, installed, actor="tester", now=now_utc())
    lost = register(engine, office, "李四")  # after the backup: the restore takes it away
    done = restore_backup(engine, installed, made.path, force=True, actor="tester", now=now_utc())
    seq = int(lost.split("-")[1])
    assert done.carried == [f"{lost[:4]} 年登记编号自 {seq + 1} 号起"]
    with engine.connect() as conn:
        numbers = set(conn.execute(text("SELECT number FROM application")).scalars())
    assert lost not in numbers  # the case itself is gone with the restore
    again = register(engine, office, "王五")
    assert again != lost and int(again.split("-")[1]) == seq + 1  # its number is not reused


def _tables(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())


def test_restore_refuses_an_occupied_database_without_force(
    installed: Settings, engine: Engine, office: Office
) -> None:
    made = run_backup(engine, installed, actor="tester", now=now_utc())
    extra = register(engine, office, "备份之后登记")  # what a restore would lose
    with pytest.raises(Conflict) as refused:
        restore_backup(engine, installed, made.path, force=False, actor="t", now=now_utc())
    assert refused.value.field == "" and "申请" in refused.value.message
    assert "请加 --force" in refused.value.message  # the way on, said once, not as a field
    with transaction(engine, write=False) as session:
        assert session.exec(select(Application).where(Application.number == extra)).one()
    assert not list(Path(installed.backup.dir).glob(f"{archive.PRE_RESTORE_PREFIX}*"))

    done = restore_backup(engine, installed, made.path, force=True, actor="t", now=now_utc())
    with transaction(engine, write=False) as session:
        gone = session.exec(select(Application).where(Application.number == extra)).first()
    assert gone is None  # the database is the backup's again
    assert done.replaced is not None and done.replaced.name.startswith(archive.PRE_RESTORE_PREFIX)
    kept = archive.verify_backup(done.replaced, installed)  # a sound copy of what was replaced
    assert kept["database"]["counts"]["application"] == made.counts["application"] + 1
    assert len(done.set_aside) == 1
    assert done.set_aside[0].name.startswith("documents.before-restore-")
    assert _file_bytes(done.set_aside[0]) == _file_bytes(documents_dir(installed))


def test_restore_refuses_a_backup_of_the_other_database_kind(
    installed: Settings, engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = run_backup(engine, installed, actor="tester", now=now_utc())
    other_kind = "postgresql" if db_url.startswith("sqlite") else "sqlite"
    monkeypatch.setattr(restore_module.database, "backend", lambda _engine: other_kind)
    with pytest.raises(InvalidInput, match="不能直接恢复"):
        restore_backup(engine, installed, made.path, force=True, actor="t", now=now_utc())


def test_keep_prunes_old_backups_but_not_pre_restore_copies(
    installed: Settings, engine: Engine
) -> None:
    installed.backup.keep = 2
    folder = Path(installed.backup.dir)
    folder.mkdir(parents=True)
    kept_aside = folder / f"{archive.PRE_RESTORE_PREFIX}20200101T000000Z{archive.SUFFIX}"
    kept_aside.write_bytes(b"x")
    old = folder / f"{archive.BACKUP_PREFIX}20200101T000000Z{archive.SUFFIX}"
    old.write_bytes(b"x")
    for _ in range(3):
        run_backup(engine, installed, actor="tester", now=now_utc())
        time.sleep(1.05)  # names carry the second
    left = sorted(p.name for p in folder.glob(f"{archive.BACKUP_PREFIX}*"))
    assert len(left) == 2 and old.name not in left
    assert kept_aside.exists()


def test_a_failed_backup_is_recorded_and_leaves_no_partial_file(
    installed: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from disclosure import audit
    from disclosure.backup import database

    def broken(*_args: object) -> object:
        raise OSError("磁盘已满")

    monkeypatch.setattr(database, "dump", broken)
    with pytest.raises(OSError):
        run_backup(engine, installed, actor="tester", now=now_utc())
    folder = Path(installed.backup.dir)
    assert list(folder.iterdir()) == []
    with transaction(engine, write=False) as session:
        failed = audit.entries(session, audit.AuditFilter(actions=["backup_failed"]))
        assert audit.last_backup(session) is None
    assert failed and "磁盘已满" in failed[0].details["error"]


def test_backup_of_a_gzip_member_is_gzip(installed: Settings, engine: Engine) -> None:
    """The archive opens with the standard tools (gzip + tar)."""
    made = run_backup(engine, installed, actor="tester", now=now_utc())
    with gzip.open(made.path) as fh, tarfile.open(fileobj=io.BytesIO(fh.read())) as tar:
        assert tar.getnames()


def test_audit_log_of_a_restored_database_is_still_append_only(
    installed: Settings,
    engine: Engine,
    other_settings: Settings,
    other_engine: Engine,
) -> None:
    made = run_backup(engine, installed, actor="tester", now=now_utc())
    restore_backup(other_engine, other_settings, made.path, force=False, actor="t", now=now_utc())
    with pytest.raises(Exception, match="append-only"), other_engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log"))
