"""Printing helpers: JSON for machines, Rich tables for people (Rich imported only then)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import typer

from disclosure.textinput import printable

if TYPE_CHECKING:
    from rich.console import Console


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=None, default=str))


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    from rich.table import Table
    from rich.text import Text

    t = Table(title=title, show_lines=False)
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        # cells show stored text; control characters never reach the terminal as such
        t.add_row(*[Text(printable("" if v is None else str(v))) for v in r])
    console().print(t)
