"""Due dates and review periods of key tasks, as plans write them. Pure: no clock, no I/O.

A due date is written in its own column ("2021-12-31", "2021年12月31日", "2021年底前",
"2021年6月底前", "持续推进") or inside the requirement ("2021 年底前通过政府网站…集中公开").
No date means a continuing task (持续推进) that reports its progress every period.

Progress periods are calendar periods (months, quarters, halves, years). The first report is
due at the end of the period in which the task starts; after a report dated in period P, the
next is due at the end of the period after P (so a late report for a missed period moves the
next one on, and a missed report stays overdue until one is made).
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from disclosure.vocabulary import ReviewFrequency

CONTINUING_WORDS = ("持续推进", "持续", "长期", "常态化", "长期坚持", "全年")
_YEAR_END = re.compile(r"(\d{4})\s*年\s*(底|年底|末|年末)\s*前?")
_MONTH_END = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(底|末)\s*前?")
_HALF = re.compile(r"(\d{4})\s*年\s*(上|下)\s*半年")
_FULL = re.compile(r"(\d{4})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*日?")
FREQUENCY_WORDS = {
    "每月": ReviewFrequency.MONTHLY,
    "月度": ReviewFrequency.MONTHLY,
    "每季度": ReviewFrequency.QUARTERLY,
    "季度": ReviewFrequency.QUARTERLY,
    "每半年": ReviewFrequency.HALF_YEARLY,
    "半年": ReviewFrequency.HALF_YEARLY,
    "每年": ReviewFrequency.YEARLY,
    "年度": ReviewFrequency.YEARLY,
}
MONTHS_PER_PERIOD = {
    ReviewFrequency.MONTHLY: 1,
    ReviewFrequency.QUARTERLY: 3,
    ReviewFrequency.HALF_YEARLY: 6,
    ReviewFrequency.YEARLY: 12,
}


class DateProblem(ValueError):
    """The text names a date that does not exist or cannot be read."""


def _month_end(year: int, month: int) -> date:
    if not 1 <= month <= 12:
        raise DateProblem(f"月份不存在：{month}")
    return date(year, month, calendar.monthrange(year, month)[1])


def find_due(text: str) -> date | None:
    """The first due date written in `text`, or None (no date, or a continuing task)."""
    flat = text.replace(" ", "")
    candidates: list[tuple[int, date]] = []
    if m := _FULL.search(flat):
        try:
            candidates.append((m.start(), date(int(m[1]), int(m[2]), int(m[3]))))
        except ValueError as exc:
            raise DateProblem(f"日期不存在：{m[0]}") from exc
    if m := _MONTH_END.search(flat):
        candidates.append((m.start(), _month_end(int(m[1]), int(m[2]))))
    if m := _HALF.search(flat):
        candidates.append((m.start(), _month_end(int(m[1]), 6 if m[2] == "上" else 12)))
    if m := _YEAR_END.search(flat):
        candidates.append((m.start(), date(int(m[1]), 12, 31)))
    if not candidates:
        return None
    return min(candidates)[1]


def parse_due_cell(text: str) -> date | None:
    """The 完成时限 cell: a date, or None for 持续推进 / empty. Raises `DateProblem`."""
    flat = text.strip()
    if not flat or flat in CONTINUING_WORDS:
        return None
    found = find_due(flat)
    if found is None:
        raise DateProblem(f"无法识别的完成时限：{flat}（应为日期，如 2021-12-31，或“持续推进”）")
    return found


def parse_frequency(text: str, default: ReviewFrequency) -> ReviewFrequency:
    flat = text.strip()
    if not flat:
        return default
    try:
        return ReviewFrequency(flat)
    except ValueError:
        pass
    for word, freq in FREQUENCY_WORDS.items():
        if word in flat:
            return freq
    raise DateProblem(f"无法识别的报送频次：{flat}（可用：每月、每季度、每半年、每年）")


def period_end(day: date, freq: ReviewFrequency) -> date:
    """The last day of the calendar period (of `freq`) that contains `day`.

    Example: 2021-08-05, quarterly → 2021-09-30; half-yearly → 2021-12-31.
    """
    n = MONTHS_PER_PERIOD[freq]
    last_month = ((day.month - 1) // n + 1) * n
    return _month_end(day.year, last_month)


def next_report_due(starts_on: date, last_report: date | None, freq: ReviewFrequency) -> date:
    """When the next progress report of a continuing task is due (module docstring)."""
    if last_report is None:
        return period_end(starts_on, freq)
    end = period_end(last_report, freq)
    following = date(end.year + (end.month == 12), end.month % 12 + 1, 1)
    return period_end(following, freq)
