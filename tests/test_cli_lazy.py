"""Commands are imported only when they run (issue 19, item 1).

`disclosure --help` must not import the heavy libraries of the commands it lists, and the
static command table (disclosure.cli.main.COMMANDS) must agree with what the command modules
register: same names, same one-line help.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from disclosure.cli import main
from disclosure.cli.lazy import _built

HEAVY = ("openpyxl", "docx", "docxtpl", "numpy", "alembic", "fastapi", "sqlalchemy")
PROBE = """
import contextlib, io, json, sys
from disclosure.cli.main import app
with contextlib.redirect_stdout(io.StringIO()) as out:
    try:
        app(sys.argv[1:], prog_name="disclosure")
    except SystemExit:
        pass
print(json.dumps({"modules": sorted(sys.modules), "out": out.getvalue()}))
"""


def _run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> dict:  # type: ignore[type-arg]
    """`disclosure ARGS` in a fresh interpreter: the modules it imported and its output."""
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True, text=True, check=True, env=env, cwd=cwd,
    )  # fmt: skip
    return json.loads(proc.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def test_help_imports_no_command_module_nor_heavy_library():  # type: ignore[no-untyped-def]
    run = _run("--help")
    roots = {m.split(".")[0] for m in run["modules"]}
    assert not roots & set(HEAVY), sorted(roots & set(HEAVY))
    assert not [m for m in run["modules"] if m.endswith("_cmds")]
    assert "typer.rich_utils" not in run["modules"]
    for name in main.COMMANDS:  # yet every command is listed
        assert f" {name} " in run["out"], name
    assert "命令" in run["out"] and "显示本帮助并退出" in run["out"]


def test_deadline_imports_neither_the_database_nor_other_commands():  # type: ignore[no-untyped-def]
    run = _run("deadline", "--received", "2026-03-02", "--json")
    assert '"reply_due": "2026-03-30"' in run["out"]
    roots = {m.split(".")[0] for m in run["modules"]}
    assert not roots & set(HEAVY), sorted(roots & set(HEAVY))
    assert [m for m in run["modules"] if m.startswith("disclosure.cli.") and "_cmds" in m] == []


def _registered() -> dict[str, object]:
    modules = tuple(dict.fromkeys(m for mods, _ in main.COMMANDS.values() for m in mods.split()))
    return dict(_built(modules))


def test_the_table_lists_every_registered_command_with_its_help():  # type: ignore[no-untyped-def]
    registered = _registered()
    assert set(registered) == set(main.COMMANDS), set(registered) ^ set(main.COMMANDS)
    for name, (modules, line) in main.COMMANDS.items():
        command = _built(tuple(modules.split()))[name]
        first = inspect.cleandoc(command.help or "").split("\n\n")[0].replace("\n", " ")
        assert line == first.strip(), (name, line, first)


def test_a_command_missing_from_the_table_still_runs(monkeypatch):  # type: ignore[no-untyped-def]
    table = {k: v for k, v in main.COMMANDS.items() if k != "fee"}
    monkeypatch.setattr(main._ErrorMappingGroup, "table", table)
    r = CliRunner().invoke(main.app, ["fee", "--pages", "10", "--json"], prog_name="disclosure")
    assert r.exit_code == 0, r.output
    assert '"amount_yuan"' in r.stdout


def test_arguments_and_dates_read_chinese_placeholders():  # type: ignore[no-untyped-def]
    r = CliRunner().invoke(main.app, ["attach", "--help"], prog_name="disclosure")
    assert r.exit_code == 0
    assert "<str>" not in r.stdout and "<path>" not in r.stdout and "<int>" not in r.stdout
    assert "路径" in r.stdout and "文字" in r.stdout
    r = CliRunner().invoke(main.app, ["reply", "--help"], prog_name="disclosure")
    date_line = next(line for line in r.stdout.splitlines() if "--date" in line)
    assert "日期" in date_line.split("--date", 1)[1].split("日期 YYYY")[0]
