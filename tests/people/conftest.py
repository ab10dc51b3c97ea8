"""Helpers for the people tests: accounts with their sign-off roles, the CLI with JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

TODAY = "2026-11-27"  # a Friday
PASSWORD = "plum-kettle-harbour-41"

# username, web role, department, display name, place in the sign-off chain
PEOPLE = (
    ("handler", "department", "zcfg", "周承办", None),
    ("dhead", "department", "zcfg", "吴处长", "department_head"),
    ("ohead", "clerk", None, "郑主任", "office_head"),
    ("boss", "clerk", None, "王局长", "leader"),
    ("other_head", "department", "hbc", "冯处长", "department_head"),
)


class People:
    """The `cli` fixture with JSON, error helpers and the office's accounts."""

    def __init__(self, run: Callable[..., Any]) -> None:
        self.run = run

    def ok(self, *args: str, json_out: bool = True) -> Any:
        r = self.run(*args, "--today", TODAY, *(("--json",) if json_out else ()))
        assert r.exit_code == 0, f"{args}: exit {r.exit_code}: {r.stderr}"
        return json.loads(r.stdout) if json_out else r.stdout

    def fails(self, *args: str, code: int | None = None) -> str:
        r = self.run(*args, "--today", TODAY)
        assert r.exit_code != 0, f"{args} should fail but printed {r.stdout}"
        if code is not None:
            assert r.exit_code == code, r.stderr
        assert "Traceback" not in r.stderr
        return r.stderr.strip()

    def accounts(self) -> None:
        for username, role, dept, name, approval in PEOPLE:
            args = ["user", "add", "--username", username, "--role", role, "--name", name]
            args += ["--password", PASSWORD] + (["--department", dept] if dept else [])
            r = self.run(*args)
            assert r.exit_code == 0, r.stderr
            if approval:
                r = self.run("user", "approval-role", username, approval)
                assert r.exit_code == 0, r.stderr

    def register(self, *extra: str, received: str = "2026-11-02") -> str:
        out = self.ok(
            "register", "--channel", "in_person", "--applicant", "张三",
            "--applicant-type", "natural", "--content", "请公开2025年某项目环境影响评价批复",
            "--received", received, "--department", "zcfg", *extra,
        )  # fmt: skip
        return str(out["number"])


@pytest.fixture
def people(cli: Callable[..., Any]) -> People:
    return People(cli)


@pytest.fixture
def required(monkeypatch: pytest.MonkeyPatch) -> None:
    """`[approval] required = true` for the CLI of this test."""
    monkeypatch.setenv("DISCLOSURE_APPROVAL__REQUIRED", "true")
