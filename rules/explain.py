"""Chinese explanations of how each date was reached, built only when shown.

From `Count` records (`explain_count`), a whole `Deadlines` (`explain`), its flags
(`explain_flag`) and its standing on a day (`status_line`). Pure text; Chinese only.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import groupby

from rules.calendar import DayInfo, DayKind, Pause, WorkingCalendar
from rules.clocks import Clock, ClockStatus, FlagKind, State
from rules.deadlines import Deadlines
from rules.events import EventKind
from rules.facts import Count, Extension, Flag

CLOCK_LABELS = {
    Clock.REPLY: "答复期限",
    Clock.INTERNAL_TARGET: "内部办理时限",
    Clock.CORRECTION_NOTICE: "补正告知期限",
    Clock.CORRECTION_DEADLINE: "申请人补正期限",
    Clock.CONSULTATION: "征求意见答复期限",
    Clock.FEE_PAYMENT: "缴费期限",
}

# The letter whose service starts a clock (rulebook §11).
_LETTERS = {
    Clock.CORRECTION_DEADLINE: "补正告知书",
    Clock.CONSULTATION: "征求意见书",
    Clock.FEE_PAYMENT: "收费通知书",
}

_KIND_LABELS = {
    DayKind.WEEKEND: "周末",
    DayKind.HOLIDAY: "法定节假日",
    DayKind.CLOSURE: "本机关停止办公",
}

# The step that finished a clock, as "已于<date><label>".
_FINISHED = {
    EventKind.CORRECTION_REQUESTED: "发出补正告知",
    EventKind.CORRECTION_RECEIVED: "收到补正申请",
    EventKind.CONSULTATION_ANSWERED: "收到意见",
    EventKind.FEE_PAID: "缴费",
    EventKind.REPLIED: "答复",
    EventKind.WITHDRAWN: "撤回申请",
    EventKind.ABANDONED: "视为放弃申请",
}

FLAG_LABELS = {
    FlagKind.CORRECTION_NOTICE_LATE: "补正告知逾期发出",
    FlagKind.CORRECTION_NOTICE_AFTER_DUE: "答复期限届满后告知补正（答复期限不重新计算）",
    FlagKind.CORRECTION_LATE: "补正申请逾期提交",
    FlagKind.CONSULTATION_AFTER_DUE: "答复期限届满后征求意见",
    FlagKind.FEE_NOTICE_AFTER_DUE: "答复期限届满后发出收费通知",
    FlagKind.EXTENSION_ON_DUE_DATE: "答复期限届满当日决定延期",
    FlagKind.LATE_PAYMENT_ACCEPTED: "接受逾期缴费",
    FlagKind.EXTENSION_AFTER_DUE: "延期决定晚于按现行日历计算的答复期限",
    FlagKind.DEFERRAL_OUT_OF_TIME: "第三十五条期限与按现行日历计算的法定期限不符",
    FlagKind.PAYMENT_AFTER_PERIOD: "缴费晚于按现行日历计算的缴费期限",
    FlagKind.ABANDONED_BEFORE_LAPSE: "视为放弃早于按现行日历计算的期限届满",
    FlagKind.REPLIED_WITH_FEE_UNPAID: "答复时收费通知所列费用尚未缴纳",
}

_LIMIT_WORDS = {
    FlagKind.CORRECTION_NOTICE_LATE: "应在收到申请后7个工作日内（至{}）告知",
    FlagKind.CORRECTION_NOTICE_AFTER_DUE: "答复期限为{}",
    FlagKind.CORRECTION_LATE: "补正期限至{}",
    FlagKind.CONSULTATION_AFTER_DUE: "答复期限为{}",
    FlagKind.FEE_NOTICE_AFTER_DUE: "答复期限为{}",
    FlagKind.EXTENSION_ON_DUE_DATE: "答复期限为{}",
    FlagKind.LATE_PAYMENT_ACCEPTED: "缴费期限至{}",
    FlagKind.REPLIED_WITH_FEE_UNPAID: "收费通知发出于{}",
}

STATE_LABELS = {
    State.RUNNING: "计时中",
    State.PAUSED: "暂停计时",
    State.AWAITING_CORRECTION: "等待补正",
    State.OVERDUE: "已超期",
    State.CLOSED_ON_TIME: "按期办结",
    State.CLOSED_LATE: "逾期办结",
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


def _bounds(count: Count) -> tuple[date, date]:
    assert count.start is not None and count.end is not None
    return (count.end, count.start) if count.backwards else (count.start, count.end)


def _pauses_inside(count: Count) -> list[Pause]:
    """The merged pauses that took days out of the interval (start, end]."""
    lo, hi = _bounds(count)
    return [p for p in count.pauses if p.end > lo and p.start <= hi]


def skipped_days(count: Count, calendar: WorkingCalendar) -> list[DayInfo]:
    """Every non-working day in (start, end] outside the pauses, with its reason."""
    lo, hi = _bounds(count)
    pauses = _pauses_inside(count)
    if hi <= lo:
        return []
    return [
        info
        for info in calendar.non_working_days(lo, hi)
        if not any(p.start <= info.day <= p.end for p in pauses)
    ]


def _pause_text(p: Pause) -> str:
    """One merged pause as one span, with every cause (and its own dates when they differ)."""
    causes = p.causes
    if not causes:
        return f"{_span(p.start, p.end)}暂停计算（{p.reason or '暂停'}）"
    if len(causes) == 1 and (causes[0].start, causes[0].end) == (p.start, p.end):
        inner = causes[0].label
    else:
        inner = "；".join(f"{_span(c.start, c.end)}{c.label}" for c in causes)
    return f"{_span(p.start, p.end)}暂停计算（{inner}）"


def _makeups(count: Count, calendar: WorkingCalendar) -> list[DayInfo]:
    """Make-up working days that were counted (paused ones were not)."""
    lo, hi = _bounds(count)
    out = []
    d = lo + timedelta(days=1)
    while d <= hi:
        if d.weekday() >= 5 and not any(p.start <= d <= p.end for p in count.pauses):
            info = calendar.describe(d)
            if info.kind is DayKind.MAKEUP:
                out.append(info)
        d += timedelta(days=1)
    return out


def _head(count: Count, label: str, calendar: WorkingCalendar) -> str:
    if count.backwards:
        assert count.start is not None and count.end is not None
        return (
            f"{label}：{count.start_label}（{cn_date(count.start)}）前 {count.days} 个工作日，"
            f"即{cn_date(count.end)}（{count.basis}）。"
        )
    assert count.start is not None and count.end is not None
    first = calendar.add_working_days(count.start, 1, count.pauses)
    return (
        f"{label}：自{count.start_label}（{cn_date(count.start)}）的次日起算，"
        f"第1个工作日为{cn_date(first)}，第{count.days}个工作日为{cn_date(count.end)}"
        f"（{count.basis}）。"
    )


def explain_count(
    count: Count, calendar: WorkingCalendar, extension: Extension | None = None
) -> str:
    """One paragraph: start, length, basis, skipped days by reason, end, and where it stands."""
    label = CLOCK_LABELS[count.clock]
    if count.start is None or count.end is None:
        letter = _LETTERS.get(count.clock, "文书")
        sent = f"{letter}已于{cn_date(count.sent)}发出，" if count.sent else ""
        text = (
            f"{label}：{sent}送达日期尚未记录，期限尚未起算"
            f"（自送达次日起{count.days}个工作日，{count.basis}）。"
        )
        return text + _finished(count)
    parts = [_head(count, label, calendar)]
    bits = [(p.start, _pause_text(p)) for p in _pauses_inside(count)]
    runs = sorted(_runs(skipped_days(count, calendar)), key=lambda r: (r[0].kind, r[0].name))
    for (kind, name), group in groupby(runs, key=lambda r: (r[0].kind, r[0].name)):
        grp = list(group)
        spans = "、".join(_span(a.day, b.day) for a, b in grp)
        text = f"{spans}{_KIND_LABELS.get(kind, '')}" + (f"（{name}）" if name else "")
        bits.append((grp[0][0].day, text))
    if bits:
        parts.append("期间不计算：" + "；".join(t for _, t in sorted(bits)) + "。")
    makeup = _makeups(count, calendar)
    if makeup:
        parts.append("其中调休上班日计入：" + "、".join(cn_date(i.day) for i in makeup) + "。")
    if extension is not None and count.clock is Clock.REPLY:
        approver = f"经{extension.approver}批准，" if extension.approver else ""
        moved = ""
        if extension.original_due is not None and extension.due is not None:
            moved = (
                f"：原答复期限为{cn_date(extension.original_due)}，延长后为{cn_date(extension.due)}"
            )
        parts.append(
            f"{approver}本机关于{cn_date(extension.decided_on)}决定延长答复期限"
            f"{extension.days}个工作日{moved}。"
        )
    if count.replaced_by is not None:
        parts.append(
            f"依条例第三十五条另行确定的答复期限为{cn_date(count.replaced_by)}，取代上述法定期限。"
        )
    if count.projection:
        parts.append(
            "该日期为预计：假定尚未结束的暂停持续至最长期限（未记录送达日期的，自发出之日推算），"
            "记录答复、缴费或送达日期后将重新计算。"
        )
    if count.provisional:
        lo, hi = _bounds(count)
        years = sorted(
            {y for y in range(lo.year, hi.year + 1) if calendar.is_provisional(date(y, 1, 1))}
        )
        parts.append(
            f"注意：{'、'.join(map(str, years))}年国务院节假日安排尚未载入，"
            "按法定节假日暂估（临时），载入后将重新计算。"
        )
    return "".join(parts) + _finished(count)


def _finished(count: Count) -> str:
    if count.status is not ClockStatus.FINISHED or count.finished_on is None:
        return ""
    step = _FINISHED.get(count.finished_by, "办结") if count.finished_by else "办结"
    return f"（已于{cn_date(count.finished_on)}{step}，计时结束。）"


def explain(deadlines: Deadlines, calendar: WorkingCalendar | None = None) -> list[str]:
    """Every count of `deadlines`, explained, in the order they were computed."""
    cal = calendar or deadlines.calendar
    ext = deadlines.extension
    return [explain_count(c, cal, ext) for c in deadlines.counts]


def explain_flag(flag: Flag) -> str:
    """One late or irregular step, e.g.
    "补正告知逾期发出：2026年3月12日（应在收到申请后7个工作日内（至2026年3月11日）告知）"."""
    text = f"{FLAG_LABELS[flag.kind]}：{cn_date(flag.on)}"
    if flag.limit is not None:
        words = _LIMIT_WORDS.get(flag.kind, "按现行日历计算的期限为{}")
        text += f"（{words.format(cn_date(flag.limit))}）"
    if flag.note:
        text += f"，理由：{flag.note}"
    return text


def status_line(deadlines: Deadlines, today: date) -> str:
    """Where the application stands on `today`, e.g. "计时中，剩余 5 个工作日".

    Overdue wins (rulebook §11); an overdue case never reads "剩余 0 个工作日".
    """
    state = deadlines.state(today)
    label = STATE_LABELS[state]
    due = deadlines.reply_due
    if state in (State.CLOSED_ON_TIME, State.CLOSED_LATE):
        late = deadlines.working_days_late(today) or 0
        return label + (f"，逾期 {late} 个工作日" if late else "")
    if state is State.OVERDUE:
        assert due is not None
        late = deadlines.working_days_late(today) or 0
        return f"{label} {late} 个工作日（答复期限为{cn_date(due)}）"
    if state is State.AWAITING_CORRECTION:
        c = deadlines.correction_deadline
        return label + (f"，补正期限至{cn_date(c)}" if c else "，补正告知送达日期尚未记录")
    left = deadlines.working_days_left(today)
    if due is None or left is None:
        return label
    when = "今日到期" if left == 0 else f"剩余 {left} 个工作日"
    return f"{label}，{when}" + ("（预计）" if deadlines.projection else "")
