"""Key-task fixtures: a CLI on a config with the departments the seed plan names."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from tests.notifier.conftest import Handler, SmtpServer, free_port

FIXTURES = Path(__file__).parent / "fixtures"
PLAN_DOCX = FIXTURES / "plan-2021.docx"
PLAN_XLSX = FIXTURES / "plan-2021.xlsx"


@pytest.fixture
def plan_cli(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """`run(*args)` of the `disclosure` CLI with tests/tasks/fixtures/departments-2021.toml."""
    from disclosure.cli.main import app

    config = tmp_path / "config.toml"
    shutil.copy(FIXTURES / "departments-2021.toml", config)
    with config.open("a", encoding="utf-8") as f:
        f.write(f'\n[notifier]\noutbox_dir = "{tmp_path / "outbox"}"\n')
        f.write('office_recipients = ["office@example.gov.cn"]\n')
        f.write('\n[documents]\ndir = "store"\nmax_mb = 1\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCLOSURE_DATABASE__URL", db_url)
    monkeypatch.setenv("DISCLOSURE_ACTOR", "联络员甲")
    monkeypatch.delenv("DISCLOSURE_CONFIG", raising=False)
    # The test template's own departments (tests/conftest.py) are not this office's.
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE department SET active = false WHERE code IN ('zcfg', 'hbc')"))
    engine.dispose()
    runner = CliRunner()

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run


def tasks_json(run, *args: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    r = run("tasks", "list", "--json", *args)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1 (as tests/notifier/conftest.py starts it)."""
    server = SmtpServer(free_port(), Handler())
    server.start()
    try:
        yield server
    finally:
        server.stop()
