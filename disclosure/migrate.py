"""Create or migrate the schema with Alembic (idempotent), and check it without Alembic.

Only `disclosure init`, `office` and `serve` migrate. Every other command checks the schema
with one query of `alembic_version` against the revisions in `migrations/versions/` (read as
text: importing Alembic costs a command a noticeable part of its start-up).
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from disclosure.db import unavailable
from disclosure.errors import ConfigError

if TYPE_CHECKING:  # the annotation only; see `alembic_config`
    from alembic.config import Config

_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)


@cache
def known_revisions() -> tuple[frozenset[str], str]:
    """Every revision this program knows, and the head (the one no other revision follows)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for entry in files("disclosure.migrations").joinpath("versions").iterdir():
        if not entry.name.endswith(".py"):
            continue
        source = entry.read_text(encoding="utf-8")
        if m := _REVISION.search(source):
            revisions.add(m[1])
        if m := _DOWN.search(source):
            parents.add(m[1])
    heads = revisions - parents
    if len(heads) != 1:
        raise ConfigError(f"迁移脚本有 {len(heads)} 个最新版本：{sorted(heads)}", field="database")
    return frozenset(revisions), heads.pop()


def stored_revision(engine: Engine) -> str | None:
    """The schema version recorded in the database (one query); None for an empty database."""
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    except DBAPIError as exc:
        cannot = unavailable(exc)
        if cannot is not None:
            raise ConfigError(cannot, field="database") from exc
        with engine.connect() as conn:
            if not engine.dialect.has_table(conn, "alembic_version"):
                return None
        raise ConfigError(f"无法读取数据库：{exc.orig}", field="database") from exc
    return str(row[0]) if row else None


def alembic_config(engine: Engine) -> Config:
    # Alembic is imported only where a command migrates (init, office, serve, an empty
    # database): ordinary commands start without it (issue 19).
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "disclosure:migrations")
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision."""
    from alembic import command

    try:
        command.upgrade(alembic_config(engine), "head")
    except Exception as exc:  # alembic wraps driver errors in many types
        said = unavailable(exc) or f"数据库迁移失败：{exc}"
        raise ConfigError(said, field="database") from exc


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
