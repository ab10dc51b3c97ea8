"""A write transaction that finds the SQLite register locked past `[database] busy_timeout`
fails as `RegisterBusy`, on an ORM session (`db.transaction`) and on a plain connection
(`db.core_transaction`) alike, and writes nothing; any other database error stays as it is."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from disclosure.db import RegisterBusy, core_transaction, make_engine, transaction
from disclosure.settings import load_settings


def _engine(path: Path):  # type: ignore[no-untyped-def]
    settings = load_settings(None, database={"url": f"sqlite:///{path}", "busy_timeout": 0.2})
    engine = make_engine(settings)
    with core_transaction(engine) as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    return engine


@pytest.mark.parametrize("opened", [transaction, core_transaction])
def test_a_locked_register_is_busy_and_nothing_is_written(tmp_path: Path, opened) -> None:  # type: ignore[no-untyped-def]
    engine = _engine(tmp_path / "r.db")
    holder = sqlite3.connect(tmp_path / "r.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the write lock
    try:
        with pytest.raises(RegisterBusy) as caught, opened(engine) as unit:
            unit.execute(text("INSERT INTO t VALUES (1)"))
        assert caught.value.field == "database"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with core_transaction(engine, write=False) as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar_one() == 0
    engine.dispose()


@pytest.mark.parametrize("opened", [transaction, core_transaction])
def test_other_errors_roll_back_and_stay_as_they_are(tmp_path: Path, opened) -> None:  # type: ignore[no-untyped-def]
    engine = _engine(tmp_path / "r.db")
    with pytest.raises(OperationalError), opened(engine) as unit:
        unit.execute(text("INSERT INTO t VALUES (1)"))
        unit.execute(text("INSERT INTO no_such_table VALUES (1)"))
    with core_transaction(engine, write=False) as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar_one() == 0
    engine.dispose()
