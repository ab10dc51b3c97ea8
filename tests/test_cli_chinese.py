"""The command line speaks Chinese: every help page and usage error (issue 18, finding 5).

Typer writes its own help option, placeholders, panel titles and usage errors in English;
disclosure.cli.help_zh replaces them. Every command's --help is checked, so a new command
cannot bring English back.
"""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from disclosure.cli.main import app

# Typer's own English words, as they appeared on help pages and in usage errors.
ENGLISH = re.compile(
    r"Show this message|<bool>|Usage:|\[OPTIONS\]|\[required\]|\[default:|Options|Arguments"
    r"|Commands|Missing (option|argument)|No such (option|command)|Invalid value|Try '"
)


def _paths(command, prefix=()):  # type: ignore[no-untyped-def]
    yield prefix
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _paths(sub, (*prefix, name))


def cli_without_database(*args: str):  # type: ignore[no-untyped-def]
    """Help pages and usage errors need no database: one run each, not one per engine."""
    return CliRunner().invoke(app, list(args), prog_name="disclosure", catch_exceptions=False)


def test_every_option_says_what_it_is_for():  # type: ignore[no-untyped-def]
    def silent(command, path=()):  # type: ignore[no-untyped-def]
        for param in command.params:
            if not getattr(param, "help", None):
                yield path, param.opts
        for name, sub in getattr(command, "commands", {}).items():
            yield from silent(sub, (*path, name))

    assert list(silent(typer.main.get_command(app))) == []


# What Rich takes for a markup tag on a help page (rich.markup.RE_TAGS): "[web] host" would
# show as " host".
RICH_TAG = re.compile(r"(?<!\\)\[[a-z#/@][^[]*?\]")


def test_no_help_text_loses_words_to_rich_markup():  # type: ignore[no-untyped-def]
    def texts(command, path=()):  # type: ignore[no-untyped-def]
        yield path, command.help or ""
        for param in command.params:
            yield (*path, *param.opts), getattr(param, "help", None) or ""
        for name, sub in getattr(command, "commands", {}).items():
            yield from texts(sub, (*path, name))

    found = [(where, t) for where, t in texts(typer.main.get_command(app)) if RICH_TAG.search(t)]
    assert found == []


def test_every_help_page_is_chinese():  # type: ignore[no-untyped-def]
    cli = cli_without_database
    paths = list(_paths(typer.main.get_command(app)))
    assert len(paths) > 50  # the walk reached the subcommands
    for path in paths:
        r = cli(*path, "--help")
        assert r.exit_code == 0, (path, r.stderr)
        found = ENGLISH.search(r.stdout)
        assert found is None, f"disclosure {' '.join(path)} --help: {found.group(0)!r}"
        assert "显示本帮助并退出" in r.stdout and "用法：" in r.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["reply", "2026-00001"], "错误：缺少选项 --outcome（答复结果代码"),
        (["reply"], "错误：缺少参数 登记编号"),
        (["nosuch"], "错误：没有命令 nosuch"),
        (["fee", "--pages", "x"], "错误：--pages: 取值无效：须为整数"),
        (["list", "--bogus"], "错误：没有选项 --bogus"),
        (["deadline", "--received", "2026-03-02", "extra"], "错误：多余的参数：extra"),
        (["deadline", "--received", "2026-03-02", "x", "y"], "错误：多余的参数：x y"),
        (["correction", "receve"], "错误：没有命令 receve（是否要用 receive？）"),
        (["deadline", "--received"], "错误：选项 --received 后须写取值"),
    ],
)
def test_usage_errors_are_one_chinese_line_and_say_where_help_is(args, expected):  # type: ignore[no-untyped-def]
    r = cli_without_database(*args)
    assert r.exit_code == 2
    lines = r.stderr.splitlines()
    assert lines[0].startswith(expected), r.stderr
    assert lines[1].startswith("运行 disclosure") and lines[1].endswith("--help 查看用法。")
    assert ENGLISH.search(r.stderr) is None and "╭" not in r.stderr  # no English error box


def test_a_file_that_cannot_be_written_is_said_in_chinese(cli, tmp_path):  # type: ignore[no-untyped-def]
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    r = cli("report", "annual", "--year", "2026", "--format", "xlsx", "--out", f"{blocker}/r.xlsx")
    assert r.exit_code == 1
    assert "路径中有一段不是文件夹" in r.stderr and "Errno" not in r.stderr


def test_letter_kinds_names_series_and_events():  # type: ignore[no-untyped-def]
    r = cli_without_database("letter", "kinds")
    assert r.exit_code == 0, r.stderr
    assert "发出补正告知" in r.stdout and "告知类" in r.stdout
    assert "correction_requested" not in r.stdout and "│ notice" not in r.stdout
    # JSON keeps the codes for machines.
    r = cli_without_database("letter", "kinds", "--json")
    assert '"records": "correction_requested"' in r.stdout


def test_a_bad_setting_is_named_in_chinese(tmp_path):  # type: ignore[no-untyped-def]
    config = tmp_path / "config.toml"
    config.write_text('[web]\nport = "eighty"\nbogus = 1\n', encoding="utf-8")
    r = cli_without_database("--config", str(config), "list")
    assert r.exit_code == 3
    assert r.stderr.startswith("错误：配置项 web.")
    assert "Input should" not in r.stderr and "Extra inputs" not in r.stderr
    assert "须为整数" in r.stderr or "没有这个配置项" in r.stderr
    r = cli_without_database("--config", str(tmp_path / "missing.toml"), "list")
    assert r.stderr.startswith("错误：配置文件不存在：") and "not found" not in r.stderr


def test_usage_lines_name_arguments_in_chinese() -> None:
    for args, name in ((["show"], "{登记编号}"), (["calendar", "load"], "{路径}")):
        usage = cli_without_database(*args, "--help").stdout
        line = next(ln for ln in usage.splitlines() if "用法：" in ln)
        assert name in line and not re.search(r"\{[a-z_]+\}", line), line
