"""Chinese for pydantic's complaints about a setting, and for tomllib's about the syntax of
config.toml (disclosure.settings.load_settings)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tomllib

# Chinese for pydantic's usual complaints about a setting (its English message otherwise).
SETTING_ERRORS = {
    "extra_forbidden": "没有这个配置项（请检查拼写）",
    "missing": "必须填写",
    "int_parsing": "须为整数",
    "int_type": "须为整数",
    "float_parsing": "须为数字",
    "bool_parsing": "须为 true 或 false",
    "bool_type": "须为 true 或 false",
    "string_type": "须为文字（加引号）",
    "list_type": '须为列表，如 ["a", "b"]',
    "greater_than_equal": "数值过小",
    "greater_than": "数值过小",
    "less_than_equal": "数值过大",
    "less_than": "数值过大",
    "literal_error": "不是可用的取值",
    "value_error": "取值无效",
    "date_from_datetime_parsing": "须为日期 YYYY-MM-DD",
}


def toml_syntax_error(exc: tomllib.TOMLDecodeError, path: Path) -> str:
    """The Chinese message for a config file that is not valid TOML: the file, the line and
    column, and the reason (rules.notice_file's Chinese for tomllib's English)."""
    from rules.notice_file import toml_problem  # only on this error: not on every start

    reason, line, column = toml_problem(exc)
    where = f"第 {line} 行第 {column} 列" if line is not None else "文件末尾"
    return f"配置文件格式错误（{path}，{where}）：{reason}"
