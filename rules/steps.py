"""The full check of each step, with the rule's message (rulebook §§3–7, 11).

`rules.walk` handles the common steps inline and calls these when a quick check fails; the
rarer steps are handled here entirely (`RARE`). Every error names its field
(`rules.errors`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rules import periods
from rules.clocks import FlagKind
from rules.errors import (
    WHOLE_STEP,
    AbandonmentError,
    CorrectionOrderError,
    DeferralError,
    EventAfterClosingError,
    EventBeforeReceiptError,
    ExtensionError,
    LatePaymentError,
    MissingReceiptError,
    PauseOrderError,
    ServedDateError,
)
from rules.events import AbandonReason, Event, EventKind
from rules.state import Walk

K = EventKind


def _iso(o: int) -> str:
    return date.fromordinal(o).isoformat()


def receipt_first(evs: list[Event]) -> list[Event]:
    """The slow path: the receipt is not the first event by date and list order."""
    receipts = [e for e in evs if e.kind == K.RECEIVED]
    if len(receipts) != 1:
        raise MissingReceiptError("必须有且只有一个收到申请事件", field="received")
    receipt = receipts[0]
    for e in evs:
        if e.on < receipt.on:
            raise EventBeforeReceiptError(
                f"{e.on.isoformat()} 早于收到申请日期 {receipt.on.isoformat()}",
                field="on",
                step=e.kind,
            )
    return [receipt, *(e for e in evs if e is not receipt)]


def after_closing(w: Walk, evs: list[Event]) -> None:
    """Refuse the step after the closing one (a reply, withdrawal or abandonment ends all)."""
    closing = w.closing_step
    assert closing is not None
    ev = evs[next(i for i, e in enumerate(evs) if e is closing) + 1]
    raise EventAfterClosingError(
        f"申请已于 {closing.on.isoformat()} 办结，不能再记录", field="on", step=ev.kind
    )


# -- full checks, off the hot path ----------------------------------------------------------


def served(w: Walk, ev: Event) -> None:
    """Rulebook §11: a letter cannot reach its addressee before it was sent."""
    served = ev.served
    if served is not None:
        if served < ev.on:
            raise ServedDateError("送达日期不能早于发出日期", field="served", step=ev.kind)
        w.calendar.check_ordinal(served.toordinal(), "served")


def fee_notice(w: Walk, ev: Event) -> None:
    """Fees art. 7: one notice per application."""
    if w.fee is not None:
        raise PauseOrderError("已发出收费通知", field="on", step=ev.kind)
    served(w, ev)


def fee_paid(w: Walk, ev: Event) -> None:
    """Fees art. 7 and rulebook §11: paid within the period, or late and accepted."""
    fee = w.fee
    if fee is None or w.fee_paid is not None:
        raise PauseOrderError("没有待缴费的收费通知", field="on", step=ev.kind)
    if fee.served is not None and fee.served > ev.on:
        raise ServedDateError("收费通知的送达日期不能晚于缴费日期", field="served", step=fee.kind)
    due = w.fee_lapse
    o = ev.on.toordinal()
    if o <= due or w.fee_accepted is not None:
        w.fee_end = o  # an accepted late payment: paused until it arrived (rulebook §11)
    elif ev.trusted:
        w.recheck(FlagKind.PAYMENT_AFTER_PERIOD, ev, due)
    elif fee.served is None:
        raise LatePaymentError(
            "缴费日期晚于自发出之日计算的缴费期限，须先记录收费通知的送达日期",
            field="served",
            step=fee.kind,
        )
    else:
        raise LatePaymentError(
            f"缴费期限已于 {_iso(due)} 届满；逾期缴费须先记录本机关接受逾期缴费及理由",
            field="on",
            step=ev.kind,
        )


def extension(w: Walk, ev: Event) -> None:
    """Reg. Art. 33 ¶2: once, at most 20 working days, granted on or before the due date."""
    if w.deferral_step is not None:
        raise ExtensionError(
            "已依条例第三十五条另行确定答复期限，不能再延期", field="on", step=ev.kind
        )
    if w.extension_step is not None:
        # Not about the decision's date: the step itself cannot be taken again.
        raise ExtensionError("只能延期一次（条例第三十三条）", field=WHOLE_STEP, step=ev.kind)
    days = ev.days or 0
    if not 1 <= days <= periods.MAX_EXTENSION:
        raise ExtensionError(
            f"延长期限为 1 至 {periods.MAX_EXTENSION} 个工作日（条例第三十三条）",
            field="days",
            step=ev.kind,
        )
    if w.correction_pending:
        raise ExtensionError(
            "等待补正期间答复期限尚未起算，不能延期（条例第三十条）", field="on", step=ev.kind
        )
    due = w.statutory_due()
    assert due is not None
    if ev.on.toordinal() > due:
        if not ev.trusted:
            raise ExtensionError(
                f"延期须在答复期限 {_iso(due)} 届满前作出（条例第三十三条）",
                field="on",
                step=ev.kind,
            )
        w.recheck(FlagKind.EXTENSION_AFTER_DUE, ev, due)


def consultation_answered(w: Walk, ev: Event) -> None:
    """Rulebook §6: the answer ends the letter's pause (the first open letter of the party)."""
    party, found, c = ev.party, False, None
    for x in w.consultations:
        if x.answer is None:
            found = True
            if party is None or x.party == party:
                c = x
                break
    if c is None:
        raise PauseOrderError(
            "没有待答复的征求意见", field="party" if found else "on", step=ev.kind
        )
    o = ev.on.toordinal()
    if c.served is not None and c.served > o:
        raise ServedDateError(
            "征求意见书的送达日期不能晚于收到意见的日期", field="served", step=c.event.kind
        )
    c.answer = ev
    if o < c.lapse:
        c.end = o


