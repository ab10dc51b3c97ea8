"""The facts a letter template sees, taken from the ledger and the deadline engine.

Every date in a letter comes from here: the legal receipt date and the event dates from the
event log, the due dates from `rules.engine` (`Deadlines` and its `Count`s). Dates are written
the official way (2026年3月2日, `rules.explain.cn_date`); a computed due date that is
provisional or a projection carries its mark (`disclosure.letters.dates`, rulebook §1.4,
§11.7), and `date_note` says what the marks of the letter mean.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from disclosure.letters import more_letters
from disclosure.letters.dates import PRINTS_REPLY_DUE, RECITES_HISTORY, DateMarks
from disclosure.letters.dates import reply_due as reply_due_text
from disclosure.letters.delivery import suggested as suggested_delivery
from disclosure.letters.fee_text import fee_facts
from disclosure.letters.kinds import KindInfo, LetterKind
from disclosure.letters.models import Letter
from disclosure.letters.party import requested_info, requester
from disclosure.letters.recorded import recorded_basis
from disclosure.letters.replies import ReplyFacts, choose_variant, decision_paragraphs
from disclosure.models import Application, EventRecord
from disclosure.outcomes import CITATIONS, OUTCOMES, P, cite
from disclosure.services.office import Office
from disclosure.services.read_model import summarise
from disclosure.vocabulary import Channel, PartyKind
from disclosure.vocabulary import EventKind as LedgerKind
from rules import periods
from rules.engine import Clock, Count, Deadlines
from rules.events import EventKind
from rules.explain import cn_date

REQUEST_SUMMARY_CHARS = 120


DEFAULT_CORRECTION_ITEM = "请明确您所需政府信息的名称、文号或者便于本机关查询的其他特征性描述。"


@dataclass(frozen=True)
class Facts:
    """What `build_context` needs; `extras` are the clerk's texts stored with the letter."""

    office: Office
    app: Application
    info: KindInfo
    letter: Letter
    records: list[EventRecord]
    deadlines: Deadlines
    event: EventRecord | None
    extras: dict[str, Any] = field(default_factory=dict)
    before: Deadlines | None = None  # an extension letter: the case just before its step
    marks: DateMarks = field(default_factory=DateMarks)  # the marks its dates carry


def cn(d: date | None) -> str:
    return cn_date(d) if d else ""


def _first(records: list[EventRecord], kind: EventKind) -> EventRecord | None:
    return next((r for r in records if r.kind == kind.value), None)


def _count(deadlines: Deadlines, clock: Clock, sent: date | None = None) -> Count | None:
    """The count of `clock` (the one started by the letter sent on `sent`, if given)."""
    for c in deadlines.counts:
        if c.clock is clock and (sent is None or sent in (c.sent, c.start)):
            return c
    return None


def due_cn(c: Count | None, f: Facts, marks: DateMarks | None = None) -> str:
    """A period's last day as the letter may print it: only when the period had started by
    the letter's own date (a period that runs from the addressee's receipt starts on the
    recorded service date, rulebook §5–§7; a letter never prints a date it could not know),
    marked when it is provisional (rulebook §1.4)."""
    if c is None or c.end is None or c.start is None or c.start > f.letter.issued_on:
        return ""
    return (marks or f.marks).mark(c, c.end, f.deadlines)


