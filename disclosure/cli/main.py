"""Entry point: the root command, global options, and the one place errors become exit codes."""

from __future__ import annotations

import getpass
import os
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from typer.core import TyperGroup

from disclosure.clock import today_in
from disclosure.errors import DisclosureError
from disclosure.settings import Settings, SettingsError, load_settings
from rules.errors import RulesError

SETTINGS_ERROR_EXIT = 3


class _ErrorMappingGroup(TyperGroup):
    """Maps domain errors to one line on stderr and an exit code (never a traceback)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DisclosureError as exc:
            _fail(str(exc), exc.exit_code)
        except RulesError as exc:
            _fail(str(exc), 2)
        except SettingsError as exc:
            _fail(str(exc), SETTINGS_ERROR_EXIT)
        except OperationalError as exc:  # a lock wait outside `transaction()`
            from disclosure.db import BUSY_MESSAGE, RegisterBusy, is_busy

            if not is_busy(exc):
                raise
            _fail(BUSY_MESSAGE, RegisterBusy.exit_code)


def _fail(message: str, code: int) -> None:
    typer.echo(f"错误 / error: {message}", err=True)
    raise typer.Exit(code)


app = typer.Typer(
    cls=_ErrorMappingGroup,
    help="政府信息公开申请办理期限跟踪 / disclosure-tracker",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


# The commands that create or migrate the schema; every other one checks it (one query) and
# says to run `disclosure init` when it is behind, so that no command but these opens a
# write transaction at start.
MIGRATING_COMMANDS = frozenset({"init", "office", "serve"})


class AppState:
    """Per-invocation state: settings and engine are made on first use, never at import time."""

    def __init__(self, config: Path | None, *, migrate: bool = False) -> None:
        self.config = config
        self.migrate = migrate
        self._settings: Settings | None = None
        self._engine: Engine | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
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
        from disclosure.cli.options import parse_date

        given = parse_date(override, "--today")
        return given or today_in(self.settings.office.timezone)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @property
    def actor(self) -> str:
        return os.environ.get("DISCLOSURE_ACTOR") or getpass.getuser()


@app.callback()
def _root(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="配置文件（默认 ./config.toml 或 $DISCLOSURE_CONFIG）"),
    ] = None,
) -> None:
    ctx.obj = AppState(config, migrate=ctx.invoked_subcommand in MIGRATING_COMMANDS)
    ctx.call_on_close(ctx.obj.close)


def state(ctx: typer.Context) -> AppState:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppState)
    return obj


def _register_commands() -> None:
    from disclosure.cli import calc

    calc.register(app)
    for name in ("register_cmds", "notify_cmds", "letter_cmds", "report_cmds", "web_cmds"):
        try:
            module = __import__(f"disclosure.cli.{name}", fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != f"disclosure.cli.{name}":
                raise
            continue
        module.register(app)


_register_commands()
