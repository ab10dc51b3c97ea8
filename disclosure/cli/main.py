"""Entry point: the root command, global options, and the one place errors become exit codes."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from sqlalchemy.exc import OperationalError
from typer._click.exceptions import UsageError
from typer.core import TyperGroup

from disclosure.cli import (
    account_cmds,
    applicant_cmds,
    applications_cmds,
    approval_cmds,
    audit_cmds,
    backup_cmds,
    calc,
    calendar_cmds,
    casefile_cmds,
    department_cmds,
    letter_cmds,
    notify_cmds,
    report_cmds,
    steps_cmds,
    tasks_cmds,
    token_cmds,
    web_cmds,
)
from disclosure.cli.fields import cli_name
from disclosure.cli.help_zh import localise, usage_hint, usage_message
from disclosure.cli.state import MIGRATING_COMMANDS, AppState
from disclosure.db import BUSY_MESSAGE, RegisterBusy, is_busy
from disclosure.errors import DisclosureError
from disclosure.settings import SettingsError
from rules.errors import RulesError

if TYPE_CHECKING:
    # typer bundles its own click and types its commands with it; it exports no alias.
    from typer._click import Command, Context

SETTINGS_ERROR_EXIT = 3
USAGE_ERROR_EXIT = 2
FILE_ERROR_EXIT = 1
# A file that cannot be read or written, as people say it (never "[Errno 2] ...").
FILE_ERRORS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读",
    errno.EEXIST: "文件已存在",
}


class _ErrorMappingGroup(TyperGroup):
    """Maps domain errors to one line on stderr and an exit code (never a traceback);
    help pages and usage errors in Chinese (disclosure.cli.help_zh)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        localise(self)
        return super().main(*args, **kwargs)

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except DisclosureError as exc:
            _fail(_message(exc.message, cli_name(exc.field, _options(self))), exc.exit_code)
        except RulesError as exc:
            _fail(_message(exc.message, cli_name(exc.field, _options(self))), 2)
        except SettingsError as exc:
            _fail(str(exc), SETTINGS_ERROR_EXIT)
        except OperationalError as exc:  # a lock wait outside `transaction()`
            if not is_busy(exc):
                raise
            _fail(BUSY_MESSAGE, RegisterBusy.exit_code)
        except UsageError as exc:  # a missing option, a bad value, an unknown command
            _fail(f"{usage_message(exc)}\n{usage_hint(exc)}", USAGE_ERROR_EXIT)
        except OSError as exc:
            if exc.errno not in FILE_ERRORS or not exc.filename:
                raise
            _fail(f"{exc.filename}：{FILE_ERRORS[exc.errno]}", FILE_ERROR_EXIT)


def _options(command: Command) -> frozenset[str]:
    """Every option name declared by `command` and its subcommands."""
    found: set[str] = set()
    for param in command.params:
        found.update(o for o in param.opts if o.startswith("--"))
    for sub in getattr(command, "commands", {}).values():  # typer bundles its own click
        found |= _options(sub)
    return frozenset(found)


def _message(message: str, name: str) -> str:
    return f"{name}: {message}" if name else message


def _fail(message: str, code: int) -> None:
    typer.echo(f"错误：{message}", err=True)
    raise typer.Exit(code)


app = typer.Typer(
    cls=_ErrorMappingGroup,
    help="政府信息公开申请办理期限跟踪",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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


for _module in (
    calc,
    applications_cmds,
    steps_cmds,
    calendar_cmds,
    department_cmds,
    notify_cmds,
    letter_cmds,
    report_cmds,
    tasks_cmds,
    casefile_cmds,
    audit_cmds,
    backup_cmds,
    web_cmds,
    approval_cmds,
    account_cmds,
    applicant_cmds,
    token_cmds,
):
    _module.register(app)
