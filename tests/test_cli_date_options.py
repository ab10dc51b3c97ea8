"""Date options read 日期 on their help pages, whatever their help text says, and a malformed
date is the usual Chinese date error naming the option (exit 2, nothing written)."""

from __future__ import annotations

import json
import re

import pytest
import typer

from disclosure.cli.main import app
from tests.test_cli_chinese import _paths, cli_without_database

# Options that take a date wherever they appear (help_zh.DATE_OPTIONS, and --date)
DATE_NAMES = ("--date", "--due", "--today")


def _option_line(page: str, option: str) -> str:
    return next(ln for ln in page.splitlines() if re.search(rf"\s{option}\s", ln))


def test_defer_due_reads_date() -> None:
    page = cli_without_database("defer", "--help").stdout
    assert re.search(r"--due\s+日期\s+确定的合理答复期限", _option_line(page, "--due"))


def test_every_date_option_reads_date_on_every_page() -> None:
    root = typer.main.get_command(app)
    pages = 0
    for path in _paths(root):
        command = root
        for name in path:
            command = command.commands[name]  # type: ignore[attr-defined]
        named = [o for p in command.params for o in p.opts if o in DATE_NAMES]
        if not named or getattr(command, "commands", None):
            continue
        page = cli_without_database(*path, "--help").stdout
        for option in named:
            assert "日期" in _option_line(page, option), (path, option)
        pages += 1
    assert pages > 30  # the walk reached the commands that have --today


REGISTER = (
    "register", "--channel", "in_person", "--received", "2026-03-02", "--applicant", "张三",
    "--applicant-type", "natural", "--content", "检查记录", "--today", "2026-03-05",
)  # fmt: skip


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("2026-13-01", "没有这一天：2026-13-01"),
        ("2026/03/20", "日期格式应为 YYYY-MM-DD，收到 '2026/03/20'"),
        ("下个月", "日期格式应为 YYYY-MM-DD，收到 '下个月'"),
    ],
)
def test_a_malformed_due_is_a_date_error_naming_due(cli, value: str, said: str) -> None:  # type: ignore[no-untyped-def]
    assert cli(*REGISTER).exit_code == 0
    for args in (
        ("defer", "2026-00001", "--date", "2026-03-05", "--today", "2026-03-05"),
        ("letter", "2026-00001", "--kind", "art35", "--today", "2026-03-05"),
        ("tasks", "review", "--year", "2026"),
    ):
        r = cli(*args, "--due", value)
        assert r.exit_code == 2, (args, r.stdout, r.stderr)
        assert r.stderr.strip() == f"错误：--due: {said}", args
    show = json.loads(cli("show", "2026-00001", "--json", "--today", "2026-03-05").stdout)
    assert [e["kind"] for e in show["timeline"]] == ["registered", "received"]
