"""`Deadlines`: the engine's answer for one application, compact, with every fact on demand.

`compute` leaves here only the walk and the reply date; every other date, the counts, the
merged pauses, the flags and the explanations are built when first asked for and kept.
What depends on the day (`state`, `overdue`, `working_days_left`) takes `today`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from rules import periods
from rules.calendar import Pause, WorkingCalendar
from rules.clocks import Clock, State
from rules.counts import counts, period_label, target
from rules.events import AbandonReason, EventKind
from rules.facts import (
    Count,
    Deferral,
    Extension,
    Flag,
    deferral,
    extension,
    flags,
    is_projection,
    open_pauses,
    reply_pauses,
)
from rules.state import UNSET, Walk

_d = date.fromordinal


class Deadlines(Walk):
    """Every clock of one application (rulebook §§2–7, 11); read-only.

    Dates: `received`, `period_start` (+ `period_start_label`, why it runs from there),
    `reply_due` (the date that binds: statutory, or the Art. 35 deadline),
    `statutory_reply_due`, `correction_notice_due`, `correction_deadline`,
    `consultation_due`, `fee_payment_due`, `internal_target`; a clock whose period runs from
    a served date not yet recorded has None (rulebook §11: not started, never guessed).
    Facts for an auditor: `extension`, `deferral`, `pauses` (merged, with causes),
    `open_pauses`, `counts` (one per clock, with its own provisional/projection flags),
    `flags` (late steps), `projection`.
    """

    __slots__ = ()  # its slots are declared by `Walk`

    # -- the walk's facts as dates ---------------------------------------------------------
    @property
    def received(self) -> date:
        return self.receipt.on

    @property
    def period_start(self) -> date:
        """Reg. Art. 33: receipt; Reg. Art. 30: the corrected application, once received."""
        got = self.corrected
        return got.on if got is not None and self.restarted else self.receipt.on

    @property
    def period_start_label(self) -> str:
        return period_label(self)

    @property
    def period_start_kind(self) -> EventKind:
        return EventKind.CORRECTION_RECEIVED if self.restarted else EventKind.RECEIVED

    @property
    def statutory_reply_due(self) -> date | None:
        if self.deferral_step is None:
            return self.reply_due
        o = self.statutory_due()
        return _d(o) if o is not None else None

    @property
    def correction_notice_due(self) -> date:
        """Reg. Art. 30: the 7th working day after receipt."""
        return _d(self._notice_o())

    @property
    def correction_requested(self) -> date | None:
        return self.correction.on if self.correction else None

    @property
    def correction_served(self) -> date | None:
        return self.correction.served if self.correction else None

    @property
    def correction_received(self) -> date | None:
        return self.corrected.on if self.corrected else None

    @property
    def correction_deadline(self) -> date | None:
        """The applicant's period from service, until the correction arrives (else None)."""
        o = self._correction_o()
        return _d(o) if o is not None else None

    @property
    def consultation_due(self) -> date | None:
        """The earliest due date of the served, unanswered consultations (Reg. Arts. 32, 34)."""
        o = self._consultation_o()
        return _d(o) if o is not None else None

    @property
    def fee_payment_due(self) -> date | None:
        """Fees art. 7: 20 working days from service, while unpaid (else None)."""
        o = self._fee_o()
        return _d(o) if o is not None else None

    @property
    def internal_target(self) -> date | None:
        """Rulebook §10: the office's own target, the earlier of its configured rules."""
        o = self._target_o()
        return _d(o) if o is not None else None

    @property
    def deferred_due(self) -> date | None:
        return self.deferral_step.due if self.deferral_step else None

    @property
    def closed_on(self) -> date | None:
        return self.closing_step.on if self.closing_step else None

    @property
    def closing(self) -> EventKind | None:
        return self.closing_step.kind if self.closing_step else None

    @property
    def abandon_reason(self) -> AbandonReason | None:
        c = self.closing_step
        if c is None or c.kind is not EventKind.ABANDONED or c.reason is None:
            return None
        return AbandonReason(c.reason)

    @property
    def closed(self) -> bool:
        return self.closing_step is not None

    @property
    def closed_on_time(self) -> bool | None:
        c = self.closing_step
        if c is None:
            return None
        return self.reply_ordinal is None or c.on.toordinal() <= self.reply_ordinal

    @property
    def awaiting_correction(self) -> bool:
        """Reg. Art. 30: correction requested, not yet received, application open."""
        return self.correction is not None and self.corrected is None and self.closing_step is None

    @property
    def correction_notice_late(self) -> bool:
        """Rulebook §11: the correction notice went out after the 7th working day."""
        req = self.correction
        return req is not None and req.on.toordinal() > self._notice_o()

    @property
    def correction_late_of_due(self) -> bool:
        """Rulebook §11.3a: the correction notice came after the reply date itself."""
        return self.correction is not None and self.correction_after_due is not None

    # -- each clock's date as an ordinal (None: no such clock, or not started) -------------
    def _get(self, key: str) -> Any:
        cache = self._cache
        if cache is None:
            cache = self._cache = {}
        elif key in cache:
            return cache[key]
        value = cache[key] = _BUILDERS[key](self)
        return value

    def _notice_o(self) -> int:
        if self._notice == UNSET:
            w = self
            self._notice = w.calendar.nth_after_ordinal(
                w.received_day, periods.CORRECTION_NOTICE_PERIOD
            )
        return self._notice

    def _target_o(self) -> int | None:
        if self._target == UNSET:
            best = target(self, self.reply_ordinal)
            self._target = best[0] if best is not None else None
        return self._target

    def _correction_o(self) -> int | None:
        w = self
        req = w.correction
        if req is None or w.corrected is not None or req.served is None:
            return None
        return w.calendar.add_ordinal(req.served.toordinal(), w.policy.correction_period)

    def _consultation_o(self) -> int | None:
        cs = self.consultations
        dues = [c.lapse for c in cs if c.answer is None and c.served is not None]
        return min(dues) if dues else None

    def _fee_o(self) -> int | None:
        w = self
        return w.fee_period_end() if w.fee_paid is None else None

    def _spans(self) -> list[tuple[int, int]]:
        """The reply clock's pauses, merged (rulebook §2), as ordinals."""
        if self._spans_o is None:
            self._spans_o = _merge(self.spans())
        return self._spans_o

    def _provisional(self) -> bool:
        w = self
        cal = w.calendar
        ends = [self._notice_o(), self.reply_ordinal or 0, w.fee_period_end() or 0]
        ends += [c.lapse for c in w.consultations]
        for o in (self._target_o(), self._correction_o()):
            if o is not None:
                ends.append(o)
        if w.deferral_step is not None:
            ends.append(w.statutory_due() or 0)
        return cal.provisional_between_ordinal(w.received_day, max(ends))

    # -- facts built on demand -------------------------------------------------------------
    @property
    def pause_spans(self) -> tuple[tuple[date, date], ...]:
        """The reply clock's merged pauses as (first, last) paused day (cheap: no causes)."""
        return tuple((_d(a), _d(b)) for a, b in self._spans())

    @property
    def last_pause(self) -> tuple[date, date] | None:
        """The latest merged pause as (first, last) paused day (a stored column)."""
        spans = self._spans()
        return (_d(spans[-1][0]), _d(spans[-1][1])) if spans else None

    @property
    def pauses(self) -> tuple[Pause, ...]:
        """The reply clock's pauses, merged, each with all its causes (rulebook §§2, 6–7)."""
        p: tuple[Pause, ...] = self._get("pauses")
        return p

    @property
    def open_pauses(self) -> tuple[Pause, ...]:
        """Pauses whose ending step (answer, payment) is not recorded yet."""
        p: tuple[Pause, ...] = self._get("open_pauses")
        return p

    @property
    def projection(self) -> bool:
        """Rulebook §11: the reply date assumes an open pause runs its full length."""
        p: bool = self._get("projection")
        return p

    @property
    def counts(self) -> tuple[Count, ...]:
        """One `Count` per clock: how each date was reached and where it stands."""
        c: tuple[Count, ...] = self._get("counts")
        return c

    @property
    def flags(self) -> tuple[Flag, ...]:
        """Late or irregular steps the law does not forbid outright (rulebook §11)."""
        f: tuple[Flag, ...] = self._get("flags")
        return f

    @property
    def extension(self) -> Extension | None:
        e: Extension | None = self._get("extension")
        return e

    @property
    def deferral(self) -> Deferral | None:
        d: Deferral | None = self._get("deferral")
        return d

    @property
    def provisional(self) -> bool:
        """Rulebook §1: any of the clocks reaches into a year without a notice."""
        p: bool = self._get("provisional")
        return p

    # -- on a given day --------------------------------------------------------------------
    def overdue(self, today: date) -> bool:
        """Rulebook §11: open, and the reply date has passed without a reply."""
        r = self.reply_ordinal
        return self.closing_step is None and r is not None and today.toordinal() > r

    def state(self, today: date) -> State:
        """The case's state on `today` (`state_on`)."""
        t = today.toordinal()
        return state_on(
            today,
            closed=self.closing_step is not None,
            closed_on_time=bool(self.closed_on_time),
            reply_due=self.reply_due,
            awaiting_correction=self.correction_pending,
            paused=any(s <= t <= e for s, e in self._spans()),
        )

    def working_days_left(self, today: date, calendar: WorkingCalendar | None = None) -> int | None:
        """Working days after `today` up to the reply date, paused days not counted; negative
        when overdue (never 0 after the due date, see `WorkingCalendar.working_days_left`).
        None once closed or without a reply date. `calendar` defaults to the result's own."""
        if self.reply_due is None or self.closing_step is not None:
            return None
        cal = calendar or self.calendar
        return cal.working_days_left(today, self.reply_due, self.pauses)

    def working_days_late(self, today: date) -> int | None:
        """Working days past the reply date: at closing if closed, else on `today`."""
        if self.reply_due is None:
            return None
        c = self.closing_step
        day = c.on if c is not None else today
        return self.calendar.working_days_late(self.reply_due, day)

    def open_clocks(self) -> dict[Clock, date]:
        """The clocks still running, with their due dates (none once closed)."""
        w = self
        if w.closing_step is not None:
            return {}
        found = {
            Clock.REPLY: self.reply_ordinal,
            Clock.INTERNAL_TARGET: self._target_o(),
            Clock.CORRECTION_NOTICE: self._notice_o() if w.correction is None else None,
            Clock.CORRECTION_DEADLINE: self._correction_o(),
            Clock.CONSULTATION: self._consultation_o(),
            Clock.FEE_PAYMENT: self._fee_o(),
        }
        return {k: _d(o) for k, o in found.items() if o is not None}

    def next_action_due(self) -> date | None:
        """The earliest date among the open clocks (stored for "due soon" queries)."""
        w = self
        if w.closing_step is not None:
            return None
        found = [self.reply_ordinal, self._target_o(), self._correction_o(), self._fee_o()]
        if w.correction is None:
            found.append(self._notice_o())
        if w.consultations:
            found.append(self._consultation_o())
        dates = [o for o in found if o is not None]
        return _d(min(dates)) if dates else None


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge sorted spans that overlap or touch (rulebook §2)."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s <= out[-1][1] + 1:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


_BUILDERS: dict[str, Callable[[Deadlines], Any]] = {
    "provisional": Deadlines._provisional,
    "pauses": lambda d: reply_pauses(d),
    "open_pauses": lambda d: open_pauses(d),
    "projection": lambda d: is_projection(d, d.pauses),
    "counts": lambda d: counts(d, d.reply_ordinal, d.pauses, d.projection),
    "flags": lambda d: flags(d),
    "extension": lambda d: extension(d),
    "deferral": lambda d: deferral(d),
}


def state_on(
    today: date,
    *,
    closed: bool,
    closed_on_time: bool,
    reply_due: date | None,
    awaiting_correction: bool,
    paused: bool,
) -> State:
    """Precedence (rulebook §11): closed, overdue, awaiting correction, paused, running.

    The one statement of it: `Deadlines.state` and the lists (from stored columns) call it.
    """
    if closed:
        return State.CLOSED_ON_TIME if closed_on_time else State.CLOSED_LATE
    if reply_due is not None and today > reply_due:
        return State.OVERDUE
    if awaiting_correction:
        return State.AWAITING_CORRECTION
    if paused:
        return State.PAUSED
    return State.RUNNING
