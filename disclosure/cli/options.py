"""Option types and value parsers shared by the commands (dates, pauses, output files)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from disclosure.errors import InvalidInput
from disclosure.textinput import iso_date
from rules.calendar import Pause

JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON")]
TodayOpt = Annotated[str | None, typer.Option("--today", help="以该日为今天（YYYY-MM-DD）")]
DateOpt = Annotated[str, typer.Option("--date", help="日期 YYYY-MM-DD")]
NoteOpt = Annotated[str, typer.Option("--note", help="备注")]
Number = Annotated[str, typer.Argument(help="登记编号")]


def parse_date(value: str | None, field: str) -> date | None:
    """A date written YYYY-MM-DD; `InvalidInput` naming `field` (a domain name) otherwise."""
    if value is None:
        return None
    return iso_date(value, field)  # strictly YYYY-MM-DD (disclosure.textinput)


def require_date(value: str, field: str) -> date:
    d = parse_date(value, field)
    assert d is not None
    return d


def parse_pause(value: str) -> Pause:
    """START:END, both dates included (rulebook §2)."""
    start, sep, end = value.partition(":")
    if not sep:
        raise InvalidInput(f"暂停区间应为 START:END，收到 {value!r}", field="pause")
    s, e = require_date(start, "pause"), require_date(end, "pause")
    if e < s:
        raise InvalidInput(f"暂停结束日期早于开始日期：{value}", field="pause")
    return Pause(s, e, "暂停")


def out_file(path: Path, *suffixes: str, field: str = "--out") -> Path:
    """`path` when its extension is one of `suffixes` (".docx", any case): the format the
    command writes; else `InvalidInput` naming `field`, checked before anything is written."""
    if path.suffix.lower() in suffixes:
        return path
    allowed = (
        " 或 ".join(suffixes)
        if len(suffixes) < 3
        else ("、".join(suffixes[:-1]) + " 或 " + suffixes[-1])
    )
    given = f"，收到 {path.suffix}" if path.suffix else "，该文件名没有扩展名"
    raise InvalidInput(f"文件扩展名须为 {allowed}{given}", field=field)
