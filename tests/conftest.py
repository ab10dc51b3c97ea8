"""Shared fixtures: a fresh database per test on SQLite and on PostgreSQL.

PostgreSQL: a template database is migrated once per session, and each test gets
`CREATE DATABASE … TEMPLATE …`, dropped afterwards. Without a reachable server those tests
skip with the reason, unless DISCLOSURE_REQUIRE_POSTGRES=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url
from typer.testing import CliRunner

from disclosure.db import make_engine, transaction
from disclosure.services.office import Office, load_office
from disclosure.services.setup import ensure_database
from disclosure.settings import Settings, load_settings

PG_URL = os.environ.get(
    "DISCLOSURE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_PG = os.environ.get("DISCLOSURE_REQUIRE_POSTGRES") == "1"
NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)

DEPARTMENTS = [
    {"code": "zcfg", "name": "政策法规处", "contact": "王五", "email": "zcfg@example.gov.cn"},
    {"code": "hbc", "name": "环境保护处", "contact": "赵六", "email": "hbc@example.gov.cn"},
]


@pytest.fixture(scope="session", autouse=True)
def _no_repo_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never read the repository's config.toml: defaults come from an empty file."""
    empty = tmp_path_factory.mktemp("config") / "config.toml"
    empty.write_text("# built-in defaults\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DISCLOSURE_CONFIG", str(empty))
        for key in [
            k
            for k in os.environ
            if k.startswith("DISCLOSURE_") and "__" in k and not k.startswith("DISCLOSURE_TEST")
        ]:
            mp.delenv(key)
        yield


def _pg_admin():  # type: ignore[no-untyped-def]
    import psycopg

    url = make_url(PG_URL)
    return psycopg.connect(
        host=url.host,
        port=url.port or 5432,
        user=url.username,
        dbname=url.database or "postgres",
        autocommit=True,
        connect_timeout=3,
    )


def _pg_available() -> str | None:
    try:
        with _pg_admin():
            return None
    except Exception as exc:  # any connection problem means "not available"
        return f"PostgreSQL not reachable at {PG_URL}: {exc}"


def base_settings(tmp_path: Path, url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database": {"url": url},
        "departments": DEPARTMENTS,
        "notifier": {
            "outbox_dir": str(tmp_path / "outbox"),
            "office_recipients": ["office@example.gov.cn"],
        },
    }
    values.update(overrides)
    return load_settings(None, **values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str | None]:
    reason = _pg_available()
    if reason:
        yield None
        return
    name = f"dt_tmpl_{uuid.uuid4().hex[:10]}"
    with _pg_admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = str(make_url(PG_URL).set(database=name))
    settings = load_settings(None, database={"url": url}, departments=DEPARTMENTS)
    engine = make_engine(settings)
    ensure_database(engine, settings)
    engine.dispose()
    yield name
    with _pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tmpl") / "template.db"
    settings = load_settings(None, database={"url": f"sqlite:///{path}"}, departments=DEPARTMENTS)
    engine = make_engine(settings)
    ensure_database(engine, settings)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path, pg_template: str | None
) -> Iterator[str]:
    """A fresh, migrated database URL for this test, once per backend."""
    if request.param == "sqlite":
        target = tmp_path / "disclosure.db"
        shutil.copy(sqlite_template, target)
        yield f"sqlite:///{target}"
        return
    if pg_template is None:
        reason = _pg_available() or "PostgreSQL template not created"
        if REQUIRE_PG:
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"dt_{uuid.uuid4().hex[:12]}"
    with _pg_admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    yield str(make_url(PG_URL).set(database=name))
    with _pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return base_settings(tmp_path, db_url)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    eng = make_engine(settings)
    ensure_database(eng, settings)
    yield eng
    eng.dispose()


@pytest.fixture
def office(engine: Engine, settings: Settings) -> Office:
    with transaction(engine, write=False) as session:
        return load_office(session, settings)


@pytest.fixture
def cli(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run the `disclosure` CLI in tmp_path against this test's database.

    Returns a function `run(*args) -> Result` (Click's result with .exit_code, .stdout,
    .stderr). A config.toml with two departments is written into tmp_path.
    """
    from disclosure.cli.main import app

    (tmp_path / "config.toml").write_text(
        '[office]\nagency_name = "某市生态环境局"\nagency_abbr = "某环"\n\n'
        + "".join(
            f'[[departments]]\ncode = "{d["code"]}"\nname = "{d["name"]}"\n'
            f'contact = "{d["contact"]}"\nemail = "{d["email"]}"\n\n'
            for d in DEPARTMENTS
        )
        + f'[notifier]\noutbox_dir = "{tmp_path / "outbox"}"\n'
        'office_recipients = ["office@example.gov.cn"]\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCLOSURE_DATABASE__URL", db_url)
    monkeypatch.setenv("DISCLOSURE_ACTOR", "tester")
    monkeypatch.delenv("DISCLOSURE_CONFIG", raising=False)
    runner = CliRunner()

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run