def history(facts: Facts, marks: DateMarks) -> str:
    """Correction, extension, consultation and fee steps, told once in the opening paragraph.

    The letter's own step is left out (a correction notice does not tell its own sending).
    The marks of its dates go to `marks`.
    """
    recs, d, own = facts.records, facts.deadlines, facts.info.event
    out = []
    req = _first(recs, EventKind.CORRECTION_REQUESTED)
    if req and own is not EventKind.CORRECTION_REQUESTED:
        due = due_cn(_count(d, Clock.CORRECTION_DEADLINE), facts, marks)
        out.append(
            f"本机关于{cn(req.on)}告知您补正申请内容" + (f"，补正期限至{due}" if due else "")
        )
        got = _first(recs, EventKind.CORRECTION_RECEIVED)
        if got:
            out[-1] += f"，于{cn(got.on)}收到您补正后的申请"
    ext = _first(recs, EventKind.EXTENSION_GRANTED)
    if ext and own is not EventKind.EXTENSION_GRANTED:
        out.append(
            f"经本机关政府信息公开工作机构负责人同意，本机关于{cn(ext.on)}告知您答复期限延长"
            f"{ext.days}个工作日"
        )
    sent = [r for r in recs if r.kind == EventKind.CONSULTATION_SENT.value]
    if sent and facts.info.kind in (LetterKind.REPLY, LetterKind.ABANDONED):
        out.append(f"本机关于{cn(sent[0].on)}依法征求了有关方面的意见，征求意见期间不计入答复期限")
    fee = _first(recs, EventKind.FEE_NOTICE_SENT)
    if fee and own is not EventKind.FEE_NOTICE_SENT:
        told = f"本机关于{cn(fee.on)}向您发出收费通知，应缴金额{fee.amount_yuan}元"
        paid = _first(recs, EventKind.FEE_PAID)
        if paid and paid.on <= facts.letter.issued_on:  # paid: its period is spent, not owed
            out.append(told + f"，您已于{cn(paid.on)}缴纳")
        else:
            due = due_cn(_count(d, Clock.FEE_PAYMENT), facts, marks)
            out.append(told + (f"，缴费期限至{due}" if due else ""))
    return "".join(s + "。" for s in out)


def _annotation(office: Office, delivery: str) -> str:
    """The 附注 under the date: contact office, telephone, address and how it is delivered."""
    o = office.settings.office
    bits = [f"联系人：{o.office_name}"]
    if o.phone:
        bits.append(f"电话：{o.phone}")
    if o.address:
        bits.append(f"地址：{o.address}")
    if delivery:
        bits.append(f"送达方式：{delivery}")
    return "；".join(bits)


def delivery(facts: Facts) -> str:
    """The letter's delivery: the clerk's words, else what the application points to
    (`disclosure.letters.delivery.suggested`), else the office's usual way."""
    given = (facts.extras.get("delivery") or "").strip()
    usual = facts.office.settings.letters.delivery
    return given or suggested_delivery(facts.app, facts.info.kind) or usual


def build_context(facts: Facts) -> dict[str, Any]:
    """The template context of one letter: common elements plus the kind's own facts."""
    s, app, info, d = facts.office.settings, facts.app, facts.info, facts.deadlines
    x = facts.extras
    told, due = DateMarks(), DateMarks()  # the marks of `history` and of `reply_due_cn`
    ctx: dict[str, Any] = {
        "agency_name": s.office.agency_name,
        "office_name": s.office.office_name,
        "annotation": _annotation(facts.office, delivery(facts)),
        "title": info.title,
        "kind_name": info.name,
        "reference": facts.letter.reference,
        "number": app.number,
        "applicant": app.applicant_name,
        "addressee": app.applicant_name if info.to_applicant else facts.letter.variant,
        "applicant_address": app.address,
        "request": summarise(app.content, REQUEST_SUMMARY_CHARS),
        # letters to another party: who asks (never a natural person's name) and for what
        "requester": requester(app.applicant_name, app.applicant_type),
        "requested_info": requested_info(app.content),
        "received_cn": cn(d.received),
        "history": history(facts, told),
        "date_cn": cn(facts.letter.issued_on),
        "reply_due_cn": reply_due_text(d, due),
        "attachments": list(x.get("attachments") or []),
        "delivery": delivery(facts),
        "reconsideration_organ": s.remedy.reconsideration_organ,
        "court": s.remedy.court,
        "decision_noun": "答复" if info.kind is LetterKind.REPLY else "告知",
        # kept for an office's own receipt template of before `date_note` (the shipped ones
        # no longer use it): the reply date printed is provisional
        "provisional_note": "（该日期按法定节假日暂估，以国务院公布的节假日安排为准。）"
        if due.years
        else "",
        "corrects_reference": x.get("corrects_reference") or "",
        "corrects_on_cn": cn(date.fromisoformat(x["corrects_on"])) if x.get("corrects_on") else "",
    }
    # the note explains only the marks of what the kind's shipped template prints
    if info.kind in RECITES_HISTORY:
        facts.marks.merge(told)
    if info.kind in PRINTS_REPLY_DUE:
        facts.marks.merge(due)
    ctx.update(_KIND_FACTS[info.kind](facts))
    ctx["date_note"] = facts.marks.note()  # last: every marked date of the letter is known
    return ctx


