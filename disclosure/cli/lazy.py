"""Commands imported only when they run (issue 19, item 1).

The root group knows its commands from a static table, name → (modules, one-line help)
(`disclosure.cli.main.COMMANDS`). `disclosure --help` draws its command list from that
table alone (disclosure.cli.root_help); `disclosure NAME …` imports only the modules that
register NAME, builds their Typer commands and runs the one asked for. So a clerk's
`disclosure deadline` no longer imports openpyxl, python-docx, numpy or FastAPI because
`report` or `serve` exist.

Every command module keeps its `register(app)`: loading a table entry calls `register` of
each of its modules on a throwaway `typer.Typer` and takes the command named NAME from the
resulting group (so when two modules register one name, the table says which one counts).
A name a module registers but the table lacks still works (all modules are loaded to find
it); tests/test_cli_lazy.py fails until the table lists it.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from functools import cache
from typing import Any, ClassVar

import typer
from typer._click import Command, Context, HelpFormatter
from typer.core import TyperGroup

from disclosure.cli.help_zh import localise

# name → (the modules under disclosure.cli that register it, space-separated, in the order
# their `register` runs; the line `disclosure --help` shows for it)
Table = Mapping[str, tuple[str, str]]


PLUGINS_OFF = "PYDANTIC_DISABLE_PLUGINS"


@contextmanager
def _without_pydantic_plugins() -> Iterator[None]:
    """Pydantic looks its plugins up (every installed distribution's entry points, 5–15 ms)
    when it builds the first model; this program has none. While the command modules load
    (the settings' models are defined then) the look-up is switched off with pydantic's
    documented variable, as Typer does while it builds its option adapters."""
    before = os.environ.get(PLUGINS_OFF)
    os.environ[PLUGINS_OFF] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(PLUGINS_OFF, None)
        else:
            os.environ[PLUGINS_OFF] = before


@cache
def _built(modules: tuple[str, ...]) -> Mapping[str, Command]:
    """The commands that `modules` register, built once per process (Chinese help)."""
    app = typer.Typer(pretty_exceptions_enable=False)
    with _without_pydantic_plugins():
        for name in modules:
            importlib.import_module(f"disclosure.cli.{name}").register(app)
    commands = dict(typer.main.get_group(app).commands)
    for command in commands.values():
        localise(command)
    return commands


class LazyCommands(MutableMapping[str, Command]):
    """The root group's `commands`: keys from the table; a value is built on first access."""

    def __init__(self, table: Table, given: Mapping[str, Command]) -> None:
        self.table = table
        self.loaded: dict[str, Command] = dict(given)

    def _all_modules(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for modules, _help in self.table.values():
            seen.update(dict.fromkeys(modules.split()))
        return tuple(seen)

    def __getitem__(self, name: str) -> Command:
        if name not in self.loaded:
            modules = (
                tuple(self.table[name][0].split()) if name in self.table else self._all_modules()
            )
            command = _built(modules).get(name)
            if command is None:
                raise KeyError(name)
            self.loaded[name] = command
        return self.loaded[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self.loaded[name]

    def __iter__(self) -> Iterator[str]:
        yield from self.table
        yield from (name for name in self.loaded if name not in self.table)

    def __len__(self) -> int:
        return len(set(self.table) | set(self.loaded))

    def __contains__(self, name: object) -> bool:
        return name in self.table or name in self.loaded

    def line(self, name: str) -> tuple[str, str] | None:
        """(name, help line) for the root page: the table's, else the loaded command's."""
        if name in self.table:
            return name, self.table[name][1]
        command = self.loaded[name]
        if command.hidden:
            return None
        return name, (command.short_help or command.help or "").split("\n\n")[0]


class LazyGroup(TyperGroup):
    """A Typer group whose subcommands come from `table` (set by the subclass)."""

    table: ClassVar[Table] = {}
    draws_own_help = True  # without typer.rich_utils (disclosure.cli.help_zh)

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.lazy = LazyCommands(self.table, self.commands)
        self.commands = self.lazy

    def list_commands(self, ctx: Context) -> list[str]:
        return list(self.lazy)  # names only: TyperGroup's would build every command

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        return self.lazy.get(cmd_name)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        from disclosure.cli import root_help  # Rich: only when the page is drawn

        lines = (self.lazy.line(name) for name in self.list_commands(ctx))
        root_help.draw(ctx, [line for line in lines if line is not None])

    def loaded_commands(self) -> list[Command]:
        """The commands built in this process so far (never imports one)."""
        return list(self.lazy.loaded.values())
