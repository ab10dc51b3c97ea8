"""One recipient's digest: its claimed outbox rows turned into a compact, bounded e-mail.

Every item is listed as one short row (number, summary cut to 30 characters, department, due
date, days left), grouped by clock, in HTML without per-row styling plus plain text, both
base64. A digest stays one e-mail that ordinary mail servers accept (Postfix's default limit
is 10,240,000 bytes). Choice, for very large offices only: when a recipient has more than
`LISTED_MAX` items, or listing them all would make the message bigger than
`MAX_MESSAGE_BYTES` (estimated after encoding), the most urgent items (earliest due first)
are listed in full and the rest are counted per department (how many, how many overdue,
earliest due date), each count with a link to that department's list in the web interface.
The first `LISTED_MAX` rows are streamed and the rest counted by the database, so memory is
bounded however many rows a claim has. `LISTED_MAX` is 3,000: more than a person works
through from one e-mail (the rest is one click away, per department), and small enough that
every digest stays near 1.5 MB, so the notifier's peak memory is the same for 10,000 and
100,000 applications (issue 19). With 100,000 open applications the office-wide and the
leaders' digests reach the limit (~86,000 items); a department's digest (~2,900) lists all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Any
from urllib.parse import urlencode

import jinja2
from markupsafe import escape
from sqlalchemy import Engine

from disclosure.services.office import Office
from disclosure.tasks.reminders import TASK_CLOCKS, item_link
from disclosure.vocabulary import Clock
from notifier import outbox
from notifier.mail import Digest, render_digest
from notifier.policy import (
    CALENDAR_COVERAGE,
    CLOCK_LABELS,
    CORRECTION_NOTICE,
    ESCALATE,
    UNCONFIRMED_ARRIVAL,
)

LISTED_MAX = 3_000  # items listed one by one in one digest, at most (~1.5 MB)
MAX_MESSAGE_BYTES = 9_000_000  # estimated size on the wire; margin below 10,240,000
BASE64 = 1.37  # 4/3 for base64, plus a line break every 76 characters
SUMMARY_CHARS = 30  # characters of the content summary shown per item
# The people side's clocks (notifier.people_reminders); a 协办 clock is keyed per department
# ("cooperation_due:<id>"): items group and read by the clock before the colon.
APPROVAL = Clock.APPROVAL.value
LABELS = {
    **CLOCK_LABELS,
    Clock.COOPERATION.value: Clock.COOPERATION.label,
    APPROVAL: "待审批（拟办意见等待您审批）",
}
# What a group's reader is to do, where its heading alone does not say it (rulebook §10.3).
GROUP_NOTES = {
    CORRECTION_NOTICE: "申请内容需要补正的，须在此日前一次性告知申请人需要补正的事项和合理的"
    "补正期限（《政府信息公开条例》第三十条）；无需补正的，不必处理本项提醒。",
}


def base_clock(clock: str) -> str:
    return clock.partition(":")[0]


def status_text(days_left: int, clock: str = "") -> str:
    if clock == UNCONFIRMED_ARRIVAL:  # no statutory clock runs before receipt is confirmed
        return "待确认收到" if days_left >= 0 else f"送达已 {-days_left} 个工作日，待确认收到"
    if clock == APPROVAL:  # `[approval] warn_after_days` after the step became due
        if days_left > 0:
            return f"待审批，剩余 {days_left} 个工作日"
        return "待审批，今日到期" if days_left == 0 else f"待审批，已超时 {-days_left} 个工作日"
    if days_left > 0:
        return f"剩余 {days_left} 个工作日"
    if days_left == 0:
        return "今日到期"
    return f"已超期 {-days_left} 个工作日"


def short(text: str, limit: int = SUMMARY_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass(slots=True)
class DigestItem:
    number: str
    summary: str
    department: str
    clock: str
    clock_label: str
    due_on: str
    days_left: int
    status_text: str
    escalation: bool
    link: str


@dataclass(slots=True)
class Remainder:
    """Items of one department that were counted, not listed."""

    department: str
    count: int
    overdue: int
    first_due: str
    link: str


@dataclass(frozen=True, slots=True)
class Group:
    """The items of one clock. `rows` and `lines` are the same items as plain tuples for the
    built-in templates (no attribute look-up per item): `rows` HTML-escaped (late, link,
    number, summary, department, due date, status), `lines` as they are (number, due date,
    status, department, summary), `links` each line's link to its case (or ""). An office's
    own templates can use `items`. `note` says what to do about the group, if anything."""

    clock: str
    label: str
    items: list[DigestItem]
    rows: list[tuple[bool, str, str, str, str, str, str]] = field(default_factory=list)
    lines: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    note: str = ""


_HTML_SPECIAL = re.compile(r"[&<>\"']")  # what markupsafe.escape replaces


def html_escaped(text: str) -> str:
    """`text` as Jinja's autoescape writes it (markupsafe), most texts returned as they are."""
    return text if _HTML_SPECIAL.search(text) is None else str(escape(text))


