"""Ordinary commands check the schema with one query and never migrate; init migrates."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from disclosure.db import make_engine
from disclosure.migrate import alembic_config, known_revisions
from tests.conftest import base_settings


def test_known_head_is_alembics_head(tmp_path: Path) -> None:
    engine = make_engine(base_settings(tmp_path, f"sqlite:///{tmp_path / 'x.db'}"))
    try:
        script = ScriptDirectory.from_config(alembic_config(engine))
        revisions, head = known_revisions()
        assert [head] == script.get_heads()
        assert revisions == {r.revision for r in script.walk_revisions()}
    finally:
        engine.dispose()


def _env(url: str) -> dict[str, str]:
    env = {**os.environ, "DISCLOSURE_DATABASE__URL": url}
    env.pop("DISCLOSURE_CONFIG", None)
    return env


def _disclosure(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    exe = str(Path(sys.executable).with_name("disclosure"))
    return subprocess.run(
        [exe, *args], cwd=tmp_path, env=_env(url), capture_output=True, text=True, timeout=120
    )


def test_a_database_behind_the_program_asks_for_init(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(base_settings(tmp_path, url))
    try:
        command.upgrade(alembic_config(engine), "0006")
    finally:
        engine.dispose()
    r = _disclosure(tmp_path, url, "list", "--json")
    assert r.returncode == 3, r
    assert "请先运行 disclosure init" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    engine = make_engine(base_settings(tmp_path, url))
    try:
        with engine.connect() as conn:  # nothing was migrated by `list`
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0006"
    finally:
        engine.dispose()
    assert _disclosure(tmp_path, url, "init").returncode == 0
    r = _disclosure(tmp_path, url, "list", "--json")
    assert r.returncode == 0, r.stderr


def test_an_ordinary_command_neither_imports_alembic_nor_writes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'd.db'}"
    assert _disclosure(tmp_path, url, "init").returncode == 0
    db = tmp_path / "d.db"
    wal = tmp_path / "d.db-wal"
    before = db.stat().st_mtime_ns, wal.stat().st_size if wal.exists() else 0
    probe = (
        "import sys\nfrom disclosure.cli.main import app\n"
        "try:\n    app(['list', '--json'])\n"
        "except SystemExit:\n    pass\n"
        "print('ALEMBIC' if 'alembic' in sys.modules else 'NO-ALEMBIC', file=sys.stderr)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=_env(url), capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    assert "NO-ALEMBIC" in r.stderr, r.stderr
    after = db.stat().st_mtime_ns, wal.stat().st_size if wal.exists() else 0
    assert before == after  # no write transaction: neither the file nor a WAL changed
