"""What an auditor needs to recount every date, built on demand from the engine's walk.

`Count` (one per clock: where it runs from, how long, what paused it, where it stands),
`Extension` and `Deferral` (what moved the reply date, by whom, when), `Flag` (late steps the
law does not forbid outright) and the reply clock's merged pauses with every cause. None of
this is built by `compute` itself: `rules.deadlines.Deadlines` asks for it when shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rules import periods
from rules.calendar import Pause, PauseCause, PauseKind
from rules.clocks import Clock, ClockStatus, FlagKind
from rules.events import Event, EventKind
from rules.state import Consultation, Walk
from rules.walk import walk

K = EventKind
_d = date.fromordinal

REPLY_BASIS = "条例第三十三条第二款"
CORRECTION_NOTICE_BASIS = "条例第三十条"
CORRECTION_BASIS = "条例第三十条（补正期限由本机关确定）"
CONSULTATION_BASIS = "条例第三十二条、第三十四条"
FEE_BASIS = periods.FEE_BASIS
TARGET_BASIS = "本机关内部时限"


@dataclass(frozen=True)
class Count:
    """`days` working days after `start` (not counted) end on `end`; `pauses` were skipped.

    `start`/`end` are None while the clock is not started (it runs from a served date not yet
    recorded, rulebook §11; `sent` then says when the letter went out). `projection`: `end`
    assumes an open pause runs its full length (§11). `provisional`: the count reaches into a
    year without a State Council notice (§1). `finished_on`: the step that ended the clock.
    """

    clock: Clock
    start: date | None
    start_label: str
    days: int
    end: date | None
    basis: str
    pauses: tuple[Pause, ...] = ()
    backwards: bool = False  # `end` is `days` working days *before* `start`
    replaced_by: date | None = None  # Art. 35 deadline replacing the statutory date
    party: str = ""
    status: ClockStatus = ClockStatus.RUNNING
    finished_on: date | None = None
    finished_by: EventKind | None = None
    provisional: bool = False
    projection: bool = False
    sent: date | None = None


@dataclass(frozen=True)
class Extension:
    """Reg. Art. 33 ¶2: who approved how many days when, and the date it moved.

    `original_due`: the reply date without the extension, counted with the same pauses;
    `due_at_decision`: the reply date as it stood on the day of the decision (the limit it
    was checked against); `due`: the date with the extension.
    """

    days: int
    approver: str
    decided_on: date
    original_due: date | None
    due_at_decision: date | None
    due: date | None


@dataclass(frozen=True)
class Deferral:
    """Reg. Art. 35: the later deadline set by the office, and the statutory date it replaces."""

    decided_on: date
    due: date
    statutory_due: date | None
    statutory_due_at_decision: date | None


@dataclass(frozen=True)
class Flag:
    """A late or irregular step (`FlagKind`): the step, its date, and the limit it passed."""

    kind: FlagKind
    step: EventKind
    on: date
    limit: date | None = None
    note: str = ""


# -- pauses ----------------------------------------------------------------------------------


def _consultation_cause(w: Walk, c: Consultation) -> PauseCause:
    end = w.consultation_pause_end(c)
    # Unserved, the end is certain only when the answer came before the earliest lapse.
    served_known = c.served is not None or (c.answered is not None and c.answered == end)
    label = f"征求意见（{c.party}）" if c.party else "征求意见"
    return PauseCause(
        PauseKind.CONSULTATION, c.event.on, _d(end), label, c.answered is None, served_known
    )


def _fee_cause(w: Walk) -> PauseCause:
    fee = w.fee
    assert fee is not None
    end = w.fee_pause_end()
    paid = w.fee_paid
    served_known = fee.served is not None or (paid is not None and paid.on.toordinal() == end)
    return PauseCause(PauseKind.FEE, fee.on, _d(end), "缴费", paid is None, served_known)


def causes(w: Walk) -> list[PauseCause]:
    """Every cause of a reply-clock pause (rulebook §§6–7), each with its own interval."""
    out = [_consultation_cause(w, c) for c in w.consultations]
    if w.fee is not None and w.policy.fee_pauses_clock:
        out.append(_fee_cause(w))
    for ev in w.events:
        if ev.kind is K.PAUSE and ev.end is not None:
            out.append(PauseCause(PauseKind.MANUAL, ev.on, ev.end, ev.note or "指定的暂停期间"))
    return out


def reply_pauses(w: Walk) -> tuple[Pause, ...]:
    """The reply clock's pauses from its start on, merged (rulebook §2: overlapping or
    touching pauses merge), each with all its causes."""
    start = w.start
    items = sorted(
        (c.start.toordinal(), c.end.toordinal(), c) for c in causes(w) if c.end.toordinal() >= start
    )
    out: list[Pause] = []
    group: list[PauseCause] = []
    lo = hi = 0
    for s, e, c in items:
        if group and s <= hi + 1:
            group.append(c)
            hi = max(hi, e)
            continue
        if group:
            out.append(_merged(lo, hi, group))
        group, lo, hi = [c], s, e
    if group:
        out.append(_merged(lo, hi, group))
    return tuple(out)


def _merged(lo: int, hi: int, group: list[PauseCause]) -> Pause:
    reason = "、".join(dict.fromkeys(c.label for c in group))
    return Pause(_d(lo), _d(hi), reason, tuple(group))


def open_pauses(w: Walk) -> tuple[Pause, ...]:
    """Pauses whose ending step is not recorded yet (unanswered letters, unpaid fee)."""
    if w.closing_step is not None:
        return ()
    return tuple(Pause(c.start, c.end, c.label, (c,)) for c in causes(w) if c.open)


def is_projection(w: Walk, pauses: tuple[Pause, ...]) -> bool:
    """Rulebook §11: the reply date assumes an open pause runs its full length (or counts an
    unserved letter's period from the day it was sent)."""
    if w.closing_step is not None or w.correction_pending or w.deferral_step is not None:
        return False
    return any(c.open or not c.served_known for p in pauses for c in p.causes)


# -- the state before a step ----------------------------------------------------------------


def before(w: Walk, ev: Event) -> Walk:
    """The walk of the events before `ev`: the dates as they stood when `ev` was taken."""
    i = next(i for i, e in enumerate(w.events) if e is ev)
    return walk(w.events[:i], w.calendar, w.policy, Walk)


def _opt(o: int | None) -> date | None:
    return _d(o) if o is not None else None


def extension(w: Walk) -> Extension | None:
    """The extension's facts; its dates are None while a correction is awaited (a correction
    requested after the decision restarts the period, and the extension applies to it)."""
    ev = w.extension_step
    if ev is None:
        return None
    due = w.statutory_due()
    then = before(w, ev).statutory_due()
    original = None
    if due is not None:
        original = w.calendar.add_ordinal(w.start, periods.REPLY_PERIOD, w.spans())
    return Extension(
        w.extension_days, ev.approver or "", ev.on, _opt(original), _opt(then), _opt(due)
    )


def deferral(w: Walk) -> Deferral | None:
    ev = w.deferral_step
    if ev is None or ev.due is None:
        return None
    stat = w.statutory_due()
    then = before(w, ev).statutory_due()
    return Deferral(ev.on, ev.due, _opt(stat), _opt(then))


# -- flags -----------------------------------------------------------------------------------


def flags(w: Walk) -> tuple[Flag, ...]:
    """Every late or irregular step, in date order (rulebook §11: flags, not silence)."""
    cal, out = w.calendar, []
    req = w.correction
    if req is not None:
        notice_due = cal.nth_after_ordinal(w.received_day, periods.CORRECTION_NOTICE_PERIOD)
        if req.on.toordinal() > notice_due:
            out.append(Flag(FlagKind.CORRECTION_NOTICE_LATE, req.kind, req.on, _d(notice_due)))
        after = w.correction_after_due
        if after is not None:
            out.append(Flag(FlagKind.CORRECTION_NOTICE_AFTER_DUE, req.kind, req.on, _d(after)))
        got = w.corrected
        lapse = w.after(req.served.toordinal() if req.served else None, w.policy.correction_period)
        if got is not None and lapse is not None and got.on.toordinal() > lapse:
            out.append(Flag(FlagKind.CORRECTION_LATE, got.kind, got.on, _d(lapse)))
    # No step can be late for a due date earlier than 20 working days after receipt: the
    # reply date before any step is at least that (starts, pauses, extensions only move it
    # later). Steps up to that day need no walk of the events before them (the hot path of
    # a bulk recompute, which stores the number of flags).
    floor = cal.nth_after_ordinal(w.received_day, periods.REPLY_PERIOD)
    letters = [c.event for c in w.consultations] + ([w.fee] if w.fee is not None else [])
    for ev in letters:
        if ev.on.toordinal() <= floor:
            continue
        due = before(w, ev).reply_due_ordinal()
        if due is not None and ev.on.toordinal() > due:
            kind = (
                FlagKind.FEE_NOTICE_AFTER_DUE
                if ev.kind is K.FEE_NOTICE_SENT
                else FlagKind.CONSULTATION_AFTER_DUE
            )
            out.append(Flag(kind, ev.kind, ev.on, _d(due)))
    ext = w.extension_step
    if ext is not None and ext.on.toordinal() >= floor:
        then = before(w, ext).statutory_due()
        if then is not None and ext.on.toordinal() == then:
            out.append(Flag(FlagKind.EXTENSION_ON_DUE_DATE, ext.kind, ext.on, _d(then)))
    acc = w.fee_accepted
    if acc is not None:
        lapse = w.fee_period_end()
        out.append(
            Flag(
                FlagKind.LATE_PAYMENT_ACCEPTED,
                acc.kind,
                acc.on,
                _d(lapse) if lapse is not None else None,
                acc.note,
            )
        )
    reply, fee = w.closing_step, w.fee
    if reply is not None and reply.kind is K.REPLIED and fee is not None:
        paid = w.fee_paid
        if paid is None or paid.on > reply.on:
            out.append(Flag(FlagKind.REPLIED_WITH_FEE_UNPAID, reply.kind, reply.on, fee.on))
    for kind, ev, limit in w.rechecks:
        out.append(Flag(kind, ev.kind, ev.on, _d(limit)))
    return tuple(sorted(out, key=lambda f: f.on))
