"""The template facts of three letters that announce no step of the reply clock.

- 决定公开告知书 (`disclose_notice`): to a third party that was consulted, when the office
  discloses despite its objection (Reg. Art. 32 last sentence, rulebook §6.2). The wait
  before disclosure is the office's setting `[letters] disclose_wait_days` (**Practice**: the
  Regulations set none, so the letter does not cite one to them).
- 协办函 (`cooperation`): to a department of the agency asked to help (rulebook §6.5), due
  back by the case's internal target (§10.1), else its reply date.
- 送达回证 (`service_receipt`): the proof-of-service form for one issued letter (§9.5).

Which recorded facts each needs is checked in `disclosure.letters.options.needs`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from sqlmodel import Session, select

from disclosure.errors import Conflict, NotFound
from disclosure.letters.dates import DateMarks, internal_due
from disclosure.letters.kinds import LetterKind, kind_info
from disclosure.letters.models import Letter
from disclosure.models import Application
from disclosure.services.departments import find_department
from disclosure.vocabulary import EventKind, PartyKind
from rules.explain import cn_date

if TYPE_CHECKING:
    from disclosure.models import EventRecord
    from disclosure.services.office import Office
    from rules.engine import Deadlines


class Facts(Protocol):
    """The part of `disclosure.letters.context.Facts` these letters read."""

    @property
    def office(self) -> Office: ...
    @property
    def letter(self) -> Letter: ...
    @property
    def records(self) -> list[EventRecord]: ...
    @property
    def extras(self) -> dict[str, Any]: ...
    @property
    def deadlines(self) -> Deadlines: ...
    @property
    def marks(self) -> DateMarks: ...


DEFAULT_DISCLOSED = "贵方被征求意见的政府信息"


def _cn(d: Any) -> str:
    return cn_date(d) if d else ""


def disclose_notice(f: Facts) -> dict[str, Any]:
    party = f.letter.variant
    asked = [
        r
        for r in f.records
        if r.kind == EventKind.CONSULTATION_SENT.value
        and (r.party or "") == party
        and (r.data or {}).get("party_kind", PartyKind.THIRD_PARTY.value)
        == PartyKind.THIRD_PARTY.value
    ]
    items = [str(x) for x in f.extras.get("items") or []]
    return {
        "consulted_cn": _cn(asked[-1].on) if asked else "",
        "disclosed_text": "；".join(items) if items else DEFAULT_DISCLOSED,
        "disclose_reasons": f.extras.get("reasons") or f.extras.get("note") or "",
        "disclose_wait": f.office.settings.letters.disclose_wait_days,
    }


def cooperation(f: Facts) -> dict[str, Any]:
    return {
        "addressee": f.extras.get("department_name") or f.letter.variant,
        "coop_items": [str(x) for x in f.extras.get("items") or []],
        "coop_due_cn": internal_due(f.deadlines, f.marks),  # marked as show marks it
    }


def service_receipt(f: Facts) -> dict[str, Any]:
    return {
        "served_name": f.extras.get("served_title", ""),
        "served_reference": f.extras.get("served_reference") or f.letter.variant,
    }


def resolve(session: Session, kind: LetterKind, app: Application, variant: str) -> dict[str, Any]:
    """What a new letter of these kinds keeps of the database with its texts: the department
    a 协办函 goes to, the letter a 送达回证 is for (refusing a wrong one, nothing written)."""
    if kind is LetterKind.COOPERATION:
        dep = find_department(session, variant, field="party")
        lead = app.lead_department_id
        if dep.code not in (app.cooperating or []) and dep.id != lead:
            raise Conflict(
                f"{dep.name} 不是该申请的主办或协办部门，请先分办",
                field="party",
            )
        return {"department_name": dep.name}
    if kind is LetterKind.SERVICE_RECEIPT:
        served = session.exec(
            select(Letter).where(Letter.application_id == app.id, Letter.reference == variant)
        ).first()
        if served is None:
            raise NotFound(f"该申请没有文号为 {variant} 的文书", field="for_letter")
        return {"served_title": kind_info(served.kind).title, "served_reference": variant}
    return {}