# -- the rarer steps -------------------------------------------------------------------------


def _second_receipt(w: Walk, ev: Event) -> None:
    raise MissingReceiptError("必须有且只有一个收到申请事件", field="received", step=ev.kind)


def _correction_requested(w: Walk, ev: Event) -> None:
    """Reg. Art. 30: the office asks once, listing everything."""
    if w.correction is not None:
        raise CorrectionOrderError("补正只能一次性告知（条例第三十条）", field="on", step=ev.kind)
    served(w, ev)
    # Rulebook §11.3a: a notice after the reply date leaves that date (and the case overdue).
    due = w.reply_due_ordinal()
    w.correction_after_due = due if due is not None and ev.on.toordinal() > due else None
    w.correction = ev


def _correction_received(w: Walk, ev: Event) -> None:
    """Reg. Art. 30: the reply period runs afresh from the corrected application."""
    req = w.correction
    if req is None or w.corrected is not None:
        raise CorrectionOrderError("尚未告知补正，不能收到补正申请", field="on", step=ev.kind)
    if req.served is not None and req.served > ev.on:
        raise ServedDateError(
            "补正告知的送达日期不能晚于收到补正申请的日期", field="served", step=req.kind
        )
    w.corrected = ev
    if w.correction_after_due is None:
        w.start = ev.on.toordinal()


def _late_payment_accepted(w: Walk, ev: Event) -> None:
    """Rulebook §11: the office may accept a payment after the period, with a reason."""
    fee = w.fee
    if fee is None or w.fee_paid is not None:
        raise LatePaymentError("没有待缴费的收费通知", field="on", step=ev.kind)
    if w.fee_accepted is not None:
        raise LatePaymentError("已记录接受逾期缴费", field="on", step=ev.kind)
    if not ev.note.strip():
        raise LatePaymentError("接受逾期缴费须写明理由", field="note", step=ev.kind)
    due = w.fee_period_end()
    if due is None:
        raise LatePaymentError(
            "收费通知的送达日期尚未记录，缴费期限尚未起算", field="served", step=fee.kind
        )
    if ev.on.toordinal() <= due and not ev.trusted:
        raise LatePaymentError(
            f"缴费期限至 {_iso(due)} 尚未届满，无需接受逾期缴费", field="on", step=ev.kind
        )
    w.fee_accepted = ev


