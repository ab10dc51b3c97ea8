"""The deadline engine: an application's events in, every clock out (domain.md §§2–7).

`compute(events, calendar, policy)` is pure. It returns a `Deadlines` record holding every
date, the pauses, and one `Count` per date saying how it was reached. What depends on the day
(`state`, `working_days_left`) takes `today` as an argument.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from rules import periods
from rules.calendar import Pause, WorkingCalendar, merge_pauses
from rules.errors import (
    CorrectionOrderError,
    EventAfterClosingError,
    EventBeforeReceiptError,
    ExtensionError,
    MissingReceiptError,
    PauseOrderError,
)
from rules.events import CLOSING_KINDS, Event, EventKind


class Clock(StrEnum):
    """The clocks an application can run; values are stable keys (config, reminders)."""

    REPLY = "reply_due"  # Reg. Art. 33
    INTERNAL_TARGET = "internal_target"  # office practice, domain.md §10
    CORRECTION_NOTICE = "correction_notice_due"  # Reg. Art. 30
    CORRECTION_DEADLINE = "correction_deadline"  # applicant's period, office setting
    CONSULTATION = "consultation_due"  # Reg. Arts. 32, 34
    FEE_PAYMENT = "fee_payment_due"  # Fees art. 7


class State(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    AWAITING_CORRECTION = "awaiting_correction"
    OVERDUE = "overdue"
    CLOSED_ON_TIME = "closed_on_time"
    CLOSED_LATE = "closed_late"


@dataclass(frozen=True)
class Policy:
    """The office's own settings that the engine needs (all from config.toml)."""

    correction_period: int = periods.DEFAULT_CORRECTION_PERIOD
    fee_pauses_clock: bool = True  # domain.md §7, one named setting, default on
    target_days_before_due: int | None = None  # internal target: N working days before due
    target_within_days: int | None = None  # internal target: within N working days of receipt


@dataclass(frozen=True)
class Count:
    """`days` working days after `start` (not counted) end on `end`; `pauses` were skipped."""

    clock: Clock
    start: date
    start_label: str
    days: int
    end: date
    basis: str
    pauses: tuple[Pause, ...] = ()
    backwards: bool = False  # `end` is `days` working days *before* `start`
    replaced_by: date | None = None  # Art. 35 deadline replacing the statutory date


@dataclass
class _Consultation:
    party: str
    sent: date
    due: date
    answered: date | None = None

    @property
    def pause(self) -> Pause:
        end = min(self.answered, self.due) if self.answered else self.due
        return Pause(self.sent, end, f"征求意见（{self.party}）" if self.party else "征求意见")


@dataclass(frozen=True)
class Deadlines:
    received: date
    period_start: date
    period_start_label: str
    reply_due: date | None
    statutory_reply_due: date | None
    correction_notice_due: date
    correction_requested: date | None
    correction_deadline: date | None
    consultation_due: date | None
    fee_payment_due: date | None
    internal_target: date | None
    extension_days: int
    deferred_due: date | None
    pauses: tuple[Pause, ...]
    open_pauses: tuple[Pause, ...]
    closed_on: date | None
    closing: EventKind | None
    closed_on_time: bool | None
    correction_notice_late: bool
    provisional: bool
    counts: tuple[Count, ...] = field(default=())

    @property
    def closed(self) -> bool:
        return self.closed_on is not None

    @property
    def awaiting_correction(self) -> bool:
        return self.correction_deadline is not None and not self.closed

    def state(self, today: date) -> State:
        if self.closed:
            return State.CLOSED_ON_TIME if self.closed_on_time else State.CLOSED_LATE
        if self.awaiting_correction:
            return State.AWAITING_CORRECTION
        if any(p.start <= today <= p.end for p in self.pauses):
            return State.PAUSED
        if self.reply_due is not None and today > self.reply_due:
            return State.OVERDUE
        return State.RUNNING

    def working_days_left(self, today: date, calendar: WorkingCalendar) -> int | None:
        """Working days after `today` up to and including the reply due date (see calendar)."""
        if self.reply_due is None or self.closed:
            return None
        return calendar.working_days_left(today, self.reply_due, self.pauses)

    def open_clocks(self) -> dict[Clock, date]:
        """The clocks still running, with their due dates (none once closed)."""
        if self.closed:
            return {}
        clocks: dict[Clock, date] = {}
        if self.reply_due is not None:
            clocks[Clock.REPLY] = self.reply_due
        if self.internal_target is not None:
            clocks[Clock.INTERNAL_TARGET] = self.internal_target
        if self.correction_requested is None and self.correction_deadline is None:
            clocks[Clock.CORRECTION_NOTICE] = self.correction_notice_due
        if self.correction_deadline is not None:
            clocks[Clock.CORRECTION_DEADLINE] = self.correction_deadline
        if self.consultation_due is not None:
            clocks[Clock.CONSULTATION] = self.consultation_due
        if self.fee_payment_due is not None:
            clocks[Clock.FEE_PAYMENT] = self.fee_payment_due
        return clocks

    def next_action_due(self) -> date | None:
        clocks = self.open_clocks()
        return min(clocks.values()) if clocks else None


