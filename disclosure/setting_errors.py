"""Chinese for pydantic's complaints about a setting (disclosure.settings.load_settings)."""

from __future__ import annotations

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
