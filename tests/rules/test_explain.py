"""rules.explain: the Chinese explanation of how each date was reached."""

from __future__ import annotations

from datetime import date

from rules.calendar import WorkingCalendar
from rules.engine import Clock, Deadlines, Policy, compute
from rules.events import Event, EventKind
from rules.explain import cn_date, explain, explain_count
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
