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


SHORT_CELL = 24  # characters


def table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    t = Table(title=title, show_lines=False)
    cells = [[printable("" if v is None else str(v)) for v in r] for r in rows]
    for i, c in enumerate(columns):
        # A column of short values (numbers, dates, codes, addresses) keeps its width, so
        # 2026-00005 never reads as "2026-0000 / 5"; long text folds to make room.
        widths = [cell_len(r[i]) for r in cells]
        short = bool(cells) and max(widths) <= SHORT_CELL
        t.add_column(c, overflow="fold", min_width=max(widths) if short else None)
    for r in cells:
        # cells show stored text; control characters never reach the terminal as such
        t.add_row(*[Text(v) for v in r])
    console().print(t)
