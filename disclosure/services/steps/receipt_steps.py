"""The correction of a wrongly registered arrival: its channel, arrival date or legal receipt
date (rulebook §3.3).

The registration and its receipt event stay as written. The correction is a new event that
holds every old and new value and names the record it corrects; from then on the engine
counts from the corrected receipt date (`services.deadlines.rule_events`), as if it had been
registered so. Letters already issued keep their text; a letter whose dates moved is
corrected by a correction letter (rulebook §9).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlmodel import Session

from disclosure.errors import Conflict, InvalidInput
from disclosure.models import Application
from disclosure.services.context import Context
from disclosure.services.steps.base import CaseState, Step, not_future
from disclosure.vocabulary import Channel as LedgerChannel
from disclosure.vocabulary import EventKind, Stage
from rules.errors import ReceiptDateError
from rules.events import Channel
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
    channel: str | None = None
    arrived: date | None = None
    received: date | None = None
    # Resolved on the row (`for_application`): (field, old, new) of what changes, and the
    # receipt date the engine counts from afterwards.
    changes: tuple[tuple[str, str, str], ...] = ()
    counted_from: date | None = None

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
        arrived = self.arrived or app.arrived_on
        received = self.received or app.received_on
        old = {"channel": app.channel, "arrived": _iso(app.arrived_on)}
        old["received"] = _iso(app.received_on)
        new = {"channel": channel, "arrived": _iso(arrived), "received": _iso(received)}
        changes = tuple((f, old[f], new[f]) for f in RECEIPT_FIELDS if old[f] != new[f])
        if not changes:
            given = [f for f in RECEIPT_FIELDS if getattr(self, f) is not None] or ["received"]
            raise InvalidInput("没有需要更正的内容（新值与登记的相同）", field=given[0])
        if received is None and Channel(channel) in SAME_DAY_CHANNELS:
            raise Conflict(
                f"{LedgerChannel(channel).label}的收到日期即送达日期：请先确认收到，再更正",
                field="channel",
            )
        if received is not None:
            try:
                check_receipt(Channel(channel), received, arrived)
            except ReceiptDateError as exc:
                raise InvalidInput(exc.message, field=exc.field) from exc
        return replace(
            self, channel=channel, arrived=arrived, received=received, changes=changes,
            counted_from=received if received != app.received_on else None,
        )  # fmt: skip

    def check(self, case: CaseState, ctx: Context) -> None:
        not_future(self.arrived, ctx.today, "arrived")
        not_future(self.received, ctx.today, "received")

    def moved_receipt(self) -> date | None:
        return self.counted_from

    def told(self, case: CaseState) -> tuple[str, ...]:
        if self.counted_from is None or not case.letters:
            return ()
        return (
            f"各项期限已按更正后的收到日期 {self.counted_from} 重新计算；已出具的 "
            f"{len(case.letters)} 类文书保持原样，其中载明的日期如有变化，请出具更正文书",
        )

    def field_for(self, engine_field: str) -> str:
        return "received"  # a step now before the receipt, a date beyond the calendar, …

    def columns(self) -> dict[str, Any]:
        changes = {f: {"old": old, "new": new} for f, old, new in self.changes}
        return {"data": {"changes": changes}}

    def apply(self, session: Session, app: Application) -> None:
        assert self.channel is not None  # resolved by `for_application`
        app.channel = self.channel
        app.arrived_on = self.arrived
