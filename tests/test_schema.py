"""The Alembic migrations build exactly the schema the models declare (both databases)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import disclosure.api.models
import disclosure.casefile.models
import disclosure.models
import disclosure.notices.models
import disclosure.ops.models
import disclosure.report.annual_models
import disclosure.tasks.models
import notifier.models
from disclosure.db import make_engine
from disclosure.migrate import current_revision
from tests.conftest import base_settings


def test_migrated_database_matches_the_models(tmp_path, db_url) -> None:  # type: ignore[no-untyped-def]
    assert disclosure.models and notifier.models and disclosure.tasks.models
    assert disclosure.report.annual_models and disclosure.casefile.models  # every table
    assert disclosure.ops.models
    assert disclosure.notices.models
    assert disclosure.api.models
    engine = make_engine(base_settings(tmp_path, db_url))
    try:
        assert current_revision(engine) is not None
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(ctx, SQLModel.metadata) == []
    finally:
        engine.dispose()
