"""The fee notice's facts (Reg. Art. 42; Fees arts. 3–5 and the payment provision, rulebook §7).

The notice cites Reg. Art. 42 ¶1 (why a fee may be charged), Fees art. 3 (one scale per
application) and the one scale actually used: art. 4 per item, art. 5 per volume.
"""

from __future__ import annotations

from typing import Any

from disclosure.models import EventRecord
from disclosure.outcomes import FEES, P, cite
from rules import fees, periods

FEE_PER_ITEM, FEE_PER_VOLUME = P(4, law=FEES), P(5, law=FEES)


def fee_facts(
    ev: EventRecord, data: dict[str, Any], due_cn: str, payment_method: str
) -> dict[str, Any]:
    """The notice's facts; `data`: how the fee was reached (the step's basis, else the one the
    letter was issued with, `disclosure.letters.recorded.recorded_basis`)."""
    basis = data.get("fee_basis", "")
    scale: tuple[Any, ...] = ()
    if basis == "volume":
        label, rate = "按量计收", volume_rate_text()
        breakdown = volume_breakdown(int(data["pages"]))
        scale = (FEE_PER_VOLUME,)
    elif basis == "item":
        label, rate = "按件计收", item_rate_text()
        nth = data.get("nth")
        breakdown = (
            f"本月第{nth}件申请，每件{fees.fee_per_item(int(nth))}元"
            if nth
            else f"合计{ev.amount_yuan}元"
        )
        scale = (FEE_PER_ITEM,)
    else:  # only a letter numbered before the basis was required (a new one refuses first)
        label = rate = "未记录"
        breakdown = f"合计{ev.amount_yuan}元"
    return {
        "fee_citation": cite((P(42, 1), P(3, law=FEES), *scale)),
        "fee_basis_label": label,
        "fee_rate": rate,
        "fee_breakdown": breakdown,
        "fee_amount": ev.amount_yuan,
        "fee_due_cn": due_cn,
        "fee_period": periods.FEE_PAYMENT_PERIOD,
        "payment_method": payment_method,
    }


def volume_rate_text() -> str:
    """Fees art. 5 as a sentence, from `rules.fees.PAGE_BANDS`."""
    bands = fees.PAGE_BANDS
    parts = [f"{bands[0][0] - 1}页（含）以下不收费"]
    for i, (first, rate) in enumerate(bands):
        if i + 1 < len(bands):
            parts.append(f"{first}至{bands[i + 1][0] - 1}页的部分每页{rate}元")
        else:
            parts.append(f"{first}页以上的部分每页{rate}元")
    return "；".join(parts)


def item_rate_text() -> str:
    """Fees art. 4 as a sentence, from `rules.fees`."""
    return (
        f"同一申请人一个自然月内累计申请{fees.ITEM_FREE_UP_TO}件以下（含）不收费；"
        f"{fees.ITEM_FREE_UP_TO + 1}至{fees.ITEM_FIRST_BAND_END}件每件{fees.ITEM_FIRST_RATE}元；"
        f"{fees.ITEM_FIRST_BAND_END + 1}件以上每增加{fees.ITEM_BAND_SIZE}件，"
        f"每件收费标准提高{fees.ITEM_BAND_STEP}元"
    )


def volume_breakdown(pages: int) -> str:
    """Example: 250 → 共250页：31至100页70页×10元＋101至200页100页×20元＋201至250页50页×40元."""
    bands = fees.PAGE_BANDS
    parts = []
    for i, (first, rate) in enumerate(bands):
        last = bands[i + 1][0] - 1 if i + 1 < len(bands) else pages
        if pages >= first:
            end = min(pages, last)
            parts.append(f"{first}至{end}页{end - first + 1}页×{rate}元")
    return f"共{pages}页：" + "＋".join(parts)


__all__ = ["fee_facts", "item_rate_text", "volume_breakdown", "volume_rate_text"]