@dataclass
class _Run:
    """Mutable state while walking the events in date order."""

    received: date
    period_start: date
    period_label: str = "收到申请之日"
    correction_requested: date | None = None
    correction_deadline: date | None = None
    correction_received: date | None = None
    extension: Event | None = None
    deferred: Event | None = None
    consultations: list[_Consultation] = field(default_factory=list)
    fee_sent: date | None = None
    fee_due: date | None = None
    fee_paid: date | None = None
    manual_pauses: list[Pause] = field(default_factory=list)
    closing: Event | None = None

    @property
    def extension_days(self) -> int:
        return (self.extension.days or 0) if self.extension else 0


def _sorted(events: Iterable[Event]) -> list[Event]:
    """Events by date; on one day the given order is kept (stable sort)."""
    return sorted(events, key=lambda e: e.on)


def compute(
    events: Iterable[Event], calendar: WorkingCalendar, policy: Policy | None = None
) -> Deadlines:
    """Compute every clock from `events`. Raises a `SequenceError` for impossible sequences."""
    policy = policy or Policy()
    evs = _sorted(events)
    receipts = [e for e in evs if e.kind is EventKind.RECEIVED]
    if len(receipts) != 1:
        raise MissingReceiptError(
            "必须有且只有一个收到申请事件 / exactly one receipt event", field="received"
        )
    received = receipts[0].on
    run = _Run(received=received, period_start=received)
    for ev in evs:
        if ev.kind is EventKind.RECEIVED:
            continue
        if ev.on < received:
            raise EventBeforeReceiptError(
                f"{ev.on.isoformat()} 早于收到申请日期 {received.isoformat()}"
                " / event before receipt",
                field=ev.kind.value,
            )
        if run.closing is not None:
            raise EventAfterClosingError(
                f"申请已于 {run.closing.on.isoformat()} 办结，不能再记录 / event after closing",
                field=ev.kind.value,
            )
        _apply(run, ev, calendar, policy)
    return _finish(run, calendar, policy)


def _pauses(run: _Run, policy: Policy) -> list[Pause]:
    out = [c.pause for c in run.consultations] + list(run.manual_pauses)
    if policy.fee_pauses_clock and run.fee_sent is not None:
        end = run.fee_paid or run.fee_due
        assert end is not None
        out.append(Pause(run.fee_sent, end, "缴费"))
    return [p for p in out if p.end >= run.period_start]


def _reply_due(run: _Run, calendar: WorkingCalendar, policy: Policy) -> date | None:
    if run.correction_deadline is not None:
        return None  # waiting for the corrected application (Reg. Art. 30)
    if run.deferred is not None:
        return run.deferred.due
    days = periods.REPLY_PERIOD + run.extension_days
    return calendar.add_working_days(run.period_start, days, _pauses(run, policy))


