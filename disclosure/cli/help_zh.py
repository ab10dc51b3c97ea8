"""Typer's own words in Chinese: help pages and usage errors (issue 18, finding 5).

Typer (0.29, with its bundled click) writes its help option, value placeholders, panel
titles and usage errors in English. Every command's help reads Chinese through three public
seams, all applied from the root group (disclosure.cli.main):
- `localise(command)` walks the command tree once per run: the help option's text, no
  `<bool>` after a flag, Chinese placeholders for values, `[选项]` in the usage line and a
  Context whose formatter writes `用法：`;
- the panel titles and fixed strings of `typer.rich_utils`, set by `ChineseContext.get_help`
  just before a page is drawn (importing Rich's help module costs a command that draws no
  page a noticeable part of its start-up, issue 19);
- `usage_message(exc)` words a usage error (missing option, bad value, unknown command).

Arguments get the same placeholders as options (an argument's type column ignores its
metavar, so its class is swapped for `_ChineseArgument`); a text value whose help names a
date, or whose option is one that takes a date in every command (`DATE_OPTIONS`), reads 日期.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from typer._click import Context
from typer._click.exceptions import BadParameter, MissingParameter, NoSuchOption, UsageError
from typer._click.formatting import HelpFormatter
from typer.core import TyperArgument, TyperGroup, TyperOption

HELP_TEXT = "显示本帮助并退出。"
OPTIONS = "[选项]"
PLACEHOLDERS = {
    "<str>": "文字",
    "<int>": "整数",
    "<float>": "数字",
    "<path>": "路径",
    "<file>": "文件",
    "<directory>": "文件夹",
    "<list[str]>": "文字…",
    "<list[path]>": "路径…",
}
# pydantic's error types, as typer reports a bad option value.
VALUE_ERRORS = {
    "int_parsing": "须为整数",
    "int_type": "须为整数",
    "float_parsing": "须为数字",
    "bool_parsing": "须为是或否",
    "date_from_datetime_parsing": "须为日期 YYYY-MM-DD",
    "date_parsing": "须为日期 YYYY-MM-DD",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
}

DATE = "日期"
# Options that take a date YYYY-MM-DD wherever they appear, whatever their help says
# ("--due  确定的合理答复期限"); tests/test_cli_date_options.py checks the help pages.
DATE_OPTIONS = frozenset({"--due", "--today"})
RICH_STRINGS = {
    "OPTIONS_PANEL_TITLE": "选项",
    "ARGUMENTS_PANEL_TITLE": "参数",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "DEPRECATED_STRING": "（已停用）",
    "ABORTED_TEXT": "已中止。",
    "RICH_HELP": "运行 [blue]{command_path} {help_option}[/] 查看帮助。",
}


@cache
def chinese_rich_strings() -> None:
    """Typer's panel titles and fixed strings in Chinese (once per process)."""
    import typer.rich_utils as rich_utils

    for name, text in RICH_STRINGS.items():
        setattr(rich_utils, name, text)


class _Formatter(HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)


class ChineseContext(Context):
    formatter_class = _Formatter

    def get_help(self) -> str:
        if not getattr(self.command, "draws_own_help", False):  # the root (cli.root_help)
            chinese_rich_strings()
        return super().get_help()


def _placeholder(param: TyperOption | TyperArgument, ctx: Context) -> str | None:
    if isinstance(param, TyperOption) and (param.is_flag or param.count):
        return ""
    shown = param.display_type(ctx)
    helptext = param.help or ""
    if shown == "<str>" and (DATE in helptext or "YYYY-MM-DD" in helptext):
        return DATE
    if shown == "<str>" and isinstance(param, TyperOption) and DATE_OPTIONS & set(param.opts):
        return DATE
    if shown in PLACEHOLDERS:
        return PLACEHOLDERS[shown]
    if shown.startswith("<") and "|" in shown:  # a choice: the values themselves
        return "|".join(v for v in shown.strip("<>").split("|"))
    return None


def _argument_name(param: TyperArgument) -> str:
    """An argument's name in the usage line: its help text when that is a short noun
    (登记编号), else its placeholder (文字, 路径)."""
    first = (param.help or "").strip().split("，")[0]
    short = first if 0 < len(first) <= 8 else ""
    placeholder = param.placeholder if isinstance(param, _ChineseArgument) else None
    return short or (placeholder or "").rstrip("…") or param.name or ""


class _ChineseArgument(TyperArgument):
    """An argument whose type column shows the Chinese placeholder (`placeholder`)."""

    placeholder: str | None = None

    def display_type_rich(self, ctx: Context) -> str | None:
        return self.placeholder if self.placeholder is not None else super().display_type_rich(ctx)