def _pause(w: Walk, ev: Event) -> None:
    """Rulebook §2: an explicit paused interval, both ends included."""
    if ev.end is None or ev.end < ev.on:
        raise PauseOrderError("暂停结束日期早于开始日期", field="end", step=ev.kind)
    w.calendar.check_ordinal(ev.end.toordinal(), "end")
    w.manual = (*w.manual, (ev.on.toordinal(), ev.end.toordinal()))


def _deferred(w: Walk, ev: Event) -> None:
    """Reg. Art. 35 and rulebook §11: a later deadline, decided on or before the due date."""
    if ev.due is None:
        raise DeferralError("须写明依条例第三十五条确定的答复期限", field="due", step=ev.kind)
    if w.deferral_step is not None:
        raise DeferralError("已依条例第三十五条确定过答复期限", field="on", step=ev.kind)
    if w.correction_pending:
        raise DeferralError(
            "等待补正期间答复期限尚未起算（条例第三十条）", field="on", step=ev.kind
        )
    if ev.due <= ev.on:
        raise DeferralError("第三十五条确定的答复期限必须晚于告知日期", field="due", step=ev.kind)
    w.calendar.check_ordinal(ev.due.toordinal(), "due")
    stat = w.statutory_due()
    assert stat is not None
    late = ev.on.toordinal() > stat
    if late or ev.due.toordinal() <= stat:
        if ev.trusted:
            w.recheck(FlagKind.DEFERRAL_OUT_OF_TIME, ev, stat)
        elif late:
            raise DeferralError(
                f"法定答复期限已于 {_iso(stat)} 届满，不能再依条例第三十五条另定期限",
                field="on",
                step=ev.kind,
            )
        else:
            raise DeferralError(
                f"依条例第三十五条确定的答复期限须晚于法定答复期限 {_iso(stat)}",
                field="due",
                step=ev.kind,
            )
    w.deferral_step = ev


def _abandoned(w: Walk, ev: Event) -> None:
    """Deemed abandoned only once the served-based period has run out (Reg. Art. 30; Fees
    art. 7; rulebook §11)."""
    try:
        reason = AbandonReason(ev.reason) if ev.reason is not None else None
    except ValueError:
        reason = None
    if reason is None:
        raise AbandonmentError(
            "视为放弃申请须写明原因：逾期不补正或逾期未缴费",
            field="reason",
            step=ev.kind,
        )
    if reason is AbandonReason.CORRECTION:
        letter = w.correction
        if letter is None or w.corrected is not None:
            raise AbandonmentError("该申请不在等待补正状态", field="reason", step=ev.kind)
        lapse = w.after(
            letter.served.toordinal() if letter.served else None, w.policy.correction_period
        )
        what, rule, name = "补正期限", "条例第三十条", "补正告知"
    else:
        letter = w.fee
        if letter is None or w.fee_paid is not None:
            raise AbandonmentError("没有待缴费的收费通知", field="reason", step=ev.kind)
        lapse = w.fee_period_end()
        what, rule, name = "缴费期限", periods.FEE_BASIS, "收费通知"
    if lapse is None:
        raise AbandonmentError(
            f"{name}的送达日期尚未记录，{what}尚未起算",
            field="served",
            step=letter.kind,
        )
    if ev.on.toordinal() <= lapse:
        if not ev.trusted:
            raise AbandonmentError(
                f"{what}至 {_iso(lapse)} 届满后才能视为放弃申请（{rule}）",
                field="on",
                step=ev.kind,
            )
        w.recheck(FlagKind.ABANDONED_BEFORE_LAPSE, ev, lapse)
    w.closing_step = ev


RARE: dict[EventKind, Callable[[Walk, Event], None]] = {
    K.RECEIVED: _second_receipt,
    K.CORRECTION_REQUESTED: _correction_requested,
    K.CORRECTION_RECEIVED: _correction_received,
    K.LATE_PAYMENT_ACCEPTED: _late_payment_accepted,
    K.PAUSE: _pause,
    K.DEFERRED: _deferred,
    K.ABANDONED: _abandoned,
}
