"""`disclosure --help`, drawn with Rich's console, panel and table only (issue 19, item 1).

Typer draws help pages with `typer.rich_utils`, whose import (Rich's Markdown, syntax and
traceback modules) costs more than importing Typer itself. The root page is the one people
open most and it lists only names and one-line help, so it is drawn here in the same layout
(usage, description, an options panel, a commands panel); every command's own page is still
Typer's. The lines come from the lazy command table, so no command module is imported.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from typer._click import Context, Parameter

OPTIONS_TITLE = "选项"
COMMANDS_TITLE = "命令"


def _console() -> Console:
    width = os.environ.get("TERMINAL_WIDTH")
    forced = any(os.environ.get(v) for v in ("FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS"))
    return Console(
        highlight=False,
        width=int(width) if width and width.isdigit() else None,
        force_terminal=True if forced else None,
    )


def _panel(title: str, rows: Iterable[tuple[Text, ...]]) -> Panel:
    table = Table(box=None, show_header=False, expand=True, padding=(0, 1), pad_edge=False)
    rows = list(rows)
    for _ in range(len(rows[0]) - 1):
        table.add_column(no_wrap=True)
    table.add_column(ratio=10)
    for row in rows:
        table.add_row(*row)
    return Panel(table, title=title, title_align="left", border_style="dim", box=box.ROUNDED)


def _option_row(param: Parameter) -> tuple[Text, ...]:
    names = ", ".join(sorted(param.opts, key=len, reverse=True))
    return (
        Text(names, style="bold cyan"),
        Text(param.metavar or "", style="bold yellow"),
        Text(getattr(param, "help", None) or ""),
    )


def draw(ctx: Context, commands: Iterable[tuple[str, str]]) -> None:
    """Print the root group's page: `commands` are (name, help line) in table order."""
    command = ctx.command
    console = _console()
    console.print(Padding(Text(command.get_usage(ctx)), 1), style="bold")
    if command.help:
        console.print(Padding(Text(command.help), (0, 1, 1, 1)))
    options = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    if options:
        console.print(_panel(OPTIONS_TITLE, (_option_row(p) for p in options)))
    rows = [(Text(name, style="bold cyan"), Text(line)) for name, line in commands]
    if rows:
        console.print(_panel(COMMANDS_TITLE, rows))
