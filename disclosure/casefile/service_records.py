"""Recording the service of a letter, and the queries built on the records (see `serving`).

`serve_letter` is one transaction's work: checks first, then the optional proof document
(through `documents.attach`, so its file follows the transaction), then one LETTER_SERVED
event. Three kinds of call:

- the first record of a letter: `method` and `on` required;
- the signing of a posted letter recorded later: only `signed` (and optionally `tracking` or
  a proof), a new record superseding the previous one;
- a correction: `corrects` names the current record's event id; a new record with the values
  given (those not given are kept), superseding it.

A tracking number given (`--tracking`, the form's 邮件单号) is checked first, by
`check_tracking`: letters, digits and hyphens, 5 to 40 characters (EMS: EA123456789CN).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from disclosure.casefile.documents import Upload, append_event, attach
from disclosure.errors import Conflict, InvalidInput, NotFound
from disclosure.letters.kinds import LetterKind
from disclosure.letters.models import Letter
from disclosure.models import Application, EventRecord
from disclosure.services.context import Context
from disclosure.services.deadlines import events_of, recompute
from disclosure.services.lookup import get_application
from disclosure.services.office import Office
from disclosure.services.serving import SERVED, ServiceState, service_states
from disclosure.vocabulary import DocumentKind, EventKind, ServiceMethod

# Letters whose service is the reply's date (a decision on the application).
REPLY_KINDS = (LetterKind.REPLY.value, LetterKind.ABANDONED.value)
# A postal or courier tracking number (EMS: EA123456789CN; couriers: digits, some letters).
_TRACKING = re.compile(r"[A-Za-z0-9-]+", re.ASCII)
TRACKING_MIN, TRACKING_MAX = 5, 40


@dataclass(frozen=True)
class ServiceInput:
    letter: str  # the 文号 as printed, or the letter's id
    method: str | None = None
    on: date | None = None
    tracking: str | None = None
    signed: date | None = None
    proof: Upload | None = None
    corrects: int | None = None
    note: str = ""


def find_letter(session: Session, app: Application, serial: str) -> Letter:
    """The letter of `app` named by its 文号 (as printed) or its id."""
    serial = serial.strip()
    stmt = select(Letter).where(Letter.application_id == app.id)
    found = session.exec(stmt.where(Letter.reference == serial)).first()
    if found is None and serial.isdigit():
        found = session.exec(stmt.where(Letter.id == int(serial))).first()
    if found is None:
        raise NotFound(f"申请 {app.number} 没有文号或编号为 {serial!r} 的文书", field="letter")
    return found


def check_tracking(value: str | None) -> str | None:
    """The tracking number as given (full-width characters made ASCII, spaces around it
    dropped; "" clears it in a correction, None leaves it), or `InvalidInput`: letters,
    digits and hyphens only, `TRACKING_MIN` to `TRACKING_MAX` characters."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return ""
    if not _TRACKING.fullmatch(text):
        raise InvalidInput(
            f"邮件单号 {text!r} 只能包含字母、数字和连字符（如 EA123456789CN）",
            field="tracking",
        )
    if not TRACKING_MIN <= len(text) <= TRACKING_MAX:
        raise InvalidInput(
            f"邮件单号应为 {TRACKING_MIN} 至 {TRACKING_MAX} 个字符（收到 {len(text)} 个）",
            field="tracking",
        )
    return text


def _method(value: str) -> ServiceMethod:
    try:
        return ServiceMethod(value.strip())
    except ValueError as exc:
        raise InvalidInput(
            f"未知的送达方式 {value!r}；可用：{ServiceMethod.choices()}", field="method"
        ) from exc


def _check_dates(
    letter: Letter, method: ServiceMethod, on: date, signed: date | None, today: date
) -> None:
    if on > today:
        raise InvalidInput(f"送达日期 {on} 晚于今天 {today}", field="on")
    if on < letter.issued_on:
        raise InvalidInput(
            f"送达日期 {on} 早于文书 {letter.reference} 的成文日期 {letter.issued_on}", field="on"
        )
    if signed is not None:
        if signed > today:
            raise InvalidInput(f"签收日期 {signed} 晚于今天 {today}", field="signed")
        if signed < on:
            what = "交邮日期" if method.by_post else "送达日期"
            raise InvalidInput(f"签收日期 {signed} 早于{what} {on}", field="signed")


