"""The legal receipt date by channel (Reg. Art. 31, rulebook §3)."""

from __future__ import annotations

from datetime import date

from rules.errors import ReceiptDateError
from rules.events import Channel

# Channels whose legal receipt date must be the day the application arrived.
SAME_DAY_CHANNELS = frozenset({Channel.IN_PERSON, Channel.POST_UNSIGNED})


def check_receipt(channel: Channel, received: date, arrived: date | None) -> None:
    """Raise `ReceiptDateError` when `received` cannot be the legal receipt date.

    In person: the day handed in; ordinary letter: the day the office confirms, which must be
    the day it arrives (Art. 31(2)); signed post: the day of signing; online and fax: the day
    both sides confirm (Art. 31(3)), never before arrival.
    """
    if arrived is None:
        return
    if channel in SAME_DAY_CHANNELS and received != arrived:
        raise ReceiptDateError(
            "当面提交或平信的收到日期必须是送达当日（条例第三十一条）",
            field="received",
        )
    if received < arrived:
        raise ReceiptDateError(
            "收到（确认）日期不能早于送达日期（条例第三十一条）", field="received"
        )