def _apply(run: _Run, ev: Event, calendar: WorkingCalendar, policy: Policy) -> None:
    k = ev.kind
    if k is EventKind.CORRECTION_REQUESTED:
        if run.correction_requested is not None:
            raise CorrectionOrderError(
                "补正只能一次性告知（条例第三十条）/ correction asked twice",
                field="correction_requested",
            )
        run.correction_requested = ev.on
        run.correction_deadline = calendar.add_working_days(ev.on, policy.correction_period)
    elif k is EventKind.CORRECTION_RECEIVED:
        if run.correction_deadline is None:
            raise CorrectionOrderError(
                "尚未告知补正，不能收到补正 / correction not requested", field="correction_received"
            )
        run.correction_received = ev.on
        run.correction_deadline = None
        run.period_start, run.period_label = ev.on, "收到补正申请之日"
    elif k is EventKind.EXTENSION_GRANTED:
        _extend(run, ev, calendar, policy)
    elif k is EventKind.CONSULTATION_SENT:
        due = calendar.add_working_days(ev.on, periods.CONSULTATION_PERIOD)
        run.consultations.append(_Consultation(ev.party or "", ev.on, due))
    elif k is EventKind.CONSULTATION_ANSWERED:
        open_ = [
            c
            for c in run.consultations
            if c.answered is None and (ev.party is None or c.party == (ev.party or ""))
        ]
        if not open_:
            raise PauseOrderError(
                "没有待答复的征求意见 / no consultation awaiting an answer",
                field="consultation_answered",
            )
        open_[0].answered = ev.on
    elif k is EventKind.FEE_NOTICE_SENT:
        if run.fee_sent is not None:
            raise PauseOrderError("已发出收费通知 / fee notice already sent", field="fee_notice")
        run.fee_sent = ev.on
        run.fee_due = calendar.add_working_days(ev.on, periods.FEE_PAYMENT_PERIOD)
    elif k is EventKind.FEE_PAID:
        if run.fee_sent is None or run.fee_paid is not None:
            raise PauseOrderError(
                "没有待缴费的收费通知 / no fee notice awaiting payment", field="fee_paid"
            )
        run.fee_paid = ev.on
    elif k is EventKind.PAUSE:
        if ev.end is None or ev.end < ev.on:
            raise PauseOrderError(
                "暂停结束日期早于开始日期 / pause ends before it starts", field="pause"
            )
        run.manual_pauses.append(Pause(ev.on, ev.end, ev.note or "暂停"))
    elif k is EventKind.DEFERRED:
        if ev.due is None or ev.due <= ev.on:
            raise PauseOrderError(
                "第三十五条确定的答复期限必须晚于告知日期 / Art. 35 deadline "
                "must be after the notice",
                field="deferred_due",
            )
        run.deferred = ev
    elif k in CLOSING_KINDS:
        run.closing = ev


def _extend(run: _Run, ev: Event, calendar: WorkingCalendar, policy: Policy) -> None:
    """Reg. Art. 33 ¶2: once, at most 20 working days, granted on or before the due date."""
    days = ev.days or 0
    if run.extension is not None:
        raise ExtensionError(
            "只能延期一次（条例第三十三条）/ only one extension", field="extension"
        )
    if not 1 <= days <= periods.MAX_EXTENSION:
        raise ExtensionError(
            f"延长期限为 1 至 {periods.MAX_EXTENSION} 个工作日（条例第三十三条）"
            " / 1 to 20 working days",
            field="extend",
        )
    due = _reply_due(run, calendar, policy)
    if due is None:
        raise ExtensionError("等待补正期间不能延期 / no running reply period", field="extension")
    if ev.on > due and not ev.trusted:
        raise ExtensionError(
            f"延期须在答复期限 {due.isoformat()} 届满前作出 / extension after the due date",
            field="extension",
        )
    run.extension = ev


