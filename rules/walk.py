"""The engine's walk over an application's events: every step checked, the facts kept.

This is the hot path (one call per application, also for a whole year's cases after a
calendar load), so it keeps dates as ordinals (`date.toordinal()`), reads each event's fields
once (an `Event` field costs a full attribute look-up), handles the common steps inline
with plain comparisons, and builds nothing it does not need; anything that fails a quick
check, and every rarer step, goes to `rules.steps`, which checks in full with the rule's
message. `rules.deadlines.Deadlines` turns the facts into dates, counts and explanations on
demand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from itertools import pairwise
from operator import attrgetter
from typing import TypeVar

from rules import periods, steps
from rules.calendar import WorkingCalendar
from rules.clocks import Policy
from rules.errors import CalendarRangeError, SequenceError
from rules.events import Event, EventKind
from rules.state import Consultation, Walk

K = EventKind
_ON = attrgetter("on")
W = TypeVar("W", bound=Walk)
_fromordinal = date.fromordinal
Factory = Callable[[WorkingCalendar, Policy, list[Event], int], W]

# The common steps are handled inline with plain comparisons; anything that fails a quick
# check, and every rare step, goes to a function below that checks in full, with the rule's
# message. The kinds are compared by identity, so they are bound to module names.

_RECEIVED = K.RECEIVED
_CONSULTATION_SENT = K.CONSULTATION_SENT
_CONSULTATION_ANSWERED = K.CONSULTATION_ANSWERED
_FEE_NOTICE_SENT = K.FEE_NOTICE_SENT
_FEE_PAID = K.FEE_PAID
_EXTENSION_GRANTED = K.EXTENSION_GRANTED
_REPLIED = K.REPLIED
_WITHDRAWN = K.WITHDRAWN
# Index offsets into the working-day table: the Nth working day after D is entry
# running_count(D) + N - 1.
_CONSULTATION_N = periods.CONSULTATION_PERIOD - 1
_FEE_N = periods.FEE_PAYMENT_PERIOD - 1
_REPLY_N = periods.REPLY_PERIOD - 1
_MAX_EXTENSION = periods.MAX_EXTENSION


def walk(
    events: Iterable[Event], calendar: WorkingCalendar, policy: Policy, factory: Factory[W]
) -> W:
    """Check and collect `events` in date order (same-day events keep the given order).

    `factory` builds the state the walk fills (`Walk`, or `rules.deadlines.Deadlines`, which
    is a `Walk` that also answers for the result).
    """
    evs = list(events)
    if evs and evs[0].kind is _RECEIVED:
        # Events usually come in date order: walk them as given, which checks the order as
        # it goes, and sort only when it is not (a walk that failed may have failed only
        # because of the order, so then it is walked again sorted, as the rules read it).
        try:
            w = _walk(evs, calendar, policy, factory)
        except Exception:
            if _in_order(evs):
                raise
            w = None
        if w is not None:
            return w
    evs.sort(key=_ON)  # stable: same-day events keep the given order
    if not evs or evs[0].kind is not _RECEIVED:
        evs = steps.receipt_first(evs)
    w = _walk(evs, calendar, policy, factory)
    assert w is not None, "sorted events are in order"
    return w


def _in_order(evs: list[Event]) -> bool:
    return all(a.on <= b.on for a, b in pairwise(evs))


def _walk(
    evs: list[Event], calendar: WorkingCalendar, policy: Policy, factory: Factory[W]
) -> W | None:
    """The walk over `evs`, the receipt first; None as soon as an event is dated before the
    one before it (`walk` then sorts them)."""
    received = prev = evs[0].on.toordinal()
    w = factory(calendar, policy, evs, received)
    ords, cum, base = calendar.working_table
    b1 = base - 1  # cum[o - b1]: the working days up to and including day o
    last_o = calendar.last_ordinal
    if not base <= received <= last_o:
        calendar.check_ordinal(received, "received")
    cs = w.consultations
    last = evs[-1]
    ext_days = 0
    fee_at = 0  # the fee pause's place among the pauses by start: after the letters before it
    rest = iter(evs)
    next(rest)  # the receipt, taken by `factory`
    try:
        for ev in rest:
            o = ev.on.toordinal()
            if o < prev:
                return None
            prev = o
            # A closing step must be the last one (checked at the closing step itself).
            k = ev.kind
            if k is _CONSULTATION_SENT:
                # Reg. Arts. 32, 34; rulebook §§6, 11: paused from sending, 15 days from service.
                served = ev.served
                if served is None:
                    cs.append(Consultation(ev, o, None, ords[cum[o - b1] + _CONSULTATION_N]))
                else:
                    so = served.toordinal()
                    if so < o or so > last_o:
                        steps.served(w, ev)
                    cs.append(Consultation(ev, o, so, ords[cum[so - b1] + _CONSULTATION_N]))
            elif k is _CONSULTATION_ANSWERED:
                # Rulebook §6: the answer ends the pause of the first open letter (of the
                # party, if named); served on or before the answer (§11).
                c = cs[0] if len(cs) == 1 else None
                party = ev.party
                if (
                    c is None
                    or c.answer is not None
                    or (party is not None and party != (c.event.party or ""))
                    or (c.served is not None and c.served > o)
                ):
                    steps.consultation_answered(w, ev)
                else:
                    c.answer = ev
                    if o < c.lapse:
                        c.end = o
            elif k is _FEE_NOTICE_SENT:
                # Fees art. 7; rulebook §§7, 11: one notice, the 20 days run from service.
                served = ev.served
                so = o if served is None else served.toordinal()
                if w.fee is not None or (served is not None and (so < o or so > last_o)):
                    steps.fee_notice(w, ev)
                w.fee = ev
                w.fee_sent = o
                w.fee_served = None if served is None else so
                w.fee_lapse = w.fee_end = ords[cum[so - b1] + _FEE_N]
                fee_at = len(cs)
            elif k is _FEE_PAID:
                # Fees art. 7; rulebook §11: within the period (late only if accepted).
                fs = w.fee_served
                if (
                    w.fee is None
                    or w.fee_paid is not None
                    or o > w.fee_lapse
                    or (fs is not None and fs > o)
                ):
                    steps.fee_paid(w, ev)
                else:
                    w.fee_end = o
                w.fee_paid = ev
            elif k is _EXTENSION_GRANTED:
                # Reg. Art. 33 ¶2: once, 1–20 days, decided on or before the due date (pauses
                # only push the due date later, so a decision before the unpaused date is on time).
                days = ev.days
                if (
                    w.extension_step is not None
                    or w.deferral_step is not None
                    or days is None
                    or not 1 <= days <= _MAX_EXTENSION
                    or (w.correction is not None and w.corrected is None)
                    or o > ords[cum[w.start - b1] + _REPLY_N]
                ):
                    steps.extension(w, ev)
                w.extension_step = ev
                ext_days = days or 0
            elif k is _REPLIED or k is _WITHDRAWN:
                w.closing_step = ev
                if ev is not last:
                    steps.after_closing(w, evs)
            else:
                handler = steps.RARE.get(k)
                if handler is None:
                    raise SequenceError(f"未知的事件类型 {k}", field="kind")
                handler(w, ev)
                if w.closing_step is not None and ev is not last:
                    steps.after_closing(w, evs)
        # The reply date as `Walk.finish` gives it (`Walk.statutory_due`, counted as
        # `WorkingCalendar.add_ordinal` does), inline for the usual case: no Art. 35 deadline,
        # no correction, no manual pause, so the period runs from the receipt and every pause
        # starts on or after it; the letters' pauses are in start order already (the walk is).
        usual = w.deferral_step is None and w.correction is None and not w.manual
        if usual:
            t = cum[received - b1] + _REPLY_N + ext_days  # day N, were nothing paused
            if cs or w.fee is not None:
                pauses = [(c.sent, c.end) for c in cs]
                if w.fee is not None and policy.fee_pauses_clock:
                    pauses.insert(fee_at, (w.fee_sent, w.fee_end))
                cur = received  # the last day counted or paused
                for s, e in pauses:
                    if ords[t] < s:
                        break  # day N comes before this pause (and every later one)
                    if e > cur:
                        t += cum[e - b1] - (cum[s - base] if s > cur else cum[cur - b1])
                        cur = e
            r = ords[t]
    except IndexError:
        raise CalendarRangeError(
            f"期限超出日历范围（{calendar.last_day.isoformat()}）", field="date"
        ) from None
    if not usual:
        w.finish()
        return w
    w.reply_ordinal = r
    w.reply_due = _fromordinal(r)
    return w
