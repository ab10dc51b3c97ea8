"""A letter that announces a step already recorded: what its options may still say.

The letter of a recorded step (a consultation sent, an extension, a fee notice, a reply …)
states that step: it is dated the step's day and carries the step's facts (rulebook §9.2), and
the ledger is never rewritten (§10.2). So an option that contradicts the recorded step is
refused, naming the option and what the record says, before anything is written: on the
first issue (the clerk drops the option, or gives the recorded value) and on a reprint, which
is the stored letter byte for byte (a correction is a new letter, `disclosure letter
correct`). Options that only repeat the record pass.

The fee notice must state its basis and rate (rulebook §7.6). A fee recorded with only its
amount (`disclosure fee-notice --amount`) gets them from the letter's --pages or --nth,
checked against the recorded amount and kept with the letter (`fee_basis`).
"""

from __future__ import annotations

from typing import Any

from disclosure.errors import Conflict, InvalidInput
from disclosure.letters.kinds import KindInfo, LetterKind
from disclosure.letters.models import Letter
from disclosure.letters.options import LetterOptions
from disclosure.models import EventRecord
from disclosure.services.steps.closing_steps import REPLY_ABANDONS
from disclosure.vocabulary import EventKind
from rules import fees
from rules.errors import FeeInputError

BASIS_KEYS = ("fee_basis", "pages", "nth")  # how a fee was reached (Fees arts. 4–5)
FEE_OPTIONS = "页数（--pages，按量计收）或本月第几件申请（--nth，按件计收）"
REASON_WORDS = {"correction": "逾期不补正", "fee": "逾期未缴费"}  # --reason, as options.py says


def step_label(event: EventRecord) -> str:
    try:
        return EventKind(event.kind).label
    except ValueError:
        return event.kind


def check_date(options: LetterOptions, event: EventRecord) -> None:
    """The letter of a recorded step is dated that step's day (its period runs from it)."""
    if options.on is not None and options.on != event.on:
        raise Conflict(
            f"该文书告知已记录的“{step_label(event)}”，文书日期即该步骤的日期 {event.on}，"
            f"不能定为 {options.on}（已记录的步骤不能改写）",
            field="--date",
        )


def recorded_basis(event: EventRecord, letter_data: dict[str, Any] | None) -> dict[str, Any]:
    """The fee's basis: the step's own, else the one its letter was issued with."""
    data = event.data or {}
    source = data if data.get("fee_basis") else (letter_data or {})
    return {k: source[k] for k in BASIS_KEYS if k in source}


def contradictions(
    info: KindInfo, o: LetterOptions, event: EventRecord, letter_data: dict[str, Any] | None
) -> list[tuple[str, str]]:
    """(option, what the record says) for each option given that the recorded step denies."""
    data = event.data or {}
    out: list[tuple[str, str]] = []

    def differs(option: str, given: object, recorded: object, words: str) -> None:
        if given is not None and given != recorded:
            out.append((f"{option} {given}", words))

    if info.kind is LetterKind.EXTENSION:
        differs("--days", o.days, event.days, f"延长 {event.days} 个工作日")
        differs("--approver", o.approver, event.approver or "", f"批准人 {event.approver or '—'}")
    if info.kind is LetterKind.FEE:
        differs("--amount", o.amount, event.amount_yuan, f"收费金额 {event.amount_yuan} 元")
        basis = recorded_basis(event, letter_data)
        if basis.get("fee_basis"):  # a fee without a basis takes it from the letter
            differs("--pages", o.pages, basis.get("pages"), _basis_words(basis))
            differs("--nth", o.nth, basis.get("nth"), _basis_words(basis))
    if info.kind is LetterKind.DEFERRED:
        differs("--due", o.due, event.due_on, f"答复期限 {event.due_on}")
    if info.kind is LetterKind.ABANDONED and o.reason is not None:
        reason = REPLY_ABANDONS.get(event.outcome or "")
        recorded = reason.value if reason else None
        differs("--reason", o.reason, recorded, f"原因 {REASON_WORDS.get(recorded or '', '—')}")
    if o.repeats and info.kind is LetterKind.REPLY:
        differs(
            "--repeats",
            o.repeats,
            data.get("repeats", ""),
            f"重复的申请 {data.get('repeats') or '—'}",
        )
    return out


