"""Creating or migrating the database and seeding configured data (idempotent)."""

from __future__ import annotations

from sqlalchemy import Engine

from disclosure.db import transaction
from disclosure.migrate import upgrade
from disclosure.services.departments import sync_from_settings
from disclosure.settings import Settings


def ensure_database(engine: Engine, settings: Settings) -> None:
    """Migrate to the newest schema and sync departments from config.toml."""
    upgrade(engine)
    with transaction(engine) as session:
        sync_from_settings(session, settings)
