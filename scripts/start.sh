#!/usr/bin/env bash
# Sets up the environment and starts the office service on the embedded defaults
# (SQLite under ./data, mail written to ./outbox). Options go to `disclosure office`:
#   bash scripts/start.sh --port 8080        (also --host; see README "Serving the intranet")
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/disclosure office "$@"
