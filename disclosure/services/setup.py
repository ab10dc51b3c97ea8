"""Creating or migrating the database, checking it, and seeding configured data.

`ensure_database` migrates (for `disclosure init`, `office`, `serve` and tests);
`check_database` is what every other command runs: one query of the schema version and a
read of the departments, with no write transaction unless config.toml changed a department
(or the database is new and empty, which nobody else can be using).
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, select

from disclosure.db import transaction
from disclosure.errors import ConfigError
from disclosure.migrate import known_revisions, stored_revision, upgrade
from disclosure.models import Department
from disclosure.services.departments import sync_from_settings
from disclosure.settings import Settings
from disclosure.vocabulary import AuditAction, AuditChannel


def ensure_database(engine: Engine, settings: Settings) -> None:
    """Migrate to the newest schema and sync departments from config.toml."""
    upgrade(engine)
    with transaction(engine) as session:
        _sync_departments(session, settings)


def check_database(engine: Engine, settings: Settings) -> None:
    """The schema is this program's (else a Chinese message naming `disclosure init`), and
    the departments are those of config.toml (written only when they differ)."""
    current = stored_revision(engine)
    if current is None:
        ensure_database(engine, settings)  # a new register: create it
        return
    revisions, head = known_revisions()
    if current not in revisions:
        raise ConfigError(
            f"数据库结构版本 {current} 由更新版本的程序创建，请升级本程序后再使用。",
            field="database",
        )
    if current != head:
        raise ConfigError(
            f"数据库结构版本为 {current}，本程序需要 {head}：请先运行 disclosure init 升级数据库"
            "（升级前请停止正在运行的 disclosure office、serve、notify）。",
            field="database",
        )
    if departments_differ(engine, settings):
        with transaction(engine) as session:
            _sync_departments(session, settings)


def _sync_departments(session: Session, settings: Settings) -> None:
    """Departments from config.toml into the database; a change goes into the audit log."""
    changed = sync_from_settings(session, settings)
    if changed:
        from disclosure import audit  # its tables' models: only when there is a line to write

        audit.record(
            session,
            actor="config.toml",
            action=AuditAction.DEPARTMENT_CHANGED,
            target=settings.config_path[-200:],
            details={"departments_changed": changed},
            via=AuditChannel.SERVICE,
        )


def departments_differ(engine: Engine, settings: Settings) -> bool:
    """Whether config.toml lists a department the database lacks or holds differently."""
    if not settings.departments:
        return False
    with transaction(engine, write=False) as session:
        stored = {d.code: d for d in session.exec(select(Department))}
    for dep in settings.departments:
        row = stored.get(dep.code)
        if row is None or any(getattr(row, k) != v for k, v in dep.model_dump().items()):
            return True
    return False
