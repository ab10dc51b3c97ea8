#!/usr/bin/env bash
# Sets up the environment and starts the office service on the embedded defaults
# (SQLite under ./data, mail written to ./outbox).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/disclosure office "$@"
