"""rules.explain: the Chinese explanation of how each date was reached."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from rules.calendar import WorkingCalendar
from rules.engine import Clock, Deadlines, Policy, compute
from rules.events import Event, EventKind
from rules.explain import cn_date, explain, explain_count, explain_flag, status_line
from rules.schedule import Closure, Notice

D = date.fromisoformat


def _reply_text(deadlines: Deadlines, calendar: WorkingCalendar) -> str:
    count = next(c for c in deadlines.counts if c.clock is Clock.REPLY)
    return explain_count(count, calendar)


def test_cn_date() -> None:
    assert cn_date(D("2026-03-02")) == "2026年3月2日"


def test_spring_festival_count_names_the_holiday_and_makeup_days(
    calendar: WorkingCalendar,
) -> None:
    dl = compute([Event(EventKind.RECEIVED, D("2026-02-02"))], calendar)
    text = _reply_text(dl, calendar)
    assert "第1个工作日为2026年2月3日" in text
    assert "第20个工作日为2026年3月6日" in text
    assert "2026年2月15日至2月23日法定节假日（春节）" in text
    assert "调休上班日计入：2026年2月14日、2026年2月28日" in text
    assert "临时" not in text


def test_provisional_count_says_so(calendar: WorkingCalendar) -> None:
    dl = compute([Event(EventKind.RECEIVED, D("2026-12-14"))], calendar)
    text = _reply_text(dl, calendar)
    assert "2027年1月1日法定节假日（元旦）" in text
    assert "临时" in text
    assert "2027年" in text.split("注意：")[1]


def test_pause_is_explained_with_its_reason(calendar: WorkingCalendar) -> None:
    events = [
        Event(EventKind.RECEIVED, D("2026-03-02")),
        Event(EventKind.CONSULTATION_SENT, D("2026-03-09"), party="甲公司"),
        Event(EventKind.CONSULTATION_ANSWERED, D("2026-03-13"), party="甲公司"),
    ]
    text = _reply_text(compute(events, calendar), calendar)
    assert "2026年3月9日至3月13日暂停计算（征求意见（甲公司））" in text
    assert "第20个工作日为2026年4月7日" in text


def test_art35_replacement_is_mentioned(calendar: WorkingCalendar) -> None:
    events = [
        Event(EventKind.RECEIVED, D("2026-03-02")),
        Event(EventKind.DEFERRED, D("2026-03-10"), due=D("2026-05-29")),
    ]
    text = _reply_text(compute(events, calendar), calendar)
    assert "第三十五条" in text and "2026年5月29日" in text


def test_closure_is_explained(builtin_notices: list[Notice]) -> None:
    cal = WorkingCalendar(builtin_notices, [Closure(D("2026-03-04"), "台风")])
    text = _reply_text(compute([Event(EventKind.RECEIVED, D("2026-03-02"))], cal), cal)
    assert "2026年3月4日本机关停止办公（台风）" in text


def test_backward_count_for_the_internal_target(calendar: WorkingCalendar) -> None:
    dl = compute(
        [Event(EventKind.RECEIVED, D("2026-03-02"))],
        calendar,
        Policy(target_days_before_due=5),
    )
    texts = explain(dl, calendar)
    assert len(texts) == len(dl.counts)
    target = texts[[c.clock for c in dl.counts].index(Clock.INTERNAL_TARGET)]
    assert target.startswith(
        "内部办理时限：答复期限（2026年3月30日）前 5 个工作日，即2026年3月23日"
    )


def test_paused_makeup_day_is_not_listed_as_counted(calendar: WorkingCalendar) -> None:
    events = [
        Event(EventKind.RECEIVED, D("2026-02-02")),
        Event(EventKind.PAUSE, D("2026-02-13"), end=D("2026-02-14")),
    ]
    dl = compute(events, calendar)
    # 2/3–6 (1–4), 2/9–12 (5–8), 2/13–14 paused, 春节, 2/24–27 (9–12), Sat 2/28 (13),
    # 3/2–6 (14–18), 3/9–10 (19–20).
    assert dl.reply_due == D("2026-03-10")
    text = _reply_text(dl, calendar)
    assert "调休上班日计入：2026年2月28日。" in text


# -- issue 13, finding 8: what the human explanation says --------------------------------

BASE = Event(EventKind.RECEIVED, D("2026-03-02"))


def _ev(kind: EventKind, on: str, **kw: Any) -> Event:
    for name in ("due", "end", "served"):
        if isinstance(kw.get(name), str):
            kw[name] = D(kw[name])
    return Event(kind, D(on), **kw)


def _texts(calendar: WorkingCalendar, *events: Event) -> dict[Clock, str]:
    dl = compute([BASE, *events], calendar)
    return {c.clock: t for c, t in zip(dl.counts, explain(dl), strict=True)}


def test_merged_pause_is_one_span_with_its_real_causes(calendar: WorkingCalendar) -> None:
    """Consultation 3/9–3/13 and fee 3/11–3/17: one pause, not split at the weekend 3/14–15,
    the fee named only from its notice on."""
    text = _texts(
        calendar,
        _ev(EventKind.CONSULTATION_SENT, "2026-03-09", party="甲公司", served="2026-03-09"),
        _ev(EventKind.FEE_NOTICE_SENT, "2026-03-11", served="2026-03-11"),
        _ev(EventKind.CONSULTATION_ANSWERED, "2026-03-13"),
        _ev(EventKind.FEE_PAID, "2026-03-17"),
    )[Clock.REPLY]
    assert (
        "2026年3月9日至3月17日暂停计算（2026年3月9日至3月13日征求意见（甲公司）；"
        "2026年3月11日至3月17日缴费）" in text
    )
    assert "3月14日" not in text  # the weekend inside the pause is not listed apart
    assert "第20个工作日为2026年4月9日" in text


def test_extension_is_explained_with_days_approver_date_and_original(
    calendar: WorkingCalendar,
) -> None:
    text = _texts(
        calendar, _ev(EventKind.EXTENSION_GRANTED, "2026-03-20", days=5, approver="李主任")
    )[Clock.REPLY]
    # 20 days end 3/30; five more: 3/31–4/3 (21–24), 4/7 (25).
    assert (
        "经李主任批准，本机关于2026年3月20日决定延长答复期限5个工作日："
        "原答复期限为2026年3月30日，延长后为2026年4月7日。"
    ) in text


def test_finished_and_not_started_clocks(calendar: WorkingCalendar) -> None:
    texts = _texts(
        calendar,
        _ev(EventKind.CONSULTATION_SENT, "2026-03-09", served="2026-03-09"),
        _ev(EventKind.CONSULTATION_ANSWERED, "2026-03-13"),
        _ev(EventKind.FEE_NOTICE_SENT, "2026-03-16"),
    )
    assert texts[Clock.CONSULTATION].endswith("（已于2026年3月13日收到意见，计时结束。）")
    assert texts[Clock.FEE_PAYMENT] == (
        "缴费期限：收费通知书已于2026年3月16日发出，送达日期尚未记录，期限尚未起算"
        "（自送达次日起20个工作日，《政府信息公开信息处理费管理办法》）。"
    )
    assert "该日期为预计" in texts[Clock.REPLY]  # the unpaid fee pause is assumed to run on
    assert "计时结束" not in texts[Clock.REPLY]


@pytest.mark.parametrize(
    ("events", "today", "line"),
    [
        # Received Thu 3/12, due Fri 4/10 (see test_state): Saturday after is 1 day late.
        ([], "2026-04-11", "已超期 1 个工作日（答复期限为2026年4月10日）"),
        ([], "2026-04-10", "计时中，今日到期"),
        ([], "2026-04-09", "计时中，剩余 1 个工作日"),
        ([_ev(EventKind.REPLIED, "2026-04-14")], "2026-04-20", "逾期办结，逾期 2 个工作日"),
        ([_ev(EventKind.REPLIED, "2026-04-10")], "2026-04-20", "按期办结"),
        (
            [_ev(EventKind.CORRECTION_REQUESTED, "2026-03-13")],
            "2026-03-20",
            "等待补正，补正告知送达日期尚未记录",
        ),
    ],
    ids=["saturday-after-due", "due-day", "day-before", "closed-late", "closed", "unserved"],
)
def test_status_line(calendar: WorkingCalendar, events: list[Event], today: str, line: str) -> None:
    dl = compute([Event(EventKind.RECEIVED, D("2026-03-12")), *events], calendar)
    assert status_line(dl, D(today)) == line


def test_flags_are_explained(calendar: WorkingCalendar) -> None:
    dl = compute([BASE, _ev(EventKind.CORRECTION_REQUESTED, "2026-03-12")], calendar)
    assert [explain_flag(f) for f in dl.flags] == [
        "补正告知逾期发出：2026年3月12日（应在收到申请后7个工作日内（至2026年3月11日）告知）"
    ]


def test_explanations_are_chinese_only(calendar: WorkingCalendar) -> None:
    events = [
        BASE,
        _ev(EventKind.CONSULTATION_SENT, "2026-03-09"),
        _ev(EventKind.FEE_NOTICE_SENT, "2026-03-10", served="2026-03-10"),
        _ev(EventKind.EXTENSION_GRANTED, "2026-03-20", days=5, approver="李主任"),
    ]
    dl = compute(events, calendar, Policy(target_days_before_due=3))
    texts = [*explain(dl), status_line(dl, D("2026-03-20"))]
    assert all(re.search("[A-Za-z]", t) is None for t in texts), texts