def localise(command: Any, ctx: Context | None = None, *, deep: bool = True) -> None:
    """Chinese help for `command` and (`deep`) everything under it (idempotent)."""
    here = ChineseContext(command, info_name=command.name, parent=ctx)
    command.context_class = ChineseContext
    if getattr(command, "options_metavar", None) == "[OPTIONS]":
        command.options_metavar = OPTIONS
    if isinstance(command, TyperGroup) and command.subcommand_metavar == "COMMAND [ARGS]...":
        command.subcommand_metavar = "命令 [参数]…"
    help_option = command.get_help_option(here)
    if help_option is not None:
        help_option.help = HELP_TEXT
        help_option.metavar = ""
    for param in command.params:
        if isinstance(param, TyperOption) and param.metavar is None:
            shown = _placeholder(param, here)
            if shown is not None:
                param.metavar = shown
        elif isinstance(param, TyperArgument) and not isinstance(param, _ChineseArgument):
            param.__class__ = _ChineseArgument
            assert isinstance(param, _ChineseArgument)
            param.placeholder = _placeholder(param, here)
            if param.metavar is None:  # the usage line names it in Chinese, not `{number}`
                param.metavar = _argument_name(param)
    for sub in getattr(command, "commands", {}).values() if deep else ():
        localise(sub, here)


def _name(exc: BadParameter) -> str:
    param = exc.param
    if param is None:
        return str(exc.param_hint or "")
    if isinstance(param, TyperArgument):
        return param.display_name_raw
    longs = [o for o in param.opts if o.startswith("--")]
    return (longs or list(param.opts))[0]


def _bad_value(exc: BadParameter) -> str:
    from pydantic import ValidationError  # typer reports bad values through pydantic

    cause = exc.__cause__
    if isinstance(cause, ValidationError):
        first = cause.errors()[0]
        kind, ctx = first.get("type", ""), first.get("ctx") or {}
        if kind == "enum":
            return "可选：" + str(ctx.get("expected", "")).replace(" or ", ", ")
        if kind in VALUE_ERRORS:
            return VALUE_ERRORS[kind]
    text = exc.message
    if text.endswith("does not exist."):
        return "文件或文件夹不存在"
    return text


def usage_message(exc: UsageError) -> str:
    """One Chinese line for a usage error."""
    if isinstance(exc, MissingParameter):
        what = "参数" if isinstance(exc.param, TyperArgument) else "选项"
        helptext = getattr(exc.param, "help", None)
        name = _name(exc)
        return f"缺少{what} {name}" + (f"（{helptext}）" if helptext and helptext != name else "")
    if isinstance(exc, BadParameter):
        return f"{_name(exc)}: 取值无效：{_bad_value(exc)}"
    if isinstance(exc, NoSuchOption):
        hint = f"（是否要用 {'、'.join(sorted(exc.possibilities))}？）" if exc.possibilities else ""
        return f"没有选项 {exc.option_name}{hint}"
    text = exc.message
    for pattern, words in USAGE_WORDS:
        match = pattern.fullmatch(text)
        if match:
            return words(*match.groups())
    return text


def _suggested(names: str | None) -> str:
    """Typer's "'a', 'b'" suggestions as （是否要用 a、b？）."""
    if not names:
        return ""
    return f"（是否要用 {'、'.join(n.strip().strip(chr(39)) for n in names.split(','))}？）"


# Click's and Typer's usage errors not raised as their own exception classes, in Chinese
# (click/parser.py, click/core.py, typer/core.py `resolve_command`).
USAGE_WORDS: tuple[tuple[re.Pattern[str], Callable[..., str]], ...] = (
    (
        re.compile(r"No such command '(.+?)'\.(?: Did you mean (.+)\?)?"),
        lambda name, near=None: f"没有命令 {name}{_suggested(near)}",
    ),
    (
        re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((.+)\)"),
        lambda args: f"多余的参数：{args}",
    ),
    (
        re.compile(r"Option '(.+)' requires (?:an argument|(\d+) arguments)\."),
        lambda name, n=None: f"选项 {name} 后须写{f' {n} 个' if n else ''}取值",
    ),
    (re.compile(r"Option '(.+)' does not take a value\."), lambda n: f"选项 {n} 不带取值"),
    (re.compile(r"Missing command\."), lambda: "缺少子命令"),
)


def usage_hint(exc: UsageError) -> str:
    """The line after the error: where the command's help is."""
    path = exc.ctx.command_path if exc.ctx is not None else "disclosure"
    return f"运行 {path} --help 查看用法。"