def _receipt(f: Facts) -> dict[str, Any]:
    return {"channel_label": Channel(f.app.channel).label}


def _correction(f: Facts) -> dict[str, Any]:
    c = _count(f.deadlines, Clock.CORRECTION_DEADLINE)
    items = list(f.extras.get("items") or []) or [DEFAULT_CORRECTION_ITEM]
    return {
        "correction_items": items,
        "correction_period": c.days if c else f.office.settings.rules.correction_period,
        "correction_deadline_cn": due_cn(c, f),
        # Reg. Art. 30: the period runs afresh from the corrected application, unless the
        # notice comes after the reply date itself (rulebook §11.3a): the letter says only
        # what holds
        "correction_restarts": not f.deadlines.correction_late_of_due,
    }


def _extension(f: Facts) -> dict[str, Any]:
    ev = f.event
    assert ev is not None
    return {
        "extension_days": ev.days,
        "approver": ev.approver or "",
        # The clerk's reason (the step's note, or the letter's); none is invented: without
        # one the notice says only that the reply cannot be made in time.
        "extension_reason": (f.extras.get("note") or ev.note or "").strip(),
        # the reply date as it stood before the extension, marked as it was then
        "original_due_cn": reply_due_text(f.before, f.marks) if f.before else "",
    }


def _consultation(f: Facts) -> dict[str, Any]:
    ev = f.event
    assert ev is not None
    c = next(
        (
            c
            for c in f.deadlines.counts
            if c.clock is Clock.CONSULTATION and c.sent == ev.on and c.party == (ev.party or "")
        ),
        None,
    )
    return {
        "party": ev.party or "",
        "sent_cn": cn(ev.on),
        "consultation_due_cn": due_cn(c, f),
        "consultation_period": periods.CONSULTATION_PERIOD,
    }


def _consultation_notice(f: Facts) -> dict[str, Any]:
    rows = []
    for c in f.deadlines.counts:
        if c.clock is not Clock.CONSULTATION:
            continue
        rec = next(
            (
                r
                for r in f.records
                if r.kind == EventKind.CONSULTATION_SENT.value
                and r.on == c.sent
                and (r.party or "") == c.party
            ),
            None,
        )
        agency = rec is not None and (rec.data or {}).get("party_kind") == "agency"
        rows.append(
            {
                "sent_cn": cn(c.sent),
                "due_cn": due_cn(c, f),
                "party_label": "有关行政机关" if agency else "第三方",
            }
        )
    used = sorted({34 if r["party_label"] == "有关行政机关" else 32 for r in rows})
    return {
        "consultations": rows,
        # the article of each consultation actually made (Reg. Art. 32 third party, 34 agency)
        "consultation_citation": cite(tuple(P(a) for a in used)),
        "consulted_label": "，且".join(
            {32: "涉及第三方合法权益", 34: "由本机关与其他行政机关共同制作"}[a] for a in used
        ),
    }


