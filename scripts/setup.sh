#!/usr/bin/env bash
# Creates .venv (if missing) and installs the project; `setup.sh test` adds the test tools.
# Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
# pip's notes about this machine's optional local package mirrors are noise: filter them.
quiet() { grep -v -E "^WARNING: Location '.*' is ignored" || true; }
.venv/bin/python -m pip install -q --upgrade pip 2>&1 | quiet
target="."
if [ "${1:-}" = "test" ]; then target=".[test]"; fi
.venv/bin/python -m pip install -q -e "$target" 2>&1 | quiet
