#!/usr/bin/env bash
# Sets up the environment and runs lint plus the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
# Two workers (the CI machine has two cores): the suite spends most of its time in
# subprocesses, browsers and LibreOffice, so this halves the wall time. `-n 0` after it
# (bash scripts/test.sh -n 0 …) runs in one process, e.g. under a debugger.
.venv/bin/python -m pytest -n "${DISCLOSURE_TEST_WORKERS:-2}" "$@"
