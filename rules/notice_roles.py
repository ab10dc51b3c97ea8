"""Main and supplementary notices of one year, and how a load merges into them.

A year has one main notice (国务院办公厅关于YYYY年部分节假日安排的通知). A later notice that
changes it — 2019's 《关于调整2019年劳动节假期安排的通知》, 2020's 《关于延长2020年春节假期的通知》
— is supplementary: in a loaded file it says so with `supplements = "<main notice title>"`.
A notice with the title of one already in force is a reissue (更正重发) and replaces it whole.

The shipped data and files loaded before supplementary notices had to declare themselves
carry no `supplements` key: there the first notice of a year (by publication date) is the
main one and later ones are taken as its supplements.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta

from rules.notice_checks import NoticeRefused, statutory_days
from rules.notice_file import NoticeEntry


def merged(*groups: Iterable[NoticeEntry]) -> list[NoticeEntry]:
    """Later groups win: an entry replaces one of the same year and title, else is added."""
    out: dict[tuple[int, str], NoticeEntry] = {}
    for group in groups:
        for e in group:
            out.pop((e.notice.year, e.notice.title), None)
            out[(e.notice.year, e.notice.title)] = e
    return list(out.values())


def with_roles(entries: Sequence[NoticeEntry]) -> list[NoticeEntry]:
    """Entries of one year with `supplements` filled in where older data left it out."""
    ordered = sorted(entries, key=lambda e: e.notice.published or date.min)
    main = next((e for e in ordered if not e.is_supplement), None)
    if main is None:
        return list(entries)
    return [
        e if e is main or e.is_supplement else replace(e, supplements=main.notice.title)
        for e in entries
    ]


def year_after_load(
    year: int, before: Sequence[NoticeEntry], new: Sequence[NoticeEntry]
) -> list[NoticeEntry]:
    """The notices of `year` in force after loading `new` on top of `before`; refuses a
    second main notice, a supplement without its main notice, and inconsistent supplements."""
    old = with_roles([e for e in before if e.notice.year == year])
    fresh = [e for e in new if e.notice.year == year]
    old_by_title = {e.notice.title: e for e in old}
    for e in fresh:
        was = old_by_title.get(e.notice.title)
        if e.is_supplement and was is not None and not was.is_supplement:
            raise NoticeRefused(
                "与该年主通知同名，不能作为补充通知（更正重发的主通知请去掉 supplements）",
                entry=e,
                key="supplements",
            )
        if not e.is_supplement:
            other = next(
                (
                    o
                    for o in (*old, *fresh)
                    if not o.is_supplement and o.notice.title != e.notice.title
                ),
                None,
            )
            if other is not None:
                raise NoticeRefused(
                    f"{year} 年已有主通知《{other.notice.title}》。补充通知请写明"
                    f' supplements = "{other.notice.title}"；更正重发的通知标题须与原通知相同',
                    entry=e,
                    key="title",
                )
    after = merged(old, fresh)
    by_title = {e.notice.title: e for e in after}
    for e in after:
        if e.is_supplement and e in fresh:
            target = by_title.get(e.supplements or "")
            check_supplement(e, target)
    for e in after:  # a reissued main notice: its supplements must still fit it
        if e.is_supplement and e not in fresh and any(not f.is_supplement for f in fresh):
            check_supplement(e, by_title.get(e.supplements or ""))
    return after


def check_supplement(entry: NoticeEntry, main: NoticeEntry | None) -> None:
    """A supplementary notice names an existing main notice and only adjusts its breaks."""
    n = entry.notice
    if main is None:
        raise NoticeRefused(
            f"找不到所补充的通知《{entry.supplements}》：须先载入 {n.year} 年的主通知，"
            "或把主通知写在同一文件中",
            entry=entry,
            key="supplements",
        )
    if main.is_supplement:
        raise NoticeRefused(
            f"《{main.notice.title}》本身是补充通知；supplements 应写主通知的标题",
            entry=entry,
            key="supplements",
        )
    m = main.notice
    if n.published and m.published and n.published < m.published:
        raise NoticeRefused(
            f"发布日期 {n.published.isoformat()} 早于主通知的 {m.published.isoformat()}",
            entry=entry,
            key="published",
        )
    if not (n.days_off or n.working_days or n.cancelled_working_days):
        raise NoticeRefused("补充通知没有任何调整内容", entry=entry, key="days_off")
    main_off = {d for o in m.days_off for d in o.days()}
    statutory = set(statutory_days(n.year))
    for o in n.days_off:
        days = set(o.days())
        if days & (main_off | statutory) or _touches(o.start, o.end, main_off):
            continue
        raise NoticeRefused(
            f"放假 {o.start.isoformat()} 至 {o.end.isoformat()}（{o.name}）既不含法定节假日，"
            "也不与主通知的任何假期相连：补充通知只能调整已有的假期",
            entry=entry,
            key="days_off",
        )
    own_off = {d for o in n.days_off for d in o.days()}
    main_work = {d for d, _ in m.working_days}
    for d in n.cancelled_working_days:
        if d not in main_work and d not in own_off:
            raise NoticeRefused(
                f"取消的调休上班日 {d.isoformat()} 既不是主通知的调休上班日，"
                "也不在本通知的放假日期内",
                entry=entry,
                key="cancelled_working_days",
            )


def _touches(start: date, end: date, days: set[date]) -> bool:
    """Whether the range adjoins a day of `days`, across a weekend if need be."""
    before, after = start - timedelta(days=1), end + timedelta(days=1)
    while before.weekday() >= 5 and before not in days:
        before -= timedelta(days=1)
    while after.weekday() >= 5 and after not in days:
        after += timedelta(days=1)
    return before in days or after in days
