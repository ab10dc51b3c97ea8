"""A naive, independent model of the rules, for the property tests of the engine.

Written from the rulebook (not from `rules/`): its own working-day test built from the notices'
day sets, its own day-by-day counting, its own walk over the steps. It says whether a
sequence breaks a rule (`Verdict.broken`), and otherwise every date the engine must give.
Slow on purpose: every count walks one day at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from rules.clocks import Policy
from rules.events import Event, EventKind
from rules.schedule import Notice
from rules.statutory import statutory_holidays

K = EventKind
ONE = timedelta(days=1)
CLOSING = {K.REPLIED, K.WITHDRAWN, K.ABANDONED}


class Days:
    """Working days from the notices' own day sets: make-up day, then holiday, then weekend."""

    def __init__(self, notices: Sequence[Notice], last_year: int) -> None:
        self.makeup = {d for n in notices for d, _ in n.working_days}
        self.off = {d for n in notices for o in n.days_off for d in o.days()}
        official = {n.year for n in notices}
        for year in range(min(official), last_year + 1):
            if year not in official:
                self.off |= set(statutory_holidays(year))

    def working(self, d: date) -> bool:
        if d in self.makeup:
            return True
        return d not in self.off and d.weekday() < 5

    def add(self, start: date, n: int, paused: set[date] | frozenset[date] = frozenset()) -> date:
        """Count n working days after `start`, one day at a time, skipping paused days."""
        d, counted = start, 0
        while counted < n:
            d += ONE
            if self.working(d) and d not in paused:
                counted += 1
        return d

    def back(self, end: date, n: int) -> date:
        d, counted = end, 0
        while counted < n:
            d -= ONE
            if self.working(d):
                counted += 1
        return d

    def between(self, a: date, b: date, paused: set[date] | frozenset[date] = frozenset()) -> int:
        n, d = 0, a
        while d < b:
            d += ONE
            if self.working(d) and d not in paused:
                n += 1
        return n


@dataclass
class Letter:
    event: Event
    answer: date | None = None


@dataclass
class Verdict:
    """What the rules say about a sequence: broken (with the first rule), or every date."""

    broken: str = ""
    reply_due: date | None = None
    statutory_due: date | None = None
    correction_notice_due: date | None = None
    correction_deadline: date | None = None
    consultation_dues: list[date | None] = field(default_factory=list)
    fee_payment_due: date | None = None
    internal_target: date | None = None
    paused: set[date] = field(default_factory=set)
    closed_on: date | None = None


@dataclass
class Case:
    """The facts so far, as the steps are taken one by one."""

    days: Days
    policy: Policy
    receipt: date
    requested: Event | None = None
    corrected: date | None = None
    extension: int = 0
    deferral: Event | None = None
    letters: list[Letter] = field(default_factory=list)
    fee: Event | None = None
    accepted: bool = False
    paid: date | None = None
    manual: list[tuple[date, date]] = field(default_factory=list)
    # Rulebook §11.3a: the correction notice came after the reply date, which then stays.
    after_due: bool = False

    def awaiting(self) -> bool:
        """The reply clock waits for the corrected application."""
        return self.requested is not None and self.corrected is None and not self.after_due

    def consultation_lapse(self, letter: Letter) -> date:
        e = letter.event
        return self.days.add(e.served or e.on, 15)

    def fee_lapse(self) -> date:
        assert self.fee is not None
        return self.days.add(self.fee.served or self.fee.on, 20)

    def paused(self) -> set[date]:
        """Every paused day of the reply clock: each cause from its first to its last day,
        those that end before the period start left out (rulebook §§2, 6–7)."""
        out: set[date] = set()
        start = self.start()

        def span(a: date, b: date) -> None:
            if b >= start:
                while a <= b:
                    out.add(a)
                    a += ONE

        for letter in self.letters:
            lapse = self.consultation_lapse(letter)
            span(letter.event.on, lapse if letter.answer is None else min(letter.answer, lapse))
        if self.fee is not None and self.policy.fee_pauses_clock:
            lapse = self.fee_lapse()
            paid = self.paid
            on_time = paid is not None and (paid <= lapse or self.accepted)
            span(self.fee.on, paid if paid is not None and on_time else lapse)
        for a, b in self.manual:
            span(a, b)
        return out

    def start(self) -> date:
        if self.after_due:
            return self.receipt
        return self.corrected or self.receipt

    def statutory(self) -> date | None:
        if self.awaiting():
            return None
        return self.days.add(self.start(), 20 + self.extension, self.paused())

    def reply(self) -> date | None:
        if self.deferral is not None and not self.awaiting():
            return self.deferral.due
        return self.statutory()


