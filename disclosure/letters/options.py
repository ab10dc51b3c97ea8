"""What the clerk adds to a letter, and the step the letter announces.

`LetterOptions` carries the clerk's entries for every kind; `check_options` refuses bad
values before anything is written; `letter_step` turns them into the step of the catalogue
(`disclosure.services.steps`) the letter announces; `variant`, `find_event` and `needs` tell
which recorded step a letter belongs to. Kept apart from `disclosure.letters.service`, which
numbers and stores the letter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from disclosure.errors import Conflict, InvalidInput
from disclosure.letters.kinds import KindInfo, LetterKind
from disclosure.letters.replies import check_variant
from disclosure.models import Application, EventRecord
from disclosure.outcomes import VARIANTS
from disclosure.people.applicants import ITEM_FEE_COUNTED
from disclosure.people.approval_chain import approved_reply
from disclosure.services import steps
from disclosure.vocabulary import CLOSING_KINDS, EventKind, PartyKind
from rules import fees
from rules.errors import FeeInputError

CLOSING = tuple(k.value for k in CLOSING_KINDS)


@dataclass(frozen=True)
class LetterOptions:
    """What the clerk adds; which fields matter depends on the kind (see `disclosure letter`)."""

    on: date | None = None  # the letter's date (default today); a recorded step's: its date
    served: date | None = None  # handed over in person: the day it reached its addressee
    days: int | None = None  # extension
    approver: str | None = None  # extension
    amount: int | None = None  # fee, CNY
    pages: int | None = None  # fee by volume (按量)
    nth: int | None = None  # fee by item (按件): the applicant's nth application this month
    party: str | None = None  # consultation: the third party or agency
    due: date | None = None  # deferred: Art. 35 deadline; art35: date to explain reasons by
    reason: str | None = None  # abandoned: correction | fee
    outcome: str | None = None  # reply: record this outcome when none is recorded
    repeats: str = ""  # reply 5.2: the earlier application's number
    items: tuple[str, ...] = ()  # correction: what to correct
    note: str = ""
    responsible_agency: str = ""  # reply 4.1: the agency responsible (Reg. Art. 36(5))
    contact: str = ""  # its contact
    attachments: tuple[str, ...] = ()
    delivery: str = ""
    # reply: the variant where one outcome has two cases (`disclosure.outcomes.VARIANTS`)
    variant_code: str = ""
    withheld: str = ""  # reply 2: the part withheld (its ground is the variant)
    reasons: str = ""  # reply 2, 3.x, 4.1, 5.4, 5.5, 6.3: the concrete reasons (4.1: the search)
    where: str = ""  # reply 1 already_public: where and how to obtain it (Reg. Art. 36(1))
    for_letter: str = ""  # service_receipt: the 文号 of the letter it proves service of


STORED = (
    "items",
    "note",
    "responsible_agency",
    "contact",
    "attachments",
    "delivery",
    "due",
    "variant_code",
    "withheld",
    "reasons",
    "where",
)


def check_options(info: KindInfo, o: LetterOptions) -> None:
    if o.days is not None and not 1 <= o.days <= 20:
        raise InvalidInput("延长期限为 1 至 20 个工作日", field="--days")
    for name in ("amount", "pages", "nth"):
        value = getattr(o, name)
        if value is not None and value < 1:
            raise InvalidInput("必须为正整数", field=f"--{name}")
    if o.pages is not None and o.nth is not None:
        raise InvalidInput(
            "按件、按量只能选择一种计收方式（收费办法第三条），--pages 与 --nth 只能给出一个",
            field="--pages",
        )
    if o.reason is not None and o.reason not in ("correction", "fee"):
        raise InvalidInput(
            "原因须为 correction（逾期不补正）或 fee（逾期未缴费）", field="--reason"
        )


# The party a consultation letter goes to (Reg. Art. 32 third party, Art. 34 agency).
PARTY_KINDS: dict[LetterKind, PartyKind] = {
    LetterKind.CONSULTATION: PartyKind.THIRD_PARTY,
    LetterKind.CONSULTATION_AGENCY: PartyKind.AGENCY,
}


def consultations(kind: PartyKind, records: list[EventRecord]) -> list[EventRecord]:
    return [
        r
        for r in records
        if r.kind == EventKind.CONSULTATION_SENT.value
        and (r.data or {}).get("party_kind", PartyKind.THIRD_PARTY.value) == kind.value
    ]


def variant_of(info: KindInfo, o: LetterOptions, records: list[EventRecord]) -> str:
    """Consultation and disclosure letters are one per party, a 协办函 one per department, a
    送达回证 one per letter served; every other kind is one per application."""
    if info.kind is LetterKind.COOPERATION:
        if not (o.party and o.party.strip()):
            raise InvalidInput("须指定协办部门（部门代码或名称）", field="--party")
        return o.party.strip()
    if info.kind is LetterKind.SERVICE_RECEIPT:
        if not o.for_letter.strip():
            raise InvalidInput("须指定所送达文书的文号", field="--for-letter")
        return o.for_letter.strip()
    if info.kind is LetterKind.DISCLOSE_NOTICE:
        asked = [r.party or "" for r in consultations(PartyKind.THIRD_PARTY, records)]
        if not asked:
            raise Conflict(
                "尚未向第三方征求意见：决定公开告知书只发给被征求意见的第三方（条例第三十二条）",
                field="--kind",
            )
        named = (o.party or "").strip() or (asked[0] if len(set(asked)) == 1 else "")
        if not named:
            raise InvalidInput("须指定第三方", field="--party")
        if named not in asked:
            raise Conflict(f"尚未向 {named} 征求意见（条例第三十二条）", field="--party")
        return named
    party = PARTY_KINDS.get(info.kind)
    if party is None:
        return ""
    if o.party and o.party.strip():
        return o.party.strip()
    sent = consultations(party, records)
    if len(sent) == 1 and sent[0].party:
        return sent[0].party
    raise InvalidInput("须指定被征求意见的对象", field="--party")


def find_event(info: KindInfo, records: list[EventRecord], variant: str) -> EventRecord | None:
    """The recorded step this letter announces, if any (the latest of its kind)."""
    party = PARTY_KINDS.get(info.kind)
    if party is not None:
        found = [r for r in consultations(party, records) if (r.party or "") == variant]
    elif info.kind is LetterKind.REPLY:
        found = [r for r in records if r.kind in CLOSING]
    elif info.event is not None:
        found = [r for r in records if r.kind == info.event.value]
    else:
        found = []
    return found[-1] if found else None


def needs(info: KindInfo, records: list[EventRecord]) -> None:
    """Letters that only report recorded steps refuse when the step is missing."""
    if info.kind is LetterKind.CONSULTATION_NOTICE and not any(
        r.kind == EventKind.CONSULTATION_SENT.value for r in records
    ):
        raise Conflict("尚未记录征求意见，请先出具征求意见书", field="--kind")


def fee_of(o: LetterOptions) -> tuple[int | None, dict[str, Any]]:
    """The amount and how it was reached (Fees arts. 4–5)."""
    try:
        if o.pages is not None:
            amount, data = fees.fee_per_volume(o.pages), {"fee_basis": "volume", "pages": o.pages}
        elif o.nth is not None:
            amount, data = fees.fee_per_item(o.nth), {"fee_basis": "item", "nth": o.nth}
        elif o.amount is not None:
            return o.amount, {}
        else:  # 按件: n counted from the applicant's month when recorded (FeeNotice.record)
            return None, dict(ITEM_FEE_COUNTED)
    except FeeInputError as exc:
        raise InvalidInput(exc.message, field="--pages") from exc
    if amount == 0:
        raise InvalidInput("按该标准无需收费，不出具收费通知", field="--pages")
    if o.amount is not None and o.amount != amount:
        raise InvalidInput(
            f"金额 {o.amount} 元与按标准计算的 {amount} 元不符",
            field="--amount",
        )
    return amount, data


def _correction(o: LetterOptions, _variant: str, on: date) -> steps.Step:
    return steps.CorrectionRequested(on=on, served=o.served, note="；".join(o.items))


def _extension(o: LetterOptions, _variant: str, on: date) -> steps.Step:
    if o.days is None:
        raise InvalidInput("须指定延长的工作日数", field="--days")
    return steps.Extension(on=on, days=o.days, approver=o.approver or "", note=o.note)


def _consultation(kind: PartyKind) -> StepBuilder:
    def build(o: LetterOptions, variant: str, on: date) -> steps.Step:
        return steps.ConsultationSent(on=on, party=variant, party_kind=kind, served=o.served)

    return build


def _fee(o: LetterOptions, _variant: str, on: date) -> steps.Step:
    amount, data = fee_of(o)
    return steps.FeeNotice(on=on, amount=amount, basis=data, served=o.served)


def _deferral(o: LetterOptions, _variant: str, on: date) -> steps.Step:
    if o.due is None:
        raise InvalidInput("须指定确定的答复期限", field="--due")
    return steps.Deferral(on=on, due=o.due, note=o.note)


def as_signed_off(o: LetterOptions, app: Application, records: list[EventRecord]) -> LetterOptions:
    """A reply letter says what was signed off: with no outcome or reasons given, those of
    the approved draft (拟办意见), unless a reply with another outcome is on record."""
    state = approved_reply(records)
    if state is None or app.outcome not in (None, state.code):
        return o
    return replace(o, outcome=o.outcome or state.code, reasons=o.reasons or state.reasons_line)


def check_reply_variant(o: LetterOptions, app: Application, records: list[EventRecord]) -> None:
    """A new reply letter names its variant where its outcome has several, unless the ledger
    decides it (`disclosure.letters.replies.check_variant`): checked after the sign-off's
    refusal and before a 文号 is drawn (a reply step recorded for the letter goes back with the
    refusal's transaction). An unknown outcome is left to the reply step to refuse."""
    code = o.outcome or app.outcome or ""
    if code in VARIANTS:
        withdrawn = any(r.kind == EventKind.WITHDRAWN.value for r in records)
        check_variant(code, o.variant_code, withdrawn=withdrawn)


def _reply(o: LetterOptions, _variant: str, on: date) -> steps.Step:
    if not o.outcome:
        raise InvalidInput(
            "尚未记录答复结果：请先记录答复，或指定答复结果（或先拟办并经审批同意）",
            field="--outcome",
        )
    return steps.Reply(on=on, code=o.outcome, repeats=o.repeats, note=o.note)


def _abandonment(o: LetterOptions, _variant: str, on: date) -> steps.Step:
    if not o.reason:
        raise InvalidInput("尚未记录视为放弃申请：请提供 --reason correction|fee", field="--reason")
    return steps.Abandonment(on=on, reason=steps.parse_reason(o.reason), note=o.note)


StepBuilder = Callable[[LetterOptions, str, date], steps.Step]

# The step each kind with a ledger event announces, built from the clerk's options; the
# kinds that only report recorded steps (receipt, consultation notice, Art. 35) have none.
STEP_BUILDERS: dict[LetterKind, StepBuilder] = {
    LetterKind.CORRECTION: _correction,
    LetterKind.EXTENSION: _extension,
    LetterKind.CONSULTATION: _consultation(PartyKind.THIRD_PARTY),
    LetterKind.CONSULTATION_AGENCY: _consultation(PartyKind.AGENCY),
    LetterKind.FEE: _fee,
    LetterKind.DEFERRED: _deferral,
    LetterKind.REPLY: _reply,
    LetterKind.ABANDONED: _abandonment,
}


def letter_step(info: KindInfo, o: LetterOptions, variant: str, on: date) -> steps.Step:
    """The step a letter of kind `info` announces, from the clerk's options."""
    return STEP_BUILDERS[info.kind](o, variant, on)


def clerk_texts(o: LetterOptions) -> dict[str, Any]:
    """The clerk's texts kept with the letter, so a regeneration without them keeps them."""
    out: dict[str, Any] = {}
    for f in fields(o):
        if f.name not in STORED:
            continue
        value = getattr(o, f.name)
        if isinstance(value, tuple):
            value = [v for v in value if v.strip()]
        if isinstance(value, date):
            value = value.isoformat()
        if value:
            out[f.name] = value
    return out