def check_served(o: LetterOptions, event: EventRecord, number: str) -> None:
    """--served records the service of a letter that records its step; once the step is
    recorded, the letter's service is `disclosure serve-letter`'s (rulebook §11.1)."""
    served = (event.data or {}).get("served_on")
    if o.served is not None and o.served.isoformat() != served:
        raise Conflict(
            f"“{step_label(event)}”已于 {event.on} 记录"
            + (f"（送达日期 {served}）" if served else "")
            + f"，文书不再记录送达；文书的送达请用 disclosure serve-letter {number} 记录",
            field="--served",
        )


def _basis_words(basis: dict[str, Any]) -> str:
    if basis.get("fee_basis") == "volume":
        return f"按量计收 {basis.get('pages')} 页"
    nth = basis.get("nth")
    return f"按件计收，本月第 {nth} 件" if nth else "按件计收"


def check_first_issue(info: KindInfo, o: LetterOptions, event: EventRecord, number: str) -> None:
    """The first letter of a step recorded before: dated its day, the options not denying it."""
    check_date(o, event)
    check_served(o, event, number)
    check_step_facts(info, o, event)


def check_step_facts(info: KindInfo, o: LetterOptions, event: EventRecord) -> None:
    """A new letter of a recorded step (a first issue, a correction) states the step as
    recorded: an option that denies it refuses."""
    found = contradictions(info, o, event, None)
    if found:
        option, words = found[0]
        raise Conflict(
            f"已记录的“{step_label(event)}”（{event.on}）为{words}，与 {option} 不符；"
            "文书按已记录的步骤出具，已记录的步骤不能改写",
            field=option.split()[0],
        )


def check_reprint_steps(
    info: KindInfo, o: LetterOptions, letter: Letter, event: EventRecord | None, number: str
) -> None:
    """A reprint is the stored letter: an option that would change what it says refuses."""
    if event is None:
        return
    check_served(o, event, number)
    found = contradictions(info, o, event, letter.data)
    if found:
        option, words = found[0]
        raise Conflict(
            f"文书 {letter.reference} 已于 {letter.issued_on} 出具，重新打印只能原样打印存档文书，"
            f"不能采用 {option}（该文书所载：{words}）；如需更改文书，请出具更正文书："
            f"disclosure letter correct {number} --reference {letter.reference} "
            "--correction-reason 理由",
            field=option.split()[0],
        )


def fee_basis(o: LetterOptions, event: EventRecord) -> dict[str, Any]:
    """What a fee notice for a fee recorded with only its amount states as its basis, from
    --pages or --nth (the amount they give must be the recorded one); {} when the step has
    its basis. Refuses, naming the options, when neither is given (rulebook §7.6)."""
    if recorded_basis(event, None).get("fee_basis"):
        return {}
    amount = event.amount_yuan
    try:
        if o.pages is not None:
            computed, basis = (
                fees.fee_per_volume(o.pages),
                {"fee_basis": "volume", "pages": o.pages},
            )
        elif o.nth is not None:
            computed, basis = fees.fee_per_item(o.nth), {"fee_basis": "item", "nth": o.nth}
        else:
            raise InvalidInput(
                f"已记录的收费通知（{event.on}，{amount} 元）没有记录计收方式，收费通知书须写明"
                f"收费依据和收费标准：请给出{FEE_OPTIONS}，按其计算的金额须为 {amount} 元",
                field="--pages",
            )
    except FeeInputError as exc:
        raise InvalidInput(exc.message, field="--pages" if o.pages else "--nth") from exc
    if computed != amount:
        option = f"--pages {o.pages}" if o.pages is not None else f"--nth {o.nth}"
        raise Conflict(
            f"按 {option} 计算的收费金额为 {computed} 元，与已记录的收费通知（{event.on}）"
            f"{amount} 元不符",
            field=option.split()[0],
        )
    return basis


def amount_only(o: LetterOptions) -> None:
    """A fee notice the letter records itself: an amount alone names no basis (§7.6)."""
    if o.amount is not None and o.pages is None and o.nth is None:
        raise InvalidInput(
            f"收费通知书须写明收费依据和收费标准：除金额外，请给出{FEE_OPTIONS}",
            field="--amount",
        )


__all__ = [
    "amount_only",
    "check_date",
    "check_first_issue",
    "check_reprint_steps",
    "check_served",
    "check_step_facts",
    "contradictions",
    "fee_basis",
    "recorded_basis",
]