def judge(events: list[Event], days: Days, policy: Policy) -> Verdict:
    """Walk the steps in date order (the receipt first) and apply every rule by hand."""
    receipts = [e for e in events if e.kind is K.RECEIVED]
    if len(receipts) != 1:
        return Verdict(broken="one receipt")
    r = receipts[0]
    if any(e.on < r.on for e in events):
        return Verdict(broken="before receipt")
    rest = sorted((e for e in events if e is not r), key=lambda e: e.on)
    case = Case(days, policy, r.on)
    closed: date | None = None
    for e in rest:
        if closed is not None:
            return Verdict(broken="after closing")
        why = _step(case, e)
        if why:
            return Verdict(broken=why)
        if e.kind in CLOSING:
            closed = e.on
    return _dates(case, closed)


def _step(c: Case, e: Event) -> str:
    """The rule `e` breaks given the facts so far (empty: none), and record it."""
    k, strict = e.kind, not e.trusted
    letter = k in (K.CORRECTION_REQUESTED, K.CONSULTATION_SENT, K.FEE_NOTICE_SENT)
    if letter and e.served is not None and e.served < e.on:
        return "served before sent"
    if k is K.CORRECTION_REQUESTED:
        if c.requested is not None:
            return "asked twice"
        due = c.reply()
        c.after_due = due is not None and e.on > due
        c.requested = e
    elif k is K.CORRECTION_RECEIVED:
        if c.requested is None or c.corrected is not None:
            return "not asked"
        if c.requested.served is not None and c.requested.served > e.on:
            return "corrected before served"
        c.corrected = e.on
    elif k is K.EXTENSION_GRANTED:
        if c.deferral is not None or c.extension or not 1 <= (e.days or 0) <= 20 or c.awaiting():
            return "extension"
        due = c.statutory()
        assert due is not None
        if strict and e.on > due:
            return "extension late"
        c.extension = e.days or 0
    elif k is K.CONSULTATION_SENT:
        c.letters.append(Letter(e))
    elif k is K.CONSULTATION_ANSWERED:
        open_ = [x for x in c.letters if x.answer is None]
        match = [x for x in open_ if e.party is None or (x.event.party or "") == e.party]
        if not match:
            return "no letter"
        if match[0].event.served is not None and match[0].event.served > e.on:
            return "answered before served"
        match[0].answer = e.on
    elif k is K.FEE_NOTICE_SENT:
        if c.fee is not None:
            return "second notice"
        c.fee = e
    elif k is K.LATE_PAYMENT_ACCEPTED:
        if c.fee is None or c.paid is not None or c.accepted or not e.note.strip():
            return "acceptance"
        if c.fee.served is None or (strict and e.on <= c.fee_lapse()):
            return "acceptance early"
        c.accepted = True
    elif k is K.FEE_PAID:
        if c.fee is None or c.paid is not None:
            return "nothing to pay"
        if c.fee.served is not None and c.fee.served > e.on:
            return "paid before served"
        if strict and e.on > c.fee_lapse() and not c.accepted:
            return "paid late"
        c.paid = e.on
    elif k is K.PAUSE:
        if e.end is None or e.end < e.on:
            return "pause"
        c.manual.append((e.on, e.end))
    elif k is K.DEFERRED:
        if e.due is None or c.deferral is not None or c.awaiting() or e.due <= e.on:
            return "art35"
        stat = c.statutory()
        assert stat is not None
        if strict and (e.on > stat or e.due <= stat):
            return "art35 out of time"
        c.deferral = e
    elif k is K.ABANDONED:
        reason = e.reason if e.reason in ("correction", "fee") else None
        if reason == "correction":
            if c.requested is None or c.corrected is not None:
                return "not awaiting"
            assert c.requested is not None
            if c.requested.served is None:
                return "correction not served"
            lapse = c.days.add(c.requested.served, c.policy.correction_period)
        elif reason == "fee":
            if c.fee is None or c.paid is not None:
                return "no fee"
            if c.fee.served is None:
                return "fee not served"
            lapse = c.fee_lapse()
        else:
            return "no reason"
        if strict and e.on <= lapse:
            return "abandoned early"
    return ""


def _dates(c: Case, closed: date | None) -> Verdict:
    days, policy = c.days, c.policy
    reply = c.reply()
    v = Verdict(reply_due=reply, statutory_due=c.statutory(), closed_on=closed)
    v.correction_notice_due = days.add(c.receipt, 7)
    req = c.requested
    if req is not None and c.corrected is None and req.served is not None:
        v.correction_deadline = days.add(req.served, policy.correction_period)
    v.consultation_dues = [
        days.add(x.event.served, 15) if x.event.served else None for x in c.letters
    ]
    if c.fee is not None and c.paid is None and c.fee.served is not None:
        v.fee_payment_due = c.fee_lapse()
    if reply is not None:
        options = []
        if policy.target_days_before_due:
            options.append(days.back(reply, policy.target_days_before_due))
        if policy.target_within_days:
            options.append(days.add(c.start(), policy.target_within_days, c.paused()))
        if options:
            v.internal_target = max(min(options), c.start())
    v.paused = c.paused() if not c.awaiting() else set()
    return v