class DigestBuilder:
    """Takes rows most urgent first; lists up to `listed_max`, counts the rest."""

    def __init__(self, office: Office, today: date, listed_max: int | None = None) -> None:
        self.office = office
        self.today = today
        self.listed_max = LISTED_MAX if listed_max is None else listed_max
        self.base = office.settings.office.web_base_url.rstrip("/")
        self.items: list[DigestItem] = []
        self.notices: list[dict[str, str]] = []
        self.rest: dict[str, Remainder] = {}
        self.rows = 0  # rows taken by `add_rows`
        self.last: Any = None  # the last of them (where `outbox.claimed_rest` starts)
        self.total = 0
        self.overdue = 0
        self.overdue_internal = 0  # of `overdue`: the office's own internal targets
        self.unconfirmed = 0  # arrivals awaiting confirmation (no clock runs: not overdue)
        self.approvals = 0  # sign-offs waiting for the recipient (or late, for the office)
        self.cases: set[str] = set()  # the applications of the streamed rows
        self.tasks = 0  # of `total`: key tasks' clocks (disclosure.tasks), not applications
        self.escalations = False
        # Texts that repeat across thousands of items, each made once per digest.
        self._status: dict[tuple[int, str], str] = {}
        self._iso: dict[date, str] = {}
        self._clock: dict[str, tuple[str, str]] = {}  # clock -> (base clock, its label)
        self._escaped: dict[str, str] = {}  # departments and statuses, HTML-escaped

    def add_rows(self, rows: Iterable[Any]) -> DigestBuilder:
        """Take `rows`: sequences in `outbox.DIGEST_COLUMNS` order (`outbox.claimed_rows`)."""
        add = self._add
        r = None
        n = 0
        for r in rows:
            n += 1
            add(*r)
        self.rows += n
        if n:
            self.last = r
        return self

    def _add(
        self,
        raw_clock: str,
        threshold: str,
        due: date,
        number: str,
        summary: str,
        department: str,
        left: int,
        queued_on: date,
    ) -> None:
        if raw_clock == CALENDAR_COVERAGE:
            link = f"{self.base}/calendar" if self.base else ""
            self.notices.append(
                {"title": LABELS[CALENDAR_COVERAGE], "text": _coverage_text(due, self.today),
                 "link": link, "link_label": "“节假日”页面"}
            )  # fmt: skip
            return
        if queued_on != self.today:  # a retry from an earlier day: count again
            left = self.office.calendar.working_days_left(self.today, due)
        self.total += 1
        unconfirmed = raw_clock == UNCONFIRMED_ARRIVAL
        late = left < 0 and not unconfirmed
        if late:
            self.overdue += 1
            if raw_clock == "internal_target":
                self.overdue_internal += 1
        if unconfirmed:
            self.unconfirmed += 1
        known = self._clock.get(raw_clock)
        if known is None:
            base = base_clock(raw_clock)
            known = self._clock[raw_clock] = (base, LABELS.get(base, base))
        clock, label = known
        if clock in TASK_CLOCKS:
            self.tasks += 1
        else:
            self.cases.add(number)
        if clock == APPROVAL:
            self.approvals += 1
        escalation = threshold == ESCALATE
        if escalation:
            self.escalations = True
        due_on = self._iso.get(due)
        if due_on is None:
            due_on = self._iso[due] = due.isoformat()
        if len(self.items) >= self.listed_max:
            self._count(department, 1, late, due_on)
            return
        status = self._status.get((left, clock))
        if status is None:
            status = self._status[(left, clock)] = status_text(left, clock)
        link = item_link(self.base, raw_clock, number)
        self.items.append(
            DigestItem(number, short(summary), department, clock, label, due_on, left, status,
                       escalation, link)
        )  # fmt: skip

    def add_rest(self, counts: Iterable[Any]) -> None:
        """Counts of the rows not streamed: (department, count, overdue, first due date)."""
        for department, n, overdue, first_due in counts:
            self.total += n
            self.overdue += overdue
            self._count(department, n, overdue, first_due.isoformat())

    def _count(self, department: str, n: int, overdue: int, due_on: str) -> None:
        rem = self.rest.get(department)
        if rem is None:
            query = urlencode({"department": department}) if department else ""
            link = f"{self.base}/applications?{query}" if self.base else ""
            rem = self.rest[department] = Remainder(department, 0, 0, due_on, link)
        rem.count += n
        rem.overdue += overdue
        if due_on < rem.first_due:
            rem.first_due = due_on

    def shrink(self, keep: int) -> None:
        """List only the `keep` most urgent items; count the others."""
        self.items.sort(key=_urgency)
        for it in self.items[keep:]:
            late = it.days_left < 0 and it.clock != UNCONFIRMED_ARRIVAL
            self._count(it.department, 1, late, it.due_on)
        del self.items[keep:]

    def _escape(self, text: str) -> str:
        """A department or status, HTML-escaped (few distinct ones per digest)."""
        out = self._escaped.get(text)
        if out is None:
            out = self._escaped[text] = html_escaped(text)
        return out

    def _group(self, clock: str, items: list[DigestItem]) -> Group:
        group = Group(clock, LABELS.get(clock, clock), items, note=GROUP_NOTES.get(clock, ""))
        esc, esc_few = html_escaped, self._escape
        unconfirmed = clock == UNCONFIRMED_ARRIVAL
        group.rows.extend(
            (it.days_left < 0 and not unconfirmed, esc(it.link) if it.link else "",
             esc(it.number), esc(it.summary), esc_few(it.department), it.due_on,
             esc_few(it.status_text))
            for it in items
        )  # fmt: skip
        group.lines.extend(
            (it.number, it.due_on, it.status_text, it.department, it.summary) for it in items
        )
        group.links.extend(it.link for it in items)
        return group

    def context(self) -> dict[str, Any]:
        settings = self.office.settings
        self.items.sort(key=_urgency)
        by_clock: dict[str, list[DigestItem]] = {}
        for it in self.items:
            by_clock.setdefault(it.clock, []).append(it)
        order = {clock: i for i, clock in enumerate(LABELS)}
        groups = [
            self._group(clock, items)
            for clock, items in sorted(by_clock.items(), key=lambda kv: order.get(kv[0], 99))
        ]
        rest = sorted(self.rest.values(), key=lambda r: (r.first_due, r.department))
        return {
            "agency_name": settings.office.agency_name,
            "office_name": settings.office.office_name,
            "today": self.today,
            "items": self.items,
            "groups": groups,
            "notices": self.notices,
            # Nothing to act on but system notices: the e-mail is worded as those notices (no
            # count of items, no table, no link to cases).
            "notice_only": bool(self.notices) and not self.items and not rest,
            "total": self.total,
            "overdue": self.overdue,
            "overdue_internal": self.overdue_internal,
            "unconfirmed": self.unconfirmed,
            "approvals": self.approvals,
            "approval_warn_after": settings.approval.warn_after_days,
            # Counted rows (beyond LISTED_MAX) carry no numbers: then the cases are not said.
            "cases": len(self.cases) if not self.rest else None,
            "tasks": self.tasks,
            "task_clocks": TASK_CLOCKS,
            "calendar_link": f"{self.base}/calendar" if self.base else "",
            "remainder": rest,
            "remainder_total": sum(r.count for r in rest),
            "list_link": f"{self.base}/applications" if self.base else "",
            "escalations": self.escalations,
            "escalate_after": settings.notifier.escalate_after,
        }


