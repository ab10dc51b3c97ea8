"""What the clerk's commands import (issue 19, item 1): `deadline` neither
pydantic-settings nor lunar_python, `list --json` none of the other commands' modules, `show`
and the hand-off commands nothing of the office service."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.test_cli_lazy import _run as run_cli


def _run(tmp_path: Path, *args: str) -> dict:  # type: ignore[type-arg]
    """`disclosure ARGS` in a fresh interpreter, on a database in `tmp_path`, without the
    caller's DISCLOSURE_ variables."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("DISCLOSURE_")}
    env["DISCLOSURE_DATABASE__URL"] = f"sqlite:///{tmp_path}/register.db"
    return run_cli(*args, env=env, cwd=tmp_path)


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


# What the office service (`serve`, `office`) and the account commands bring, none of which a
# command about one application needs.
SERVICE_MODULES = {
    "disclosure.cli.web_cmds", "disclosure.cli.user_cmds", "disclosure.backup.schedule",
    "apscheduler", "zxcvbn", "uvicorn", "fastapi",
}  # fmt: skip


def test_show_and_the_hand_off_commands_start_without_the_office_service(
    tmp_path: Path,
) -> None:
    _run(tmp_path, "init")
    shown = _run(tmp_path, "show", "2026-00001")  # none registered: the error path too
    for run in (
        shown,
        _run(tmp_path, "show", "2026-00001", "--json"),
        _run(tmp_path, "accept", "--help"),
    ):
        loaded = set(run["modules"]) | {m.split(".")[0] for m in run["modules"]}
        assert not loaded & SERVICE_MODULES, sorted(loaded & SERVICE_MODULES)
    assert "disclosure.cli.handoff_cmds" not in shown["modules"]
    users = _run(tmp_path, "user", "--help")  # the group still has every command
    for name in ("add", "list", "passwd", "reset", "disable", "enable", "approval-role", "email"):
        assert f" {name} " in users["out"], name


def test_a_commands_help_page_imports_neither_its_work_nor_the_database(tmp_path: Path) -> None:
    """`letter --help` shows the options without python-docx, docxtpl or SQLAlchemy (a help
    page ends the run with an exit, which the error mapping leaves alone)."""
    run = _run(tmp_path, "letter", "--help")
    assert "--kind" in run["out"]
    roots = {m.split(".")[0] for m in run["modules"]}
    assert not roots & {"docx", "docxtpl", "jinja2", "sqlalchemy"}, sorted(
        roots & {"docx", "docxtpl", "jinja2", "sqlalchemy"}
    )
