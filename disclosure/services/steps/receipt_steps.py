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
from disclosure.services.numbering import number_year_fits
from disclosure.services.steps.base import CaseState, Line, Planned, Step, not_future
from disclosure.services.steps.base import with_receipt as moved
from disclosure.services.views import receipt_day_hint
from disclosure.vocabulary import Channel as LedgerChannel
from disclosure.vocabulary import EventKind, Stage
from rules.engine import Deadlines, Flag, compute
from rules.errors import EventBeforeReceiptError, ReceiptDateError, RulesError
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
        raise InvalidInput(f"提交方式应为：{LedgerChannel.choices()}", field="channel") from None


@dataclass(frozen=True, kw_only=True)
class ReceiptCorrection(Step):
    """An audited correction of how and when the application arrived (rulebook §3.3). The
    reason is the step's note and is required; at least one value must differ."""

    kind = EventKind.RECEIPT_CORRECTED
    needs_receipt = False
    date_field = "today"
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
    asked: tuple[str, ...] = ()  # the fields the person changed, in `RECEIPT_FIELDS` order

    def for_application(self, app: Application) -> ReceiptCorrection:
        if app.closed_on is not None or app.stage in CLOSED:
            raise Conflict(
                f"申请已办结（{app.closed_on or app.stage}），收到日期不能再更正", field="number"
            )
        if not self.note.strip():
            raise InvalidInput("须说明更正的理由", field="reason")
        # What the person asks to change: a value given as it stands is not a change (the
        # web form sends every field, filled with the registered values).
        stored: dict[str, str | date | None] = {"channel": app.channel}
        stored |= {"arrived": app.arrived_on, "received": app.received_on}
        given: dict[str, str | date | None] = {"arrived": self.arrived, "received": self.received}
        given["channel"] = _channel(self.channel) if self.channel is not None else None
        asked = [f for f in RECEIPT_FIELDS if given[f] is not None and given[f] != stored[f]]
        if not asked:
            named = [f for f in RECEIPT_FIELDS if given[f] is not None] or ["received"]
            raise InvalidInput("没有需要更正的内容（新值与登记的相同）", field=named[0])
        if "received" in asked and app.received_on is None:
            raise Conflict(
                "尚未确认收到申请：法定收到日期在确认收到时登记，请先确认收到", field="received"
            )
        new = {f: given[f] if f in asked else stored[f] for f in RECEIPT_FIELDS}
        channel, arrived, received = str(new["channel"]), new["arrived"], new["received"]
        assert arrived is None or isinstance(arrived, date)
        assert received is None or isinstance(received, date)
        dates = [f for f in asked if f != "channel"]
        if Channel(channel) in SAME_DAY_CHANNELS and received is not None and len(dates) == 1:
            # In person or an ordinary letter: arrival and receipt are one day (Art. 31), so
            # correcting one corrects both.
            arrived = received = self.received if dates == ["received"] else self.arrived
        first = None
        if received is None and Channel(channel) is Channel.IN_PERSON:
            first = received = arrived  # handed in: received that day (Art. 31(1))
        field = (dates or asked)[-1]  # what a refusal names: the value the person changed
        if received is not None:
            try:
                check_receipt(Channel(channel), received, arrived)
            except ReceiptDateError as exc:
                raise InvalidInput(exc.message, field=field) from exc
        basis = received or arrived
        if basis is not None and not number_year_fits(app.year, basis):
            raise InvalidInput(
                f"登记编号 {app.number} 按 {app.year} 年编排，更正后的日期 {basis} 与之不符"
                "（编号只能晚于收到日期的年份一年，或在一月收到时早一年），请核对",
                field=field,
            )
        old = {"channel": app.channel, "arrived": _iso(app.arrived_on)}
        old["received"] = _iso(app.received_on)
        now = {"channel": channel, "arrived": _iso(arrived), "received": _iso(received)}
        changes = tuple((f, old[f], now[f]) for f in RECEIPT_FIELDS if old[f] != now[f])
        return replace(
            self, channel=channel, arrived=arrived, received=received, changes=changes,
            counted_from=received if first is None and received != app.received_on else None,
            first_receipt=first, asked=tuple(asked),
        )  # fmt: skip

    def check(self, case: CaseState, ctx: Context) -> None:
        for f in sorted(("arrived", "received"), key=lambda f: f not in self.asked):
            not_future(getattr(self, f), ctx.today, f)  # the date the person gave first
        if self.counted_from is not None:
            self._steps_still_lawful(case, ctx)

    def _steps_still_lawful(self, case: CaseState, ctx: Context) -> None:
        """Every recorded step checked as if first recorded against the corrected receipt
        (an extension after the corrected reply date is refused, not kept and flagged as a
        calendar change would keep it). Where the log already fails that check under the
        stored receipt (a later calendar moved a date), a correction to a later receipt only
        loosens every limit and is allowed unless a step now comes before the receipt; one
        to an earlier receipt would make that step later still and is refused."""
        assert self.counted_from is not None
        policy = ctx.office.policy(case.case_type)

        def strict(events: tuple[Event, ...]) -> RulesError | None:
            try:
                compute([e._replace(trusted=False) for e in events], ctx.office.calendar, policy)
            except RulesError as exc:
                return exc
            return None

        found = strict(moved(case.events, self.counted_from))
        if found is None:
            return
        if strict(case.events) is not None and not isinstance(found, EventBeforeReceiptError):
            stored = next((e.on for e in case.events if e.kind is RuleKind.RECEIVED), None)
            if stored is not None and self.counted_from > stored:
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


def _new_flags(before: Deadlines | None, after: Deadlines | None) -> list[Flag]:
    """The flags `after` has that `before` had not, or had with another limit: what the
    correction made irregular or more so (a correction notice now late, …), told at once
    (§11)."""
    if after is None:
        return []
    had = set(before.flags) if before is not None else set()
    return [f for f in after.flags if f not in had]
