"""Helpers for the register tests: run commands, read JSON, and snapshot the database.

`snapshot(engine)` is every row of the tables a command may write, so "nothing written" is
checked as equality of two snapshots, not as a count that a wrong write could preserve.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, text

TABLES = ("application", "event", "counter", "department", "calendar_version")
TODAY = "2026-11-27"  # a Friday; every date in these tests is at most this day

REGISTER = (
    "register",
    "--channel",
    "in_person",
    "--applicant",
    "张三",
    "--applicant-type",
    "natural",
    "--content",
    "请公开2025年某项目环境影响评价批复",
)


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {
            t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY 1, 2"))]
            for t in TABLES
        }


NO_TODAY = {
    ("calendar", "show"),
    ("calendar", "history"),
    ("calendar", "revert"),
    ("department", "list"),
    ("department", "add"),
}


def with_today(args: tuple[str, ...]) -> tuple[str, ...]:
    """Add `--today TODAY` unless given, so no test depends on the wall clock."""
    if "--today" in args or tuple(args[:2]) in NO_TODAY:
        return args
    return (*args, "--today", TODAY)


class Cli:
    """The `cli` fixture with JSON and error helpers; `--today` defaults to TODAY."""

    def __init__(self, run: Callable[..., Any]) -> None:
        self.run = run

    def ok(self, *args: str) -> Any:
        """Run a command that must succeed and print JSON; returns the parsed JSON."""
        r = self.run(*with_today(args), "--json")
        assert r.exit_code == 0, f"{args}: exit {r.exit_code}: {r.stderr}"
        return json.loads(r.stdout)

    def fails(self, *args: str, code: int | None = None) -> str:
        """Run a command that must fail; returns its one stderr line."""
        r = self.run(*with_today(args))
        assert r.exit_code != 0, f"{args} should fail but printed {r.stdout}"
        if code is not None:
            assert r.exit_code == code, r.stderr
        lines = [line for line in r.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, r.stderr
        assert "Traceback" not in r.stderr
        return lines[0]

    def register(self, received: str, *extra: str, today: str = TODAY) -> dict[str, Any]:
        return self.ok(*REGISTER, "--received", received, "--today", today, *extra)

    def list(self, *extra: str, today: str = TODAY) -> list[dict[str, Any]]:
        return self.ok("list", "--today", today, *extra)

    def show(self, number: str, today: str = TODAY) -> dict[str, Any]:
        return self.ok("show", number, "--today", today)


@pytest.fixture
def c(cli: Callable[..., Any]) -> Cli:
    return Cli(cli)


@pytest.fixture
def unchanged(engine: Engine):  # type: ignore[no-untyped-def]
    """`with unchanged():` asserts the block leaves every table exactly as it was."""
    from contextlib import contextmanager

    @contextmanager
    def check():  # type: ignore[no-untyped-def]
        before = snapshot(engine)
        yield
        after = snapshot(engine)
        assert after == before, "a failed command wrote to the database"

    return check
