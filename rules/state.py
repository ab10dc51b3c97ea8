"""The facts collected while walking an application's events, as ordinals.

`Walk` holds what the events said (each step's event) and the few numbers the hot path keeps
(consultation lapses, the fee pause); its methods derive the reply clock's pauses and due
date (rulebook §§2, 4, 6–7). Ordinals are `date.toordinal()`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rules import periods
from rules.calendar import WorkingCalendar
from rules.clocks import FlagKind, Policy
from rules.events import Event

Span = tuple[int, int]
UNSET = -1  # not computed yet (ordinals are positive; None means no such date)
_fromordinal = date.fromordinal


class Consultation:
    """One consultation letter (Reg. Arts. 32, 34), as ordinals.

    `lapse`: the 15th working day after service (after sending while unserved: the earliest
    it can be); `end`: the reply clock's last paused day (rulebook §6): the answer or the
    lapse, whichever first.
    """

    __slots__ = ("answer", "end", "event", "lapse", "sent", "served")

    def __init__(self, event: Event, sent: int, served: int | None, lapse: int) -> None:
        self.event = event
        self.sent = sent
        self.served = served
        self.lapse = self.end = lapse
        self.answer: Event | None = None

    @property
    def party(self) -> str:
        return self.event.party or ""

    @property
    def answered(self) -> int | None:
        return self.answer.on.toordinal() if self.answer is not None else None


class Walk:
    """Mutable facts while walking the events in date order; read by `Deadlines`."""

    # The underscored slots, `reply_ordinal` and `reply_due` are `rules.deadlines.Deadlines`'s
    # (its caches and the reply date), declared here so that the result, which is a `Walk`, needs no
    # constructor of its own (the engine builds one per application: every call counts on
    # the hot path).
    __slots__ = (
        "_cache",
        "_notice",
        "_spans_o",
        "_target",
        "calendar",
        "closing_step",
        "consultations",
        "corrected",
        "correction",
        "correction_after_due",
        "deferral_step",
        "events",
        "extension_step",
        "fee",
        "fee_accepted",
        "fee_end",
        "fee_lapse",
        "fee_paid",
        "fee_sent",
        "fee_served",
        "manual",
        "policy",
        "receipt",
        "received_day",
        "rechecks",
        "reply_due",
        "reply_ordinal",
        "start",
    )
    # The reply date a correction notice came after (rulebook §11.3a): that notice and its
    # corrected application do not move the date (None: the notice came in time). Set with
    # `correction` (`rules.steps._correction_requested`) and read only once that is set: the
    # usual application, which asks for no correction, never pays for it.
    correction_after_due: int | None
    reply_ordinal: int | None  # the reply date as ordinal (None: not running)
    reply_due: date | None

    def __init__(
        self, calendar: WorkingCalendar, policy: Policy, events: list[Event], received: int
    ) -> None:
        """`events` in date order, the receipt first, on ordinal `received`."""
        self.calendar = calendar
        self.policy = policy
        self.events = events
        self.receipt = events[0]
        self.received_day = self.start = received
        self.consultations: list[Consultation] = []
        self.correction: Event | None = None  # CORRECTION_REQUESTED
        self.corrected: Event | None = None  # CORRECTION_RECEIVED
        self.extension_step: Event | None = None
        self.deferral_step: Event | None = None
        self.fee: Event | None = None  # FEE_NOTICE_SENT
        self.fee_accepted: Event | None = None  # LATE_PAYMENT_ACCEPTED
        self.fee_paid: Event | None = None
        self.closing_step: Event | None = None
        # Ordinals of the fee notice: sent, served (None: not yet), the payment period's last
        # day (from sending while unserved), and the fee pause's last day (rulebook §7).
        self.fee_sent = self.fee_lapse = self.fee_end = 0
        self.fee_served: int | None = None
        self.manual: tuple[Span, ...] = ()
        self.rechecks: tuple[tuple[FlagKind, Event, int], ...] = ()
        # For `Deadlines`: facts built on demand, and the dates every recompute stores, as
        # ordinals kept once computed (UNSET: not yet).
        self._cache: dict[str, Any] | None = None
        self._notice: int = UNSET
        self._target: int | None = UNSET
        self._spans_o: list[Span] | None = None
        # `reply_ordinal` and `reply_due` are set when the walk ends: by `finish`, or by
        # `rules.walk`, which counts the usual case inline.

    # -- derived facts, on ordinals ------------------------------------------------------
    @property
    def correction_pending(self) -> bool:
        """Reg. Art. 30: the reply clock waits for the corrected application (not when the
        notice came after the reply date, rulebook §11.3a: that case stays overdue)."""
        return (
            self.correction is not None
            and self.corrected is None
            and self.correction_after_due is None
        )

    @property
    def restarted(self) -> bool:
        """Reg. Art. 30: the reply period runs from the corrected application."""
        return self.corrected is not None and self.correction_after_due is None

    @property
    def extension_days(self) -> int:
        return (self.extension_step.days or 0) if self.extension_step is not None else 0

    def after(self, o: int | None, n: int) -> int | None:
        """The Nth working day after `o` (None stays None: a period not started)."""
        if o is None:
            return None
        return self.calendar.add_ordinal(o, n)

    def consultation_pause_end(self, c: Consultation) -> int:
        """Rulebook §6: paused until the answer or the 15th working day, whichever first.

        The 15 days run from service (§11); unserved, from sending: the earliest end.
        """
        return c.end

    def fee_period_end(self) -> int | None:
        """Fees art. 7: the 20th working day after the notice was served (None: unserved)."""
        if self.fee_served is None:  # no notice, or one not yet served
            return None
        return self.fee_lapse

    def fee_pause_end(self) -> int:
        """Rulebook §7: paused from the notice to the payment, or the end of the period.

        An accepted late payment (§11) ends the pause on the day paid; unserved, the period
        is counted from sending (the earliest end).
        """
        return self.fee_end

    def spans(self) -> list[Span]:
        """The reply clock's pauses (Reg. Art. 33 ¶3, rulebook §§6–7) that reach the period
        start, sorted by start; they may overlap (`WorkingCalendar.add_ordinal` takes them so,
        `rules.facts.reply_pauses` merges them for showing)."""
        start = self.start
        out: list[Span] = []
        for c in self.consultations:
            if c.end >= start:
                out.append((c.sent, c.end))
        if self.fee is not None and self.fee_end >= start and self.policy.fee_pauses_clock:
            out.append((self.fee_sent, self.fee_end))
        for s, e in self.manual:
            if e >= start:
                out.append((s, e))
        if len(out) > 1:
            out.sort()
        return out

    def statutory_due(self) -> int | None:
        """Reg. Art. 33 ¶2: 20 (+ extension) working days from the period start, paused days
        not counted; None while waiting for the corrected application (Reg. Art. 30)."""
        if self.correction_pending:
            return None
        ext = self.extension_step
        n = periods.REPLY_PERIOD + (ext.days or 0 if ext is not None else 0)
        if not (self.consultations or self.fee or self.manual):
            return self.calendar.nth_after_ordinal(self.start, n)  # nothing paused it
        return self.calendar.add_ordinal(self.start, n, self.spans())

    def reply_due_ordinal(self) -> int | None:
        """The statutory due date, or the Art. 35 deadline that replaces it."""
        d = self.deferral_step
        if d is not None and d.due is not None and not self.correction_pending:
            return d.due.toordinal()
        return self.statutory_due()

    def finish(self) -> None:
        """After the walk: the reply date, the one date kept at once (as ordinal and date)."""
        r = self.statutory_due() if self.deferral_step is None else self.reply_due_ordinal()
        self.reply_ordinal = r
        self.reply_due = _fromordinal(r) if r is not None else None

    def recheck(self, kind: FlagKind, ev: Event, limit: int) -> None:
        self.rechecks = (*self.rechecks, (kind, ev, limit))
