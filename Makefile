# Developer shortcuts; each target runs from a set-up virtualenv (bash scripts/setup.sh test).
PY := .venv/bin/python

.PHONY: setup lint type test test-fast bench start

setup:
	bash scripts/setup.sh test

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

type:
	.venv/bin/mypy

test:  # lint, types and the whole suite (what CI runs)
	bash scripts/test.sh

test-fast:  # the pure engine and the register, SQLite and PostgreSQL
	$(PY) -m pytest -q tests/rules tests/register

bench:  # every benchmark script; figures go to docs/benchmarks.md with their command
	$(PY) bench/bench_deadlines.py
	$(PY) bench/bench_register.py
	$(PY) bench/bench_notifier.py --n 10000 --n 100000
	$(PY) bench/bench_list_json.py
	$(PY) bench/bench_calendar_load.py --n 10000 100000
	$(PY) bench/bench_web.py --requests 2000 --workers 2
	$(PY) bench/bench_letters.py
	$(PY) bench/bench_ledger.py
	$(PY) bench/bench_casefile.py
	$(PY) bench/bench_ops.py

start:
	bash scripts/start.sh