def build(engine: Engine, claim: outbox.Claim, office: Office, today: date) -> DigestBuilder:
    """The digest of one claim: the most urgent `LISTED_MAX` rows streamed and listed, the
    others (if any) counted per department by the database."""
    builder = DigestBuilder(office, today)
    builder.add_rows(outbox.claimed_rows(engine, claim, limit=builder.listed_max))
    if builder.rows >= builder.listed_max:
        builder.add_rest(outbox.claimed_rest(engine, claim, builder.last, today))
    return builder


_urgency = attrgetter("days_left", "number", "clock")  # the order items are listed in


def _coverage_text(end: date, today: date) -> str:
    left = (end - today).days
    return (
        f"系统已载入的国务院节假日安排只到 {end.year} 年底（还剩 {left} 天），"
        f"请系统管理员尽快在网页“节假日”页面载入 {end.year + 1} 年的国务院节假日安排通知。"
    )


def estimated_bytes(digest: Digest) -> int:
    """The message's size on the wire: both parts base64-encoded, plus headers."""
    body = len(digest.text.encode("utf-8")) + len(digest.html.encode("utf-8"))
    return int(body * BASE64) + 2048


def render_bounded(
    env: jinja2.Environment,
    recipient: str,
    builder: DigestBuilder,
    max_bytes: int | None = None,
) -> Digest:
    """Render; if the result would be too big, list fewer items (most urgent kept) and
    re-render. The size per item is taken from the first rendering (templates can be
    overridden, so it is measured, not assumed)."""
    max_bytes = MAX_MESSAGE_BYTES if max_bytes is None else max_bytes
    digest = render_digest(env, recipient, builder.context())
    for _ in range(5):
        size = estimated_bytes(digest)
        if size <= max_bytes or not builder.items:
            return digest
        keep = int(len(builder.items) * max_bytes / size * 0.95)
        builder.shrink(keep)
        digest = render_digest(env, recipient, builder.context())
    return digest
