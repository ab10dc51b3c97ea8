#!/usr/bin/env bash
# Creates .venv (if missing) and installs the project; `setup.sh test` adds the test tools.
# Idempotent and quick when nothing changed: the install is skipped while .venv/.setup-stamp
# holds the hash of pyproject.toml for this target (delete the stamp to force a reinstall).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
target="."
if [ "${1:-}" = "test" ]; then target=".[test]"; fi
stamp=.venv/.setup-stamp
hash="$(sha256sum pyproject.toml | cut -d' ' -f1)"
# The test install includes the plain one: either stamp line satisfies a plain setup.
if [ -f "$stamp" ] && [ -x .venv/bin/disclosure ]; then
    if grep -qx "$hash \\.\\[test\\]" "$stamp" \
        || { [ "$target" = "." ] && grep -qx "$hash \\." "$stamp"; }; then
        exit 0
    fi
fi
# pip's output on success is noise (notes about this machine's optional package mirrors,
# setuptools' "Editable installation" warning box): show it only when a step fails.
run_quiet() {
    local out
    if ! out="$("$@" 2>&1)"; then
        printf '%s\n' "$out" >&2
        echo "安装失败：$*" >&2
        exit 1
    fi
}
echo "正在安装依赖（首次或 pyproject.toml 变更后）……"
run_quiet .venv/bin/python -m pip install -q --upgrade pip
run_quiet .venv/bin/python -m pip install -q -e "$target"
echo "$hash $target" >"$stamp"
