"""Create or migrate the schema with Alembic (idempotent)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from disclosure.errors import ConfigError


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", "disclosure:migrations")
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision."""
    try:
        command.upgrade(alembic_config(engine), "head")
    except Exception as exc:  # alembic wraps driver errors in many types
        raise ConfigError(f"数据库迁移失败 / migration failed: {exc}", field="database") from exc


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