def _finish(run: _Run, calendar: WorkingCalendar, policy: Policy) -> Deadlines:
    pauses = tuple(merge_pauses(_pauses(run, policy)))
    notice_due = calendar.add_working_days(run.received, periods.CORRECTION_NOTICE_PERIOD)
    counts: list[Count] = [
        Count(
            Clock.CORRECTION_NOTICE,
            run.received,
            "收到申请之日",
            periods.CORRECTION_NOTICE_PERIOD,
            notice_due,
            "条例第三十条",
        )
    ]
    reply_due = _reply_due(run, calendar, policy)
    statutory = None
    if run.correction_deadline is None:
        ext = run.extension_days
        statutory = calendar.add_working_days(run.period_start, periods.REPLY_PERIOD + ext, pauses)
        basis = "条例第三十三条第二款" + ("（含延期）" if ext else "")
        counts.append(
            Count(
                Clock.REPLY,
                run.period_start,
                run.period_label,
                periods.REPLY_PERIOD + ext,
                statutory,
                basis,
                pauses,
                replaced_by=run.deferred.due if run.deferred else None,
            )
        )
    if run.correction_requested is not None:
        end = calendar.add_working_days(run.correction_requested, policy.correction_period)
        counts.append(
            Count(
                Clock.CORRECTION_DEADLINE,
                run.correction_requested,
                "发出补正告知之日",
                policy.correction_period,
                end,
                "条例第三十条（补正期限由本机关确定）",
            )
        )
    open_consult = [c for c in run.consultations if c.answered is None]
    for c in run.consultations:
        label = f"发出征求意见（{c.party}）之日" if c.party else "发出征求意见之日"
        counts.append(
            Count(
                Clock.CONSULTATION,
                c.sent,
                label,
                periods.CONSULTATION_PERIOD,
                c.due,
                "条例第三十二条、第三十四条",
            )
        )
    fee_open = run.fee_sent is not None and run.fee_paid is None
    if run.fee_sent is not None and run.fee_due is not None:
        counts.append(
            Count(
                Clock.FEE_PAYMENT,
                run.fee_sent,
                "发出收费通知之日",
                periods.FEE_PAYMENT_PERIOD,
                run.fee_due,
                "《政府信息公开信息处理费管理办法》第七条",
            )
        )
    target = _internal_target(run, reply_due, pauses, calendar, policy, counts)
    closing = run.closing
    on_time = None
    if closing is not None:
        on_time = reply_due is None or closing.on <= reply_due
    open_pauses = tuple(p for c in open_consult for p in [c.pause])
    if fee_open and policy.fee_pauses_clock and run.fee_sent and run.fee_due:
        open_pauses += (Pause(run.fee_sent, run.fee_due, "缴费"),)
    last = max([c.end for c in counts] + [run.received])
    if reply_due is not None:
        last = max(last, reply_due)
    return Deadlines(
        received=run.received,
        period_start=run.period_start,
        period_start_label=run.period_label,
        reply_due=reply_due,
        statutory_reply_due=statutory,
        correction_notice_due=notice_due,
        correction_requested=run.correction_requested,
        correction_deadline=run.correction_deadline,
        consultation_due=min((c.due for c in open_consult), default=None),
        fee_payment_due=run.fee_due if fee_open else None,
        internal_target=target,
        extension_days=run.extension_days,
        deferred_due=run.deferred.due if run.deferred else None,
        pauses=pauses,
        open_pauses=open_pauses,
        closed_on=closing.on if closing else None,
        closing=closing.kind if closing else None,
        closed_on_time=on_time,
        correction_notice_late=bool(
            run.correction_requested and run.correction_requested > notice_due
        ),
        provisional=calendar.provisional_in(run.received, last),
        counts=tuple(counts),
    )


def _internal_target(
    run: _Run,
    reply_due: date | None,
    pauses: tuple[Pause, ...],
    calendar: WorkingCalendar,
    policy: Policy,
    counts: list[Count],
) -> date | None:
    """The office's internal target (domain.md §10): the earlier of the configured rules."""
    if reply_due is None:
        return None
    options: list[Count] = []
    if policy.target_days_before_due:
        end = calendar.subtract_working_days(reply_due, policy.target_days_before_due)
        options.append(
            Count(
                Clock.INTERNAL_TARGET,
                reply_due,
                "答复期限",
                policy.target_days_before_due,
                end,
                "本机关内部时限",
                backwards=True,
            )
        )
    if policy.target_within_days:
        end = calendar.add_working_days(run.period_start, policy.target_within_days, pauses)
        options.append(
            Count(
                Clock.INTERNAL_TARGET,
                run.period_start,
                run.period_label,
                policy.target_within_days,
                end,
                "本机关内部时限",
                pauses,
            )
        )
    if not options:
        return None
    best = min(options, key=lambda c: c.end)
    best = replace(best, end=max(best.end, run.period_start))
    counts.append(best)
    return best.end
