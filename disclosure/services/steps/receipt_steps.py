"""The correction of a wrongly registered arrival: its channel, arrival date or legal receipt
date (rulebook §3.3).

The registration and its receipt event stay as written. The correction is a new event that
holds every old and new value; from then on the engine counts from the corrected receipt date
(`services.deadlines.rule_events`), as if it had been registered so. A correction that would
make a recorded step unlawful is refused, naming the step. Letters already issued keep their
text; whoever corrects is told which ones, to correct them by a correction letter (§9).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlmodel import Session

from disclosure.errors import Conflict, InvalidInput
from disclosure.models import Application
from disclosure.services.context import Context
from disclosure.services.steps.base import CaseState, Line, Planned, Step, not_future
from disclosure.services.steps.base import with_receipt as moved
from disclosure.services.views import receipt_day_hint
from disclosure.vocabulary import Channel as LedgerChannel
from disclosure.vocabulary import EventKind, Stage
from rules.engine import Deadlines, compute
from rules.errors import ReceiptDateError, RulesError
from rules.events import Channel, Event
from rules.events import EventKind as RuleKind
from rules.explain import explain_flag
from rules.receipt import SAME_DAY_CHANNELS, check_receipt

CLOSED = frozenset({Stage.REPLIED.value, Stage.ARCHIVED.value})
# The arrival's fields a receipt correction may change, in the order they are checked.
RECEIPT_FIELDS = ("channel", "arrived", "received")


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _channel(value: str) -> str:
    try:
        return LedgerChannel(value).value
    except ValueError:
        known = "、".join(f"{c.value}（{c.label}）" for c in LedgerChannel)
        raise InvalidInput(f"提交方式应为：{known}", field="channel") from None


@dataclass(frozen=True, kw_only=True)
class ReceiptCorrection(Step):
    """An audited correction of how and when the application arrived (rulebook §3.3). The
    reason is the step's note and is required; at least one value must differ."""

    kind = EventKind.RECEIPT_CORRECTED
    needs_receipt = False
    note_field = "reason"
    channel: str | None = None
    arrived: date | None = None
    received: date | None = None
    # Resolved on the row (`for_application`): (field, old, new) of what changes; the receipt
    # date the engine counts from afterwards when it moves; a first receipt (an unconfirmed
    # arrival corrected to one handed in at the counter).
    changes: tuple[tuple[str, str, str], ...] = ()
    counted_from: date | None = None
    first_receipt: date | None = None

    def for_application(self, app: Application) -> ReceiptCorrection:
        if app.closed_on is not None or app.stage in CLOSED:
            raise Conflict(
                f"申请已办结（{app.closed_on or app.stage}），收到日期不能再更正", field="number"
            )
        if not self.note.strip():
            raise InvalidInput("须说明更正的理由", field="reason")
        if self.received is not None and app.received_on is None:
            raise Conflict(
                "尚未确认收到申请：法定收到日期在确认收到时登记，请先确认收到", field="received"
            )
        channel = _channel(self.channel) if self.channel is not None else app.channel
        arrived, received = self.arrived or app.arrived_on, self.received or app.received_on
        same_day = Channel(channel) in SAME_DAY_CHANNELS
        if same_day and received is not None and (self.arrived is None) != (self.received is None):
            # In person or an ordinary letter: arrival and receipt are one day (Art. 31), so
            # correcting one corrects both.
            arrived = received = self.received or self.arrived
        first = None
        if received is None and Channel(channel) is Channel.IN_PERSON:
            first = received = arrived  # handed in: received that day (Art. 31(1))
        old = {"channel": app.channel, "arrived": _iso(app.arrived_on)}
        old["received"] = _iso(app.received_on)
        new = {"channel": channel, "arrived": _iso(arrived), "received": _iso(received)}
        changes = tuple((f, old[f], new[f]) for f in RECEIPT_FIELDS if old[f] != new[f])
        if not changes:
            given = [f for f in RECEIPT_FIELDS if getattr(self, f) is not None] or ["received"]
            raise InvalidInput("没有需要更正的内容（新值与登记的相同）", field=given[0])
        if received is not None:
            try:
                check_receipt(Channel(channel), received, arrived)
            except ReceiptDateError as exc:
                field = "arrived" if self.received is None and self.arrived else "received"
                raise InvalidInput(exc.message, field=field) from exc
        return replace(
            self, channel=channel, arrived=arrived, received=received, changes=changes,
            counted_from=received if first is None and received != app.received_on else None,
            first_receipt=first,
        )  # fmt: skip

    def check(self, case: CaseState, ctx: Context) -> None:
        not_future(self.arrived, ctx.today, "arrived")
        not_future(self.received, ctx.today, "received")
        if self.counted_from is not None:
            self._steps_still_lawful(case, ctx)

    def _steps_still_lawful(self, case: CaseState, ctx: Context) -> None:
        """Every recorded step checked as if first recorded against the corrected receipt
        (an extension after the corrected reply date is refused, not kept and flagged as a
        calendar change would be). A problem the log already had under the stored receipt
        (a later calendar moved a date) is not this correction's, and does not refuse it."""
        policy = ctx.office.policy(case.case_type)

        def strict(events: tuple[Event, ...]) -> RulesError | None:
            try:
                compute([e._replace(trusted=False) for e in events], ctx.office.calendar, policy)
            except RulesError as exc:
                return exc
            return None

        found = strict(moved(case.events, self.counted_from))
        if found is None or strict(case.events) is not None:
            return
        step = EventKind(found.step.value).label if found.step else "已记录的步骤"
        raise InvalidInput(
            f"按更正后的收到日期 {self.counted_from}，已记录的“{step}”不能成立：{found.message}；"
            "未作更正",
            field="received",
        )

    def moved_receipt(self) -> date | None:
        return self.counted_from

    def field_for(self, engine_field: str) -> str:
        return "received"  # a date beyond the calendar, …

    def columns(self) -> dict[str, Any]:
        changes = {f: {"old": old, "new": new} for f, old, new in self.changes}
        return {"data": {"changes": changes}}

    def lines(self) -> tuple[Line, ...]:
        own = super().lines()
        if self.first_receipt is None:
            return own
        receipt = Event(RuleKind.RECEIVED, self.first_receipt)
        return (*own, Line(EventKind.RECEIVED, self.first_receipt, "", {}, receipt))

    def apply(self, session: Session, app: Application) -> None:
        assert self.channel is not None  # resolved by `for_application`
        app.channel = self.channel
        app.arrived_on = self.arrived

    def told(self, case: CaseState, planned: Planned, ctx: Context) -> tuple[str, ...]:
        out = [explain_flag(f) for f in _new_flags(case.deadlines(ctx), planned.deadlines)]
        changed = {f for f, _, _ in self.changes}
        if changed & {"channel", "received"} and self.channel is not None:
            hint = receipt_day_hint(self.channel, self.received, ctx.office)  # a closed day
            out += [hint] if hint else []
        if case.issued:
            out.append(
                f"已出具的文书保持原样：{'；'.join(case.issued)}。其中载明的提交方式、收到日期或"
                "期限如有变化，请出具更正文书"
            )
        return tuple(out)


def _new_flags(before: Deadlines | None, after: Deadlines | None) -> list[Any]:
    """The flags `after` has that `before` had not (by kind, step and date): what the
    correction made irregular (a correction notice now late, …), told at once (§11)."""
    if after is None:
        return []
    had = {(f.kind, f.step, f.on) for f in before.flags} if before is not None else set()
    return [f for f in after.flags if (f.kind, f.step, f.on) not in had]
