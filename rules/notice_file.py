"""Strict reading of a holiday-notice file an office loads (`disclosure calendar load FILE`).

The built-in data is read by `rules.schedule.parse_notices`, which trusts its input. A file
from outside is read here instead: every key known, every value of its type, every date
inside the notice's year, nothing listed twice, bounded in size; a mistake is reported in
Chinese with the line and the key it is on, never as a traceback. What the notice *says*
(statutory holidays covered, plausible totals) is judged afterwards by `rules.notice_checks`.

Format (one `[[notice]]` table per State Council notice; see docs/calendar.md):

    example = false                # optional; true marks a file whose dates are invented
    [[notice]]
    year = 2027
    title = "国务院办公厅关于2027年部分节假日安排的通知"
    number = "国办发明电〔2026〕N号"   # optional
    published = 2026-11-04          # optional
    url = "https://www.gov.cn/…"    # optional: where the notice was published
    supplements = "…"               # only in a supplementary notice: the main notice's title
    days_off = [{ name = "元旦", start = 2027-01-01, end = 2027-01-03 }, …]
    working_weekend_days = [{ date = 2027-02-20, name = "春节" }, …]
    cancelled_working_days = [2027-02-20]   # optional, supplementary notices
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NoReturn

from rules.errors import CalendarDataError
from rules.notice_lines import Locator
from rules.schedule import DayOff, Notice

MAX_FILE_BYTES = 64 * 1024  # a year's notice is 1–2 KB; the built-in file of 8 years is 9 KB
MAX_NOTICES = 12  # per file
MAX_ITEMS = 40  # entries per list in one notice (a year has 7 festivals)
MAX_LENGTH = {"title": 300, "number": 100, "url": 500, "supplements": 300, "name": 50}
# A notice for year Y may start the New Year break in the last days of Y-1 (2019, 2023, 2024
# did: 元旦 from 30/31 December). Practice: at most this many days before 1 January.
DAYS_BEFORE_YEAR = 7
WEEKDAYS = "一二三四五六日"

TOP_KEYS = {"notice", "example"}
NOTICE_KEYS = {
    "year",
    "title",
    "number",
    "published",
    "url",
    "supplements",
    "days_off",
    "working_weekend_days",
    "cancelled_working_days",
}
DAY_OFF_KEYS = {"name", "start", "end"}
WORKING_DAY_KEYS = {"date", "name"}


class NoticeFileError(CalendarDataError):
    """A notice file that cannot be read; `line` and `key` say where (when known)."""

    def __init__(self, message: str, *, key: str = "", line: int | None = None) -> None:
        where = "，".join(x for x in (f"第 {line} 行" if line else "", key) if x)
        super().__init__(f"{where}：{message}" if where else message, field=key or "file")
        self.reason = message
        self.key = key
        self.line = line

    def __str__(self) -> str:
        return self.message  # already says where


class NoticeFileErrors(NoticeFileError):
    """Several mistakes of one file, each with its line and key, named at once."""

    def __init__(self, problems: list[NoticeFileError]) -> None:
        listed = "；".join(p.message for p in problems)
        super().__init__(f"共 {len(problems)} 处有误，均未载入：{listed}")
        self.problems = problems


def several(problems: list[NoticeFileError]) -> NoticeFileError:
    """The error naming `problems` (one of them as it is)."""
    flat = [q for p in problems for q in (p.problems if isinstance(p, NoticeFileErrors) else [p])]
    return flat[0] if len(flat) == 1 else NoticeFileErrors(flat)


@dataclass(frozen=True)
class NoticeEntry:
    """One notice as the office loaded it: the calendar data plus what the checks need."""

    notice: Notice
    supplements: str | None = None  # title of the main notice this one amends
    url: str = ""
    line: int | None = None  # the line of its `[[notice]]` header in the file

    @property
    def is_supplement(self) -> bool:
        return self.supplements is not None


@dataclass(frozen=True)
class NoticeFile:
    entries: tuple[NoticeEntry, ...]
    example: bool = False

    @property
    def years(self) -> list[int]:
        return sorted({e.notice.year for e in self.entries})


def weekday_name(d: date) -> str:
    return "星期" + WEEKDAYS[d.weekday()]


_TOML_REASONS = (
    ("Cannot overwrite a value", "同一个键写了两次"),
    ("Duplicate inline table key", "同一个键写了两次"),
    ("Cannot declare", "同一个表声明了两次"),
    ("Invalid date or datetime", "日期无效（应为 YYYY-MM-DD）"),
    ("Unterminated string", "字符串缺少结尾的引号"),
    ("Unclosed array", "数组缺少结尾的 ]"),
    ("Unclosed inline table", "内联表缺少结尾的 }"),
    ("Expected '=' after a key", "键后面缺少 ="),
    ("Invalid initial character for a key part", "键名无效"),
    ("Expected newline or end of document", "一行只能写一个“键 = 值”"),
    ("Found invalid character", "含有不允许的字符（如控制字符）"),
    ("Invalid value", "值无效（字符串要加引号，日期写作 YYYY-MM-DD）"),
    ("Expected ']' at the end of a table declaration", "表名缺少结尾的 ]"),
    ("Expected ']]' at the end of an array declaration", "表数组名缺少结尾的 ]]"),
    ("Unescaped '\\'", "字符串中的反斜杠 \\ 要写成 \\\\（或改用单引号、正斜杠 /）"),
    ("Invalid hex value", "字符串中的 \\u 转义无效"),
    ("Escaped character is not a Unicode scalar value", "字符串中的 \\u 转义无效"),
    ("Illegal character", "含有不允许的字符（如控制字符）"),
    ("Invalid statement", "无法识别的一行（应为“键 = 值”或 [表名]）"),
    ("Cannot mutate immutable namespace", "与前面定义的表冲突"),
    ("Cannot redefine namespace", "与前面定义的表冲突"),
)
_AT = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


def toml_problem(exc: tomllib.TOMLDecodeError) -> tuple[str, int | None, int | None]:
    """The Chinese reason of a TOML syntax error, and its 1-based line and column (None, None
    when tomllib places it at the end of the document). Python 3.11's error carries the
    position only in its message, "… (at line N, column M)"; 3.14 adds attributes."""
    raw = str(exc)
    reason = next((zh for en, zh in _TOML_REASONS if raw.startswith(en)), "TOML 格式错误")
    line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    if isinstance(line, int) and isinstance(column, int):
        return reason, line, column
    m = _AT.search(raw)
    if m and m.group(1):
        return reason, int(m.group(1)), int(m.group(2))
    return reason, None, None


def _toml_error(exc: tomllib.TOMLDecodeError, text: str) -> NoticeFileError:
    reason, line, column = toml_problem(exc)
    if line is not None:
        return NoticeFileError(f"{reason}（第 {column} 列）", line=line)
    return NoticeFileError(f"{reason}（在文件末尾）", line=text.count("\n") + 1)


def parse_notice_file(text: str) -> NoticeFile:
    """Read a notice file strictly. Raises `NoticeFileError` (with line and key) on anything
    unexpected; the result's dates are all inside each notice's year (see DAYS_BEFORE_YEAR)."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise NoticeFileError(f"文件过大（上限 {MAX_FILE_BYTES // 1024} KB）")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(exc, text) from exc
    except RecursionError as exc:  # absurdly nested arrays
        raise NoticeFileError("嵌套层次过深，不是节假日安排文件") from exc
    where = Locator(text)
    for key in data:
        if key not in TOP_KEYS:
            raise NoticeFileError(f"未知的键 {key}", key=key, line=where.top(key))
    example = data.get("example", False)
    if not isinstance(example, bool):
        raise NoticeFileError("应为 true 或 false", key="example", line=where.top("example"))
    raw_notices = data.get("notice")
    if not isinstance(raw_notices, list) or not raw_notices:
        raise NoticeFileError("没有 [[notice]] 表（每个通知写一个 [[notice]]）", key="notice")
    if len(raw_notices) > MAX_NOTICES:
        raise NoticeFileError(f"通知过多（上限 {MAX_NOTICES} 个）", key="notice")
    found: list[NoticeEntry] = []
    problems: list[NoticeFileError] = []
    for i, raw in enumerate(raw_notices):
        try:
            found.append(_entry(raw, i, where))
        except NoticeFileError as exc:
            problems.append(exc)
    if problems:
        raise several(problems)
    entries = tuple(found)
    seen: dict[tuple[int, str], int] = {}
    for i, e in enumerate(entries):
        ident = (e.notice.year, e.notice.title)
        if ident in seen:
            raise NoticeFileError(
                f"与第 {seen[ident] + 1} 个通知标题相同：{e.notice.title}",
                key=f"第 {i + 1} 个通知 title",
                line=where.key(i, "title"),
            )
        seen[ident] = i
    return NoticeFile(entries, example)


class _Reader:
    """Typed access to one `[[notice]]` table; every error names its line and key."""

    def __init__(self, raw: dict[str, Any], index: int, where: Locator) -> None:
        self.raw, self.index, self.where = raw, index, where
        self.year = 0
        self.problems: list[NoticeFileError] = []

    @contextmanager
    def each(self) -> Iterator[None]:
        """One list item's checks: its mistake is kept and the next item read, so that the
        file's mistakes are named all at once (`several`)."""
        try:
            yield
        except NoticeFileError as exc:
            self.problems.append(exc)

    def fail(self, message: str, key: str, item: int | None = None, sub: str = "") -> NoReturn:
        path = key if item is None else f"{key} 第 {item + 1} 项"
        path += f"的 {sub}" if sub else ""
        line = self.where.item(self.index, key, item) if item is not None else None
        raise NoticeFileError(
            message,
            key=f"第 {self.index + 1} 个通知 {path}",
            line=line or self.where.key(self.index, key) or self.where.header(self.index),
        )

    def text(self, value: object, key: str, item: int | None = None, sub: str = "") -> str:
        limit = MAX_LENGTH[sub or key]
        if not isinstance(value, str):
            self.fail("应为字符串（加引号）", key, item, sub)
        if len(value) > limit:
            self.fail(f"过长（上限 {limit} 字）", key, item, sub)
        if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
            self.fail("含有控制字符", key, item, sub)
        return value.strip()

    def day(self, value: object, key: str, item: int | None = None, sub: str = "") -> date:
        if isinstance(value, datetime) or not isinstance(value, date):
            self.fail("应为日期，写作 YYYY-MM-DD（不加引号）", key, item, sub)
        if self.year and key != "published":
            first = date(self.year, 1, 1) - timedelta(days=DAYS_BEFORE_YEAR)
            if not first <= value <= date(self.year, 12, 31):
                self.fail(
                    f"{value.isoformat()} 不在 {self.year} 年内（只有元旦假期可从上一年"
                    f" {first.month} 月 {first.day} 日起）",
                    key,
                    item,
                    sub,
                )
        return value

    def items(self, key: str) -> list[Any]:
        value = self.raw.get(key, [])
        if not isinstance(value, list):
            self.fail("应为数组 [ … ]", key)
        if len(value) > MAX_ITEMS:
            self.fail(f"项数过多（上限 {MAX_ITEMS} 项）", key)
        return list(value)

    def table(self, value: object, key: str, i: int, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail("应为 { … } 表", key, i)
        for k in value:
            if k not in allowed:
                self.fail(f"未知的键 {k}（可用：{'、'.join(sorted(allowed))}）", key, i)
        return value


def _entry(raw: object, index: int, where: Locator) -> NoticeEntry:
    if not isinstance(raw, dict):
        raise NoticeFileError("应为 [[notice]] 表", key=f"第 {index + 1} 个通知")
    r = _Reader(raw, index, where)
    for k in raw:
        if k not in NOTICE_KEYS:
            r.fail(f"未知的键（可用：{'、'.join(sorted(NOTICE_KEYS))}）", k)
    year = raw.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        r.fail("缺少年份或不是整数（如 year = 2027）", "year")
    if not 2000 <= year <= 2100:
        r.fail(f"年份 {year} 不合理", "year")
    r.year = year
    if "title" not in raw:
        r.fail("缺少通知标题", "title")
    title = r.text(raw["title"], "title")
    if not title:
        r.fail("通知标题不能为空", "title")
    number = r.text(raw.get("number", ""), "number")
    url = r.text(raw.get("url", ""), "url")
    supplements = r.text(raw["supplements"], "supplements") if "supplements" in raw else None
    if supplements == "":
        r.fail("应写明所补充的主通知标题", "supplements")
    published = r.day(raw["published"], "published") if "published" in raw else None
    offs, off_days = _days_off(r)
    works = _working_days(r, off_days)
    cancelled = []
    undone = "cancelled_working_days"
    for i, v in enumerate(r.items(undone)):
        with r.each():
            d = r.day(v, undone, i)
            if d.weekday() < 5:
                r.fail(f"{d.isoformat()} 是{weekday_name(d)}，不是周末", undone, i)
            if d in cancelled:
                r.fail(f"{d.isoformat()} 重复", undone, i)
            cancelled.append(d)
    if r.problems:
        raise several(r.problems)
    notice = Notice(
        year=year,
        title=title,
        number=number,
        published=published,
        days_off=tuple(offs),
        working_days=tuple(works),
        cancelled_working_days=tuple(cancelled),
    )
    return NoticeEntry(notice, supplements, url, where.header(index))


def _days_off(r: _Reader) -> tuple[list[DayOff], dict[date, int]]:
    offs: list[DayOff] = []
    seen: dict[date, int] = {}
    for i, v in enumerate(r.items("days_off")):
        with r.each():
            offs.append(_day_off(r, v, i, seen))
    return offs, seen


def _day_off(r: _Reader, v: object, i: int, seen: dict[date, int]) -> DayOff:
    item = r.table(v, "days_off", i, DAY_OFF_KEYS)
    if "start" not in item:
        r.fail("缺少 start（放假第一天）", "days_off", i)
    start = r.day(item["start"], "days_off", i, "start")
    end = r.day(item.get("end", start), "days_off", i, "end")
    name = r.text(item.get("name", ""), "days_off", i, "name")
    if not name:
        r.fail("缺少节日名称 name", "days_off", i)
    if end < start:
        r.fail(f"结束日期 {end} 早于开始日期 {start}", "days_off", i)
    off = DayOff(name, start, end)
    for d in off.days():
        if d in seen:
            r.fail(f"{d.isoformat()} 已在第 {seen[d] + 1} 项中", "days_off", i)
    seen.update(dict.fromkeys(off.days(), i))
    return off


def _working_days(r: _Reader, off_days: dict[date, int]) -> list[tuple[date, str]]:
    works: list[tuple[date, str]] = []
    key = "working_weekend_days"
    for i, v in enumerate(r.items(key)):
        with r.each():
            works.append(_working_day(r, v, i, off_days, works))
    return works


def _working_day(
    r: _Reader, v: object, i: int, off_days: dict[date, int], works: list[tuple[date, str]]
) -> tuple[date, str]:
    key = "working_weekend_days"
    if isinstance(v, dict):
        item = r.table(v, key, i, WORKING_DAY_KEYS)
        if "date" not in item:
            r.fail("缺少 date", key, i)
        d = r.day(item["date"], key, i, "date")
        name = r.text(item.get("name", ""), key, i, "name")
    else:
        d, name = r.day(v, key, i), ""
    if d.weekday() < 5:
        r.fail(f"{d.isoformat()} 是{weekday_name(d)}：调休上班日只能是星期六或星期日", key, i)
    if d in off_days:
        r.fail(f"{d.isoformat()} 同时列为放假（days_off 第 {off_days[d] + 1} 项）", key, i)
    if any(d == w for w, _ in works):
        r.fail(f"{d.isoformat()} 重复", key, i)
    return d, name
