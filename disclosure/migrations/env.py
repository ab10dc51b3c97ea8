"""Alembic environment: the engine comes from `disclosure.migrate` (never built here)."""

from __future__ import annotations

import contextlib

from alembic import context
from sqlmodel import SQLModel

import disclosure.models  # noqa: F401  (registers the tables)

config = context.config
target_metadata = SQLModel.metadata


def _models() -> None:
    import importlib

    for name in (
        "notifier.models",
        "disclosure.letters.models",
        "disclosure.report.models",
        "disclosure.report.annual_models",
        "disclosure.tasks.models",
        "disclosure.casefile.models",
        "disclosure.ops.models",
        "disclosure.notices.models",
        "disclosure.api.models",
    ):
        with contextlib.suppress(ModuleNotFoundError):
            importlib.import_module(name)


_models()


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        raise RuntimeError("run migrations through disclosure.migrate.upgrade")
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
