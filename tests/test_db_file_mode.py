"""A new SQLite database (and its WAL files) is readable by its owner only, as backups are."""

from __future__ import annotations

import stat
from pathlib import Path

from sqlalchemy import text

from disclosure.db import make_engine
from tests.conftest import base_settings


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_file_is_private(tmp_path: Path) -> None:
    db = tmp_path / "data" / "disclosure.db"
    engine = make_engine(base_settings(tmp_path, f"sqlite:///{db}"))
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
            conn.execute(text("INSERT INTO t VALUES (1)"))
            wal = [p for p in db.parent.iterdir() if p.name.endswith(("-wal", "-shm"))]
            assert _mode(db) == 0o600
            assert all(_mode(p) == 0o600 for p in wal), [(p.name, oct(_mode(p))) for p in wal]
    finally:
        engine.dispose()


def test_an_existing_database_keeps_its_mode(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    db.touch(mode=0o640)
    db.chmod(0o640)  # an office that shares it with a group on purpose
    engine = make_engine(base_settings(tmp_path, f"sqlite:///{db}"))
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()
    assert _mode(db) == 0o640
