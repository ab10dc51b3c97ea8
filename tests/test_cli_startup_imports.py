"""What the clerk's two most frequent commands import (issue 19, item 1): `deadline` neither
pydantic-settings nor lunar_python, `list --json` none of the other commands' modules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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


def _run(tmp_path: Path, *args: str) -> dict:  # type: ignore[type-arg]
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("DISCLOSURE_")}
    env["DISCLOSURE_DATABASE__URL"] = f"sqlite:///{tmp_path}/register.db"
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True, text=True, check=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    return json.loads(proc.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def test_deadline_needs_neither_pydantic_settings_nor_lunar_python(tmp_path: Path) -> None:
    run = _run(tmp_path, "deadline", "--received", "2026-03-02", "--json")
    assert json.loads(run["out"])["reply_due"] == "2026-03-30"
    roots = {m.split(".")[0] for m in run["modules"]}
    assert not roots & {"pydantic_settings", "lunar_python"}, sorted(
        roots & {"pydantic_settings", "lunar_python"}
    )


def test_list_json_imports_only_the_list(tmp_path: Path) -> None:
    _run(tmp_path, "init")
    run = _run(tmp_path, "list", "--json", "--today", "2026-03-23")
    assert run["out"] == "[]\n"
    loaded = set(run["modules"])
    unwanted = {
        "disclosure.cli.handoff_cmds", "disclosure.cli.web_cmds", "disclosure.cli.show_view",
        "disclosure.cli.output", "disclosure.audit", "disclosure.ops.models",
        "disclosure.people.accounts", "disclosure.services.registration",
        "disclosure.services.views", "disclosure.services.steps", "pydantic_settings", "rich",
    }  # fmt: skip
    assert not loaded & unwanted, sorted(loaded & unwanted)


def test_plugin_look_up_is_off_only_while_commands_load(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from disclosure.cli.lazy import PLUGINS_OFF, _without_pydantic_plugins

    monkeypatch.delenv(PLUGINS_OFF, raising=False)
    with _without_pydantic_plugins():
        assert os.environ[PLUGINS_OFF] == "1"
    assert PLUGINS_OFF not in os.environ
    monkeypatch.setenv(PLUGINS_OFF, "some_plugin")
    with _without_pydantic_plugins():
        assert os.environ[PLUGINS_OFF] == "1"
    assert os.environ[PLUGINS_OFF] == "some_plugin"
