"""scripts/setup.sh and scripts/start.sh, run for real against a stand-in .venv (issue 18).

The stand-in `python` records its arguments and prints what pip prints on this machine (the
setuptools "Editable installation" box); nothing is installed, so the test takes a second.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FAKE_PYTHON = """#!/usr/bin/env bash
echo "$*" >> "$(dirname "$0")/../calls.log"
echo "  BuildBackendWarning: Editable installation." >&2
echo "  ********************************************************************************" >&2
if [ -n "${FAKE_PIP_FAILS:-}" ]; then echo "ERROR: no matching distribution" >&2; exit 1; fi
"""

FAKE_DISCLOSURE = """#!/usr/bin/env bash
echo "disclosure $*"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    for name in ("setup.sh", "start.sh"):
        shutil.copy(ROOT / "scripts" / name, tmp_path / "scripts" / name)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name, text in (("python", FAKE_PYTHON), ("disclosure", FAKE_DISCLOSURE)):
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    return tmp_path


def _run(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )


def _installs(project: Path) -> list[str]:
    log = project / ".venv" / "calls.log"
    return [c for c in log.read_text().splitlines() if "-e" in c.split()] if log.exists() else []


def test_setup_installs_once_quietly_and_again_only_when_pyproject_changes(project):
    first = _run(project, "scripts/setup.sh")
    assert first.returncode == 0, first.stderr
    assert "Editable installation" not in first.stdout + first.stderr  # pip's noise hidden
    assert _installs(project) == ["-m pip install -q -e ."]
    second = _run(project, "scripts/setup.sh")
    assert second.returncode == 0 and second.stdout == "" and second.stderr == ""
    assert len(_installs(project)) == 1  # up to date: no second pip run
    # The test extras are a different target: installed once, then they satisfy both.
    assert _run(project, "scripts/setup.sh", "test").returncode == 0
    assert _run(project, "scripts/setup.sh").returncode == 0
    assert _installs(project)[1:] == ["-m pip install -q -e .[test]"]
    with (project / "pyproject.toml").open("a") as f:
        f.write("\n# a new dependency\n")
    assert _run(project, "scripts/setup.sh").returncode == 0
    assert len(_installs(project)) == 3


def test_setup_shows_pips_output_when_the_install_fails(project):
    r = _run(project, "scripts/setup.sh", FAKE_PIP_FAILS="1")
    assert r.returncode != 0
    assert "no matching distribution" in r.stderr and "安装失败" in r.stderr
    assert not (project / ".venv" / ".setup-stamp").exists()  # tried again next time


def test_start_passes_its_options_to_the_office_command(project):
    r = _run(project, "scripts/start.sh", "--host", "0.0.0.0", "--port", "8123")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1] == "disclosure office --host 0.0.0.0 --port 8123"
