"""One `Count` per clock, built on demand from the walk: how each date was reached.

Order: the correction notice, the reply, the applicant's correction period, each
consultation, the fee payment, the internal target (the order explanations are shown in).
"""

from __future__ import annotations

from datetime import date

from rules import periods
from rules.calendar import Pause
from rules.clocks import Clock, ClockStatus
from rules.events import Event
from rules.facts import (
    CONSULTATION_BASIS,
    CORRECTION_BASIS,
    CORRECTION_NOTICE_BASIS,
    FEE_BASIS,
    REPLY_BASIS,
    TARGET_BASIS,
    Count,
)
from rules.state import Walk

_d = date.fromordinal
RECEIPT_LABEL = "收到申请之日"
CORRECTED_LABEL = "收到补正申请之日"


def period_label(w: Walk) -> str:
    """Reg. Art. 30: after a correction the reply period runs from the corrected application."""
    return CORRECTED_LABEL if w.restarted else RECEIPT_LABEL


def _status(
    w: Walk, done: Event | None, started: bool = True
) -> tuple[ClockStatus, date | None, Event | None]:
    """Finished by `done` (or by closing), not started, or running."""
    end = done if done is not None else w.closing_step
    if end is not None:
        return ClockStatus.FINISHED, end.on, end
    return (ClockStatus.RUNNING if started else ClockStatus.NOT_STARTED), None, None


def _count(
    w: Walk,
    clock: Clock,
    start: int | None,
    label: str,
    days: int,
    end: int | None,
    basis: str,
    done: Event | None,
    *,
    pauses: tuple[Pause, ...] = (),
    backwards: bool = False,
    replaced_by: date | None = None,
    party: str = "",
    projection: bool = False,
    sent: date | None = None,
) -> Count:
    status, on, by = _status(w, done, start is not None)
    prov = False
    if start is not None and end is not None:
        prov = w.calendar.provisional_between_ordinal(min(start, end), max(start, end))
    return Count(
        clock,
        _d(start) if start is not None else None,
        label,
        days,
        _d(end) if end is not None else None,
        basis,
        pauses,
        backwards,
        replaced_by,
        party,
        status,
        on,
        by.kind if by is not None else None,
        prov,
        projection,
        sent,
    )


def target(w: Walk, reply_due: int | None) -> tuple[int, bool] | None:
    """The office's internal target (rulebook §10): the earlier of the configured rules.

    Returns (day, counted backwards from the reply date); never before the period start.
    """
    if reply_due is None:
        return None
    policy, cal = w.policy, w.calendar
    options: list[tuple[int, bool]] = []
    if policy.target_days_before_due:
        options.append((cal.nth_before_ordinal(reply_due, policy.target_days_before_due), True))
    if policy.target_within_days:
        end = cal.add_ordinal(w.start, policy.target_within_days, w.spans())
        options.append((end, False))
    if not options:
        return None
    end, back = min(options, key=lambda o: o[0])
    return max(end, w.start), back


def counts(
    w: Walk, reply_due: int | None, pauses: tuple[Pause, ...], projection: bool
) -> tuple[Count, ...]:
    cal, policy = w.calendar, w.policy
    out = [
        _count(
            w,
            Clock.CORRECTION_NOTICE,
            w.received_day,
            RECEIPT_LABEL,
            periods.CORRECTION_NOTICE_PERIOD,
            cal.nth_after_ordinal(w.received_day, periods.CORRECTION_NOTICE_PERIOD),
            CORRECTION_NOTICE_BASIS,
            w.correction,
        )
    ]
    if not w.correction_pending:
        ext = w.extension_days
        out.append(
            _count(
                w,
                Clock.REPLY,
                w.start,
                period_label(w),
                periods.REPLY_PERIOD + ext,
                w.statutory_due(),
                REPLY_BASIS + (f"（含延期{ext}个工作日）" if ext else ""),
                None,
                pauses=pauses,
                replaced_by=w.deferral_step.due if w.deferral_step is not None else None,
                projection=projection,
            )
        )
    req = w.correction
    if req is not None:
        served = req.served.toordinal() if req.served is not None else None
        out.append(
            _count(
                w,
                Clock.CORRECTION_DEADLINE,
                served,
                "补正告知送达之日",
                policy.correction_period,
                w.after(served, policy.correction_period),
                CORRECTION_BASIS,
                w.corrected,
                sent=req.on,
            )
        )
    for c in w.consultations:
        party = f"（{c.party}）" if c.party else ""
        out.append(
            _count(
                w,
                Clock.CONSULTATION,
                c.served,
                f"征求意见书{party}送达之日",
                periods.CONSULTATION_PERIOD,
                w.after(c.served, periods.CONSULTATION_PERIOD),
                CONSULTATION_BASIS,
                c.answer,
                party=c.party,
                sent=c.event.on,
            )
        )
    fee = w.fee
    if fee is not None:
        served = fee.served.toordinal() if fee.served is not None else None
        out.append(
            _count(
                w,
                Clock.FEE_PAYMENT,
                served,
                "收到收费通知之日",
                periods.FEE_PAYMENT_PERIOD,
                w.fee_period_end(),
                FEE_BASIS,
                w.fee_paid,
                sent=fee.on,
            )
        )
    best = target(w, reply_due)
    if best is not None:
        end, back = best
        assert reply_due is not None
        if back:
            out.append(
                _count(
                    w,
                    Clock.INTERNAL_TARGET,
                    reply_due,
                    "答复期限",
                    policy.target_days_before_due or 0,
                    end,
                    TARGET_BASIS,
                    None,
                    backwards=True,
                    projection=projection,
                )
            )
        else:
            out.append(
                _count(
                    w,
                    Clock.INTERNAL_TARGET,
                    w.start,
                    period_label(w),
                    policy.target_within_days or 0,
                    end,
                    TARGET_BASIS,
                    None,
                    pauses=pauses,
                    projection=projection,
                )
            )
    return tuple(out)
