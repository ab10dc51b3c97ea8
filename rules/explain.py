"""Chinese explanations of how each date was reached (pure text from `Count` records)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import groupby

from rules.calendar import DayInfo, DayKind, WorkingCalendar
from rules.engine import Clock, Count, Deadlines

CLOCK_LABELS = {
    Clock.REPLY: "答复期限",
    Clock.INTERNAL_TARGET: "内部办理时限",
    Clock.CORRECTION_NOTICE: "补正告知期限",
    Clock.CORRECTION_DEADLINE: "申请人补正期限",
    Clock.CONSULTATION: "征求意见答复期限",
    Clock.FEE_PAYMENT: "缴费期限",
}

_KIND_LABELS = {
    DayKind.WEEKEND: "周末",
    DayKind.HOLIDAY: "法定节假日",
    DayKind.CLOSURE: "本机关停止办公",
    DayKind.PAUSED: "暂停计算",
}


def cn_date(d: date) -> str:
    """Official style: 2026年3月2日."""
    return f"{d.year}年{d.month}月{d.day}日"


def _span(a: date, b: date) -> str:
    if a == b:
        return cn_date(a)
    if a.year == b.year:
        return f"{cn_date(a)}至{b.month}月{b.day}日"
    return f"{cn_date(a)}至{cn_date(b)}"


def _runs(days: list[DayInfo]) -> list[tuple[DayInfo, DayInfo]]:
    """Group consecutive days with the same kind and name into (first, last) runs."""
    runs: list[tuple[DayInfo, DayInfo]] = []
    for info in days:
        if runs:
            first, last = runs[-1]
            same = (info.kind, info.name) == (last.kind, last.name)
            if same and info.day - last.day == timedelta(days=1):
                runs[-1] = (first, info)
                continue
        runs.append((info, info))
    return runs


def skipped_days(count: Count, calendar: WorkingCalendar) -> list[DayInfo]:
    """Every day inside the counted interval that was not counted, with its reason."""
    lo, hi = (count.end, count.start) if count.backwards else (count.start, count.end)
    paused = {d for p in count.pauses for d in _days(p.start, p.end)}
    out = []
    for info in calendar.non_working_days(lo, hi) if hi > lo else []:
        out.append(info)
    for d in sorted(paused):
        if lo < d <= hi and calendar.is_working_day(d):
            out.append(DayInfo(d, DayKind.PAUSED, _pause_reason(count, d)))
    return sorted(out, key=lambda i: i.day)


def _days(a: date, b: date) -> list[date]:
    return [a + timedelta(days=i) for i in range((b - a).days + 1)]


def _pause_reason(count: Count, d: date) -> str:
    return next((p.reason for p in count.pauses if p.start <= d <= p.end), "")


def explain_count(count: Count, calendar: WorkingCalendar) -> str:
    """One paragraph: start, length, basis, skipped days by reason, end, provisional note."""
    label = CLOCK_LABELS[count.clock]
    if count.backwards:
        head = (
            f"{label}：{count.start_label}（{cn_date(count.start)}）前 {count.days} 个工作日，"
            f"即{cn_date(count.end)}（{count.basis}）。"
        )
    else:
        head = (
            f"{label}：自{count.start_label}（{cn_date(count.start)}）的次日起算，"
            f"第1个工作日为{cn_date(calendar.add_working_days(count.start, 1, count.pauses))}，"
            f"第{count.days}个工作日为{cn_date(count.end)}（{count.basis}）。"
        )
    parts = [head]
    skipped = skipped_days(count, calendar)
    if skipped:
        bits = []
        for (kind, _name), grp in groupby(_runs(skipped), key=lambda r: (r[0].kind, r[0].name)):
            spans = "、".join(_span(a.day, b.day) for a, b in grp)
            reason = _KIND_LABELS.get(kind, "")
            name = f"（{_name}）" if _name else ""
            bits.append(f"{spans}{reason}{name}")
        parts.append("期间不计算：" + "；".join(bits) + "。")
    makeup = [i for i in _makeups(count, calendar)]
    if makeup:
        parts.append("其中调休上班日计入：" + "、".join(cn_date(i.day) for i in makeup) + "。")
    if count.replaced_by is not None:
        parts.append(
            f"依条例第三十五条另行确定的答复期限为{cn_date(count.replaced_by)}，取代上述法定期限。"
        )
    lo, hi = sorted((count.start, count.end))
    if calendar.provisional_in(lo, hi):
        years = sorted(
            {y for y in range(lo.year, hi.year + 1) if calendar.is_provisional(date(y, 1, 1))}
        )
        parts.append(
            f"注意：{'、'.join(map(str, years))}年国务院节假日安排尚未载入，"
            "按法定节假日暂估（临时），载入后将重新计算。"
        )
    return "".join(parts)


def _makeups(count: Count, calendar: WorkingCalendar) -> list[DayInfo]:
    """Make-up working days that were counted (paused ones were not)."""
    lo, hi = sorted((count.start, count.end))
    out = []
    d = lo + timedelta(days=1)
    while d <= hi:
        if d.weekday() >= 5 and not any(p.start <= d <= p.end for p in count.pauses):
            info = calendar.describe(d)
            if info.kind is DayKind.MAKEUP:
                out.append(info)
        d += timedelta(days=1)
    return out


def explain(deadlines: Deadlines, calendar: WorkingCalendar) -> list[str]:
    """Every count of `deadlines`, explained, in the order they were computed."""
    return [explain_count(c, calendar) for c in deadlines.counts]
