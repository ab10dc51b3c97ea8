"""The CLI's names for the domain's fields: the one map used when an error is printed.

Services name the field an error is about in domain terms (`on`, `days`, `applicant`); the
CLI shows the option the user typed. A field without an entry is shown as `--` + its name
with `_` → `-` (`id_number` → `--id-number`); anything that is not a snake_case name (an
option, an argument, a place in a file) passes unchanged.
"""

from __future__ import annotations

import re

_DOMAIN_NAME = re.compile(r"[a-z][a-z0-9_]*")

CLI_FIELDS = {
    "on": "--date",
    "number": "登记编号",
    "to": "阶段",
    "revert_to": "--to",  # calendar revert's version
    "file": "文件",
    "kind": "--kind",
    "year": "--year",
}

# Arguments (typed without an option name) by the Chinese names their help pages show.
ARGUMENTS = {
    "NUMBER": "登记编号",
    "FILE": "文件",
    "STAGE": "阶段",
    "CASE_ID": "案件编号",
    "YEAR": "年份",
}


def cli_name(field: str, options: frozenset[str] | None = None) -> str:
    """The CLI's name for `field`; with `options` (every option the CLI declares), a name
    that is no option (a key given as an argument, say) is shown as it is."""
    if field in ARGUMENTS:
        return ARGUMENTS[field]
    if not _DOMAIN_NAME.fullmatch(field):
        return field  # already an option, an argument, or a place in a file
    if field in CLI_FIELDS:
        return CLI_FIELDS[field]
    option = "--" + field.replace("_", "-")
    return option if options is None or option in options else field