def serve_letter(
    session: Session, *, ctx: Context, number: str, service: ServiceInput
) -> tuple[EventRecord, ServiceState]:
    """Record the service of one of `number`'s letters; see the module docstring."""
    office, today, actor, now = ctx.office, ctx.today, ctx.actor, ctx.now
    service = replace(service, tracking=check_tracking(service.tracking))
    app = get_application(session, number, lock=True)
    letter = find_letter(session, app, service.letter)
    current = service_states(events_of(session, app)).get(letter.id)  # type: ignore[arg-type]
    values, reason = _merge(current, service)
    method = _method(values["method"])
    on: date = values["on"]
    signed: date | None = values["signed"]
    if method is ServiceMethod.DIRECT and signed is None:
        signed = on  # handed over and signed for on the spot
    _check_dates(letter, method, on, signed, today)
    proof_id = current.proof_document_id if current else None
    proof_doc = None
    if service.proof is not None:
        upload = Upload(
            stream=service.proof.stream,
            name=service.proof.name,
            kind=DocumentKind.SERVICE_PROOF.value,
            note=f"{letter.reference} 送达凭证",
        )
        proof_doc = attach(session, ctx=ctx, number=number, upload=upload, app=app)
        proof_id = proof_doc.id
    data: dict[str, Any] = {
        "letter_id": letter.id,
        "reference": letter.reference,
        "letter_kind": letter.kind,
        "step_event_id": letter.event_id,
        "method": method.value,
        "tracking": values["tracking"],
        "on": on.isoformat(),
        "signed": signed.isoformat() if signed else None,
        "proof_document_id": proof_id,
        "supersedes": current.event_id if current else None,
        "reason": reason,
    }
    rec = append_event(
        session,
        app,
        EventKind.LETTER_SERVED,
        signed if reason == "signed" and signed else on,
        actor=actor,
        now=now,
        party=letter.reference,
        note=_note(method, on, signed, values["tracking"], reason, service.note),
        data=data,
    )
    if proof_doc is not None:
        proof_doc.event_id = rec.id  # the proof belongs to this record (same transaction)
        session.add(proof_doc)
    # A served date starts the periods that run from receipt (rulebook §11.1): the stored
    # deadlines (lists, reminders, the dashboard) follow in the same transaction.
    recompute(session, app, office)
    return rec, service_states([rec])[letter.id]  # type: ignore[index]


def _merge(current: ServiceState | None, s: ServiceInput) -> tuple[dict[str, Any], str]:
    """The record's values and why it is made: "new", "signed" or "correction"."""
    if current is None:
        if s.corrects is not None:
            raise InvalidInput("该文书尚无送达记录，无可更正", field="corrects")
        if not s.method:
            raise InvalidInput("请填写送达方式", field="method")
        if s.on is None:
            raise InvalidInput("请填写送达（交邮、发送）日期", field="on")
        return {
            "method": s.method,
            "on": s.on,
            "signed": s.signed,
            "tracking": (s.tracking or "").strip(),
        }, "new"
    kept = {
        "method": current.method.value,
        "on": current.on,
        "signed": current.signed,
        "tracking": current.tracking,
    }
    if s.corrects is not None:
        if s.corrects != current.event_id:
            raise InvalidInput(
                f"只能更正该文书当前的送达记录（事件 {current.event_id}）", field="corrects"
            )
        given = {"method": s.method, "on": s.on, "signed": s.signed, "tracking": s.tracking}
        kept.update({k: v for k, v in given.items() if v is not None})
        return kept, "correction"
    if s.method or s.on is not None:
        raise Conflict(
            f"文书 {current.reference} 已有送达记录（事件 {current.event_id}）；"
            f"如需更正，请注明所更正的记录 {current.event_id}",
            field="corrects",
        )
    if s.signed is None:
        raise InvalidInput("请填写签收日期，或注明所更正的送达记录", field="signed")
    if current.signed is not None:
        raise Conflict(
            f"已记录签收日期 {current.signed}；如需更正，请注明所更正的记录 {current.event_id}",
            field="signed",
        )
    kept["signed"] = s.signed
    if s.tracking:
        kept["tracking"] = s.tracking.strip()
    return kept, "signed"


