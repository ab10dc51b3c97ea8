"""Creating or migrating the database and seeding configured data (idempotent)."""

from __future__ import annotations

from sqlalchemy import Engine

from disclosure import audit
from disclosure.db import transaction
from disclosure.migrate import upgrade
from disclosure.services.departments import sync_from_settings
from disclosure.settings import Settings
from disclosure.vocabulary import AuditAction, AuditChannel


def ensure_database(engine: Engine, settings: Settings) -> None:
    """Migrate to the newest schema and sync departments from config.toml."""
    upgrade(engine)
    with transaction(engine) as session:
        changed = sync_from_settings(session, settings)
        if changed:
            audit.record(
                session,
                actor="config.toml",
                action=AuditAction.DEPARTMENT_CHANGED,
                target=settings.config_path[-200:],
                details={"departments_changed": changed},
                via=AuditChannel.SERVICE,
            )
