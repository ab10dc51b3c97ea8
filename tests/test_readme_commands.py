"""The README's "Everyday commands" run as written, in order, on a fresh database (issue 18).

The block is read from README.md itself, so the README and this test cannot drift apart: a
command that fails here fails for a new user who copies it. Only the two long-running servers
(`serve`, `office`) are not started; they are tested in tests/web/test_web_cmds.py.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from disclosure.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
LONG_RUNNING = {"serve", "office"}


def readme_commands(text: str) -> list[list[str]]:
    """The `disclosure …` commands of the README's everyday block, one argv each."""
    section = text.split("## Everyday commands", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "README: no ```sh block under 'Everyday commands'"
    lines = block.group(1).replace("\\\n", " ").splitlines()
    commands = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith(("#", ". ")):
            continue
        for part in line.split(" ; "):
            argv = shlex.split(part, comments=True)
            if argv:
                assert argv[0] == "disclosure", line
                commands.append(argv[1:])
    return commands


def test_the_block_is_found_and_starts_by_creating_the_database():
    commands = readme_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    assert commands[0] == ["init"]  # CLI-only use: the database is created first
    assert len(commands) > 20


def test_readme_everyday_commands_run_as_written(tmp_path, monkeypatch):
    shutil.copy(ROOT / "config.toml", tmp_path / "config.toml")
    shutil.copytree(ROOT / "docs" / "examples", tmp_path / "docs" / "examples")
    monkeypatch.chdir(tmp_path)
    for name in ("DISCLOSURE_CONFIG", "DISCLOSURE_DATABASE__URL"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()
    skipped = []
    for argv in readme_commands((ROOT / "README.md").read_text(encoding="utf-8")):
        if argv[0] in LONG_RUNNING:
            skipped.append(argv[0])
            continue
        r = runner.invoke(app, argv, catch_exceptions=False)
        assert r.exit_code == 0, f"disclosure {shlex.join(argv)}\n{r.stdout}\n{r.stderr}"
    assert sorted(skipped) == ["serve"]
    assert (tmp_path / "data" / "disclosure.db").exists()  # the config's database, fresh
    assert list((tmp_path / "letters").glob("*.docx"))  # `disclosure letter` wrote one


HEAD = "## Everyday commands\n```sh\n"


@pytest.mark.parametrize(
    "text,expected",
    [
        (HEAD + "disclosure a --b 'c d'  # note\n```\n", [["a", "--b", "c d"]]),
        (HEAD + "disclosure x \\\n    --y 1 ; disclosure z\n```", [["x", "--y", "1"], ["z"]]),
    ],
)
def test_the_parser_joins_continuations_and_splits_sequences(text, expected):
    assert readme_commands(text) == expected