def _note(
    method: ServiceMethod, on: date, signed: date | None, tracking: str, reason: str, note: str
) -> str:
    handed = "交邮" if method.by_post else ("发送" if method.electronic else "送达")
    bits = [method.label, f"{handed} {on.isoformat()}"]
    if signed and (method.by_post or signed != on):
        bits.append(f"{'到达' if method.electronic else '签收'} {signed.isoformat()}")
    if tracking:
        bits.append(f"单号 {tracking}")
    if reason == "signed":
        bits.append("补记签收")
    elif reason == "correction":
        bits.append("更正前一送达记录")
    if note.strip():
        bits.append(note.strip())
    return "，".join(bits)


def reply_given_on(letters: list[Letter], records: list[EventRecord]) -> date | None:
    """答复送达日: the day the reply (or the notice ending the case) counts as given."""
    states = service_states(records)
    days = [
        given
        for lt in letters
        if lt.kind in REPLY_KINDS and lt.id in states and (given := states[lt.id].given) is not None
    ]
    return min(days) if days else None


@dataclass(frozen=True)
class Unserved:
    number: str
    application_id: int
    letter_id: int
    reference: str
    kind: str
    issued_on: date
    working_days: int  # working days since the letter's date

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "issued_on": self.issued_on.isoformat()}


CHUNK = 500


def unserved_letters(session: Session, office: Office, today: date) -> list[Unserved]:
    """Issued letters with no service record more than `[service] unserved_warning_days`
    working days after their date, oldest first (for reminders and the dashboard)."""
    limit = office.settings.service.unserved_warning_days
    cal = office.calendar
    stmt = (
        select(Letter, Application.number)
        .join(Application, col(Application.id) == col(Letter.application_id))
        .where(col(Letter.issued_on) < today)
        .order_by(col(Letter.issued_on), col(Letter.id))
    )
    candidates: list[tuple[Letter, str, int]] = []
    for letter, number in session.exec(stmt):
        days = cal.working_days_between(letter.issued_on, today)
        if days > limit:
            candidates.append((letter, number, days))
    served: dict[int, set[int]] = defaultdict(set)
    app_ids = sorted({lt.application_id for lt, _n, _d in candidates})
    for i in range(0, len(app_ids), CHUNK):
        q = select(EventRecord.application_id, EventRecord.data).where(
            col(EventRecord.application_id).in_(app_ids[i : i + CHUNK]),
            EventRecord.kind == SERVED,
        )
        for app_id, data in session.exec(q):
            if data and "letter_id" in data:
                served[app_id].add(int(data["letter_id"]))
    return [
        Unserved(number, lt.application_id, lt.id, lt.reference, lt.kind, lt.issued_on, days)  # type: ignore[arg-type]
        for lt, number, days in candidates
        if lt.id not in served[lt.application_id]
    ]


def unserved_reply_warning(session: Session, app: Application) -> str | None:
    """Said when archiving while the reply letter in force has no service recorded: the
    cover's 答复送达日 reads 未送达 and the proof of service will need a supplementary volume."""
    stmt = select(Letter).where(Letter.application_id == app.id)
    return unserved_reply_text(list(session.exec(stmt)), events_of(session, app))


def unserved_reply_text(letters: list[Letter], records: list[EventRecord]) -> str | None:
    """`unserved_reply_warning` from the application's letters and event log, read already."""
    replies = [lt for lt in letters if lt.kind in REPLY_KINDS]
    replaced = {lt.corrects_id for lt in replies if lt.corrects_id is not None}
    current = [lt for lt in replies if lt.id not in replaced]
    if not current or reply_given_on(current, records) is not None:
        return None
    refs = "、".join(lt.reference for lt in current)
    return (
        f"注意：答复文书 {refs} 尚未记录送达，案卷封面的答复送达日为“未送达”；"
        "送达后请记录送达，送达回证将编入补充卷。"
    )