def _fee(f: Facts) -> dict[str, Any]:
    ev = f.event
    assert ev is not None
    due = due_cn(_count(f.deadlines, Clock.FEE_PAYMENT, ev.on), f)
    basis = recorded_basis(ev, f.extras)
    return fee_facts(ev, basis, due, f.office.settings.letters.payment_method)


def _art35(f: Facts) -> dict[str, Any]:
    due = f.extras.get("due")
    text = f"于{cn(date.fromisoformat(due))}前" if due else "在收到本告知书后及时"
    return {"reasons_due_text": text}


def _deferred(f: Facts) -> dict[str, Any]:
    ev = f.event
    assert ev is not None
    return {"deferred_due_cn": cn(ev.due_on)}


def _third_party_answered(records: list[EventRecord]) -> bool:
    third = {
        r.party or ""
        for r in records
        if r.kind == EventKind.CONSULTATION_SENT.value
        and (r.data or {}).get("party_kind", PartyKind.THIRD_PARTY.value)
        == PartyKind.THIRD_PARTY.value
    }
    return any(
        r.kind == EventKind.CONSULTATION_ANSWERED.value and (r.party or "") in third
        for r in records
    )


def _art35_on(records: list[EventRecord]) -> date | None:
    """The date of the letter asking for reasons (Reg. Art. 35), from the ledger."""
    for r in records:
        kind = (r.data or {}).get("letter_kind")
        if r.kind == LedgerKind.LETTER_ISSUED.value and kind == LetterKind.ART35.value:
            return r.on
    return None


# Decisions refusing disclosure: reconsideration first (行政复议法 第二十三条第一款第（四）项).
REVIEW_FIRST = frozenset({"2", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8"})


def _decision(f: Facts) -> dict[str, Any]:
    code = f.app.outcome or (f.event.outcome if f.event else None)
    assert code is not None
    withdrawn = _first(f.records, EventKind.WITHDRAWN)
    data = (f.event.data if f.event else None) or {}
    earlier = data.get("repeats_replied_on")
    x = f.extras
    facts = ReplyFacts(
        repeats=str(data.get("repeats", "")),
        repeats_on=cn(date.fromisoformat(earlier)) if earlier else "",
        withdrawn_on=cn(withdrawn.on) if withdrawn else "",
        responsible_agency=x.get("responsible_agency", ""),
        contact=x.get("contact", ""),
        note=x.get("note", ""),
        withheld=x.get("withheld", ""),
        reasons=x.get("reasons", ""),
        where=x.get("where", ""),
        art35_on=cn(_art35_on(f.records)),
        third_party_answered=_third_party_answered(f.records),
    )
    variant = choose_variant(code, x.get("variant_code", ""), facts)
    outcome = OUTCOMES[code]
    return {
        "outcome": code,
        "outcome_label": outcome.label,
        "outcome_group": outcome.group,
        "variant": variant,
        "basis": cite(CITATIONS[(code, variant)]),
        "decision": decision_paragraphs(code, variant, facts),
        "review_first": code in REVIEW_FIRST,
    }


_KIND_FACTS: dict[LetterKind, Callable[[Facts], dict[str, Any]]] = {
    LetterKind.RECEIPT: _receipt,
    LetterKind.CORRECTION: _correction,
    LetterKind.EXTENSION: _extension,
    LetterKind.CONSULTATION: _consultation,
    LetterKind.CONSULTATION_AGENCY: _consultation,
    LetterKind.CONSULTATION_NOTICE: _consultation_notice,
    LetterKind.FEE: _fee,
    LetterKind.ART35: _art35,
    LetterKind.DEFERRED: _deferred,
    LetterKind.ABANDONED: _decision,
    LetterKind.REPLY: _decision,
    LetterKind.DISCLOSE_NOTICE: more_letters.disclose_notice,
    LetterKind.COOPERATION: more_letters.cooperation,
    LetterKind.SERVICE_RECEIPT: more_letters.service_receipt,
}
