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


class AppState:
    """Per-invocation state: settings and engine are made on first use, never at import time."""

    def __init__(self, config: Path | None) -> None:
        self.config = config
        self._settings: Settings | None = None
        self._engine: Engine | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config)
        return self._settings

    @property
    def engine(self) -> Engine:
        """The database, created or migrated on first use (SQLite under ./data by default)."""
        if self._engine is None:
            from disclosure.db import make_engine
            from disclosure.services.setup import ensure_database

            self._engine = make_engine(self.settings)
            ensure_database(self._engine, self.settings)
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
    ctx.obj = AppState(config)
    ctx.call_on_close(ctx.obj.close)


def state(ctx: typer.Context) -> AppState:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppState)
    return obj


def _register_commands() -> None:
    from disclosure.cli import calc

    calc.register(app)
    for name in (
        "register_cmds",
        "calendar_cmds",
        "notify_cmds",
        "letter_cmds",
        "report_cmds",
        "web_cmds",
    ):
        try:
            module = __import__(f"disclosure.cli.{name}", fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != f"disclosure.cli.{name}":
                raise
            continue
        module.register(app)


_register_commands()
