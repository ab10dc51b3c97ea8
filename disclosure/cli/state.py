"""Per-invocation state of the CLI: settings, engine, today, the actor, and one transaction.

Command modules import `state` from here (never from `cli.main`, which imports them).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

from disclosure.clock import now_utc, today_in

if TYPE_CHECKING:  # imported where used: a command that needs no database starts without them
    from sqlalchemy import Engine
    from sqlmodel import Session

    from disclosure.services.context import Context
    from disclosure.settings import Settings

T = TypeVar("T")

# The commands that create or migrate the schema; every other one checks it (one query) and
# says to run `disclosure init` when it is behind, so that no command but these opens a
# write transaction at start.
MIGRATING_COMMANDS = frozenset({"init", "office", "serve"})


class AppState:
    """Settings and engine are made on first use, never at import time."""

    def __init__(self, config: Path | None, *, migrate: bool = False) -> None:
        self.config = config
        self.migrate = migrate
        self._settings: Settings | None = None
        self._engine: Engine | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from disclosure.settings import load_settings

            self._settings = load_settings(self.config)
        return self._settings

    @property
    def engine(self) -> Engine:
        """The database on first use (SQLite under ./data by default): migrated by the
        `MIGRATING_COMMANDS`, created when empty, otherwise only checked."""
        if self._engine is None:
            from disclosure.db import make_engine
            from disclosure.services.setup import check_database, ensure_database

            engine = make_engine(self.settings)
            try:
                (ensure_database if self.migrate else check_database)(engine, self.settings)
            except BaseException:
                engine.dispose()
                raise
            self._engine = engine
        return self._engine

    def today(self, override: str | None = None) -> date:
        from disclosure.cli.options import parse_date  # rules.calendar: not for `--help`

        given = parse_date(override, "today")
        return given or today_in(self.settings.office.timezone)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @property
    def actor(self) -> str:
        """Who the CLI records as acting: `DISCLOSURE_ACTOR`, else `[office] operator` (the
        office's own login for the person at this terminal), else the operating-system user."""
        given = os.environ.get("DISCLOSURE_ACTOR") or self.settings.office.operator.strip()
        return given or getpass.getuser()

    @contextmanager
    def context(
        self, today: str | None = None, *, write: bool = True
    ) -> Iterator[tuple[Session, Context]]:
        """One transaction and the context of the command (office, today, actor, now)."""
        from disclosure.db import transaction
        from disclosure.services.context import Context
        from disclosure.services.office import load_office

        day = self.today(today)
        with transaction(self.engine, write=write) as session:
            office = load_office(session, self.settings)
            yield session, Context(office, day, self.actor, now_utc())

    def run(self, today: str | None, work: Callable[[Session, Context], T]) -> T:
        """`work(session, ctx)` in one write transaction."""
        with self.context(today) as (session, ctx):
            return work(session, ctx)


def state(ctx: typer.Context) -> AppState:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppState)
    return obj
