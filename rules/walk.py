"""The engine's walk over an application's events: every step checked, the facts kept.

This is the hot path (one call per application, also for a whole year's cases after a
calendar load), so it keeps dates as ordinals (`date.toordinal()`), handles the common steps
inline with plain comparisons, and builds nothing it does not need; anything that fails a
quick check, and every rarer step, goes to `rules.steps`, which checks in full with the
rule's message. `rules.deadlines.Deadlines` turns the facts into dates, counts and
explanations on demand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
    events: Iterable[Event],
    calendar: WorkingCalendar,
    policy: Policy,
    factory: Callable[[WorkingCalendar, Policy, list[Event]], W],
) -> W:
    """Check and collect `events` in date order (same-day events keep the given order).

    `factory` builds the state the walk fills (`Walk`, or `rules.deadlines.Deadlines`, which
    is a `Walk` that also answers for the result).
    """
    evs = sorted(events, key=_ON)
    if not evs or evs[0].kind is not _RECEIVED:
        evs = steps.receipt_first(evs)
    w = factory(calendar, policy, evs)
    ords, cum, base = calendar.working_table
    last_day = calendar.last_day
    if not base <= w.received_day <= last_day.toordinal():
        calendar.check_ordinal(w.received_day, "received")
    last = evs[-1]
    rest = iter(evs)
    next(rest)  # the receipt, taken by `factory`
    try:
        for ev in rest:
            # A closing step must be the last one (checked at the closing step itself).
            k = ev.kind
            if k is _CONSULTATION_SENT:
                # Reg. Arts. 32, 34; rulebook §§6, 11: paused from sending, 15 days from service.
                served = ev.served
                sent = ev.on.toordinal()
                if served is None:
                    w.consultations.append(
                        Consultation(ev, sent, None, ords[cum[sent - base + 1] + _CONSULTATION_N])
                    )
                else:
                    if served < ev.on or served > last_day:
                        steps.served(w, ev)
                    so = served.toordinal()
                    lapse = ords[cum[so - base + 1] + _CONSULTATION_N]
                    w.consultations.append(Consultation(ev, sent, so, lapse))
            elif k is _CONSULTATION_ANSWERED:
                # Rulebook §6: the answer ends the pause of the first open letter (of the
                # party, if named); served on or before the answer (§11).
                cs = w.consultations
                c = cs[0] if len(cs) == 1 else None
                o = ev.on.toordinal()
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
                if w.fee is not None or (
                    served is not None and (served < ev.on or served > last_day)
                ):
                    steps.fee_notice(w, ev)
                w.fee = ev
                w.fee_sent = sent = ev.on.toordinal()
                base_day = sent if served is None else served.toordinal()
                w.fee_lapse = w.fee_end = ords[cum[base_day - base + 1] + _FEE_N]
            elif k is _FEE_PAID:
                # Fees art. 7; rulebook §11: within the period (late only if accepted).
                fee = w.fee
                o = ev.on.toordinal()
                if (
                    fee is None
                    or w.fee_paid is not None
                    or o > w.fee_lapse
                    or (fee.served is not None and fee.served > ev.on)
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
                    or ev.on.toordinal() > ords[cum[w.start - base + 1] + _REPLY_N]
                ):
                    steps.extension(w, ev)
                w.extension_step = ev
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
    except IndexError:
        raise CalendarRangeError(
            f"期限超出日历范围（{last_day.isoformat()}）", field="date"
        ) from None
    w.finish()
    return w
