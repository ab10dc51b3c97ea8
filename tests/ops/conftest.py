"""Fixtures for the operations tests: a second, empty database of the same kind, and quick
registrations through the real service."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url

from disclosure.db import make_engine, transaction
from disclosure.schemas import ApplicationCreate
from disclosure.services.context import Context
from disclosure.services.office import Office
from disclosure.services.registration import register_application
from disclosure.settings import Settings
from tests.conftest import NOW, PG_URL, _pg_admin, base_settings

TODAY = date(2026, 11, 27)


def register(engine: Engine, office: Office, name: str = "张三") -> str:
    """One registration in its own transaction; returns its number once committed."""
    with transaction(engine) as session:
        app = register_application(
            session,
            data=ApplicationCreate(
                channel="in_person",
                received_on=date(2026, 11, 2),
                applicant_name=name,
                applicant_type="natural",
                content="某项目环境影响评价文件",
                id_number="110101199003077774",
            ),
            ctx=Context(office, TODAY, "tester", NOW),
        )
        return app.number


@pytest.fixture
def other_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second database of the same kind as `db_url`, created empty (no tables)."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'other' / 'restored.db'}"
        return
    name = f"dt_restore_{uuid.uuid4().hex[:10]}"
    with _pg_admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield str(make_url(PG_URL).set(database=name))
    with _pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def other_settings(tmp_path: Path, other_url: str) -> Settings:
    """Settings of the restored installation: its own database, data and backup folders."""
    home = tmp_path / "other"
    home.mkdir(exist_ok=True)
    config = home / "config.toml"
    config.write_text("# restored installation\n", encoding="utf-8")
    settings = base_settings(home, other_url, backup={"dir": str(home / "backups")})
    settings.config_path = str(config)
    return settings


@pytest.fixture
def other_engine(other_settings: Settings) -> Iterator[Engine]:
    engine = make_engine(other_settings)
    yield engine
    engine.dispose()
