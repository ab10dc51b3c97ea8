"""The office's own steps, which move no deadline: confirmation, hand-off, stage, note,
and the audited amendment of registration data."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from disclosure.errors import Conflict, InvalidInput
from disclosure.models import Application
from disclosure.schemas import DOMAIN_NAMES, ApplicationCreate, validation_error
from disclosure.services.context import Context
from disclosure.services.departments import active_department, cooperating_codes
from disclosure.services.steps.base import CaseState, Line, Step
from disclosure.services.workflow import check_transition
from disclosure.vocabulary import Channel as LedgerChannel
from disclosure.vocabulary import EventKind, Stage
from rules.errors import ReceiptDateError
from rules.events import Channel, Event
from rules.events import EventKind as RuleKind
from rules.receipt import check_receipt


@dataclass(frozen=True, kw_only=True)
class Confirmation(Step):
    """Both sides confirm an arrival: its legal receipt date (Reg. Art. 31, rulebook §3)."""

    kind = EventKind.CONFIRMED
    needs_receipt = False

    def check(self, case: CaseState, ctx: Context) -> None:
        if case.received_on is not None:
            channel = LedgerChannel(case.channel)  # in person or signed post: nothing to confirm
            if channel in (LedgerChannel.IN_PERSON, LedgerChannel.POST_SIGNED):
                raise Conflict(
                    f"该申请为{channel.label}，收到日期 {case.received_on} 即法定收到日期"
                    "（条例第三十一条），无需确认",
                    field="number",
                )
            raise Conflict(f"已于 {case.received_on} 确认收到", field="number")
        try:
            check_receipt(Channel(case.channel), self.on, case.arrived_on)
        except ReceiptDateError as exc:
            raise InvalidInput(exc.message, field="on") from exc

    def lines(self) -> tuple[Line, ...]:
        return (
            Line(EventKind.CONFIRMED, self.on, self.note, {}, None),
            Line(EventKind.RECEIVED, self.on, "", {}, Event(RuleKind.RECEIVED, self.on)),
        )


@dataclass(frozen=True, kw_only=True)
class Assignment(Step):
    """The office assigns the lead department and any cooperating ones (分办)."""

    kind = EventKind.ASSIGNED
    needs_receipt = False
    when_closed = True
    date_field = "today"
    department: str
    cooperating: tuple[str, ...] = ()
    lead_id: int | None = None  # resolved by `prepare`

    def prepare(self, session: Session, ctx: Context) -> Assignment:
        lead = active_department(session, self.department, field="department")
        found = [active_department(session, code, field="cooperating") for code in self.cooperating]
        codes = tuple(cooperating_codes(lead, found))
        return replace(self, department=lead.code, lead_id=lead.id, cooperating=codes)

    def columns(self) -> dict[str, Any]:
        return {"party": self.department, "data": {"cooperating": list(self.cooperating)}}

    def apply(self, session: Session, app: Application) -> None:
        app.lead_department_id = self.lead_id
        app.cooperating = list(self.cooperating)


@dataclass(frozen=True, kw_only=True)
class StageMove(Step):
    """Along the workflow (审核, 办理, 归档); closing happens through a closing step."""

    kind = EventKind.STAGE_MOVED
    needs_receipt = False
    when_closed = True
    date_field = "today"
    to: Stage

    def check(self, case: CaseState, ctx: Context) -> None:
        if self.to is Stage.REPLIED:
            raise Conflict("请记录答复（答复结果和日期），而不是直接转入答复阶段", field="to")
        check_transition(case.stage, self.to)

    def columns(self) -> dict[str, Any]:
        return {"data": {"to": self.to.value}}

    def stage_after(self, case: CaseState) -> Stage:
        return self.to


@dataclass(frozen=True, kw_only=True)
class Note(Step):
    """A remark on the timeline."""

    kind = EventKind.NOTE
    needs_receipt = False
    when_closed = True
    date_field = "today"

    def check(self, case: CaseState, ctx: Context) -> None:
        if not self.note.strip():
            raise InvalidInput("请填写备注内容", field="note")


# The registration data an amendment may correct: domain name → application attribute (its
# label: `vocabulary.AMENDABLE_LABELS`).
_ATTRIBUTE = {domain: attr for attr, domain in DOMAIN_NAMES.items()}  # an error's field → column
AMENDABLE = {
    "applicant": "applicant_name",
    "content": "content",
    "email": "email",
    "phone": "phone",
    "address": "address",
    "form": "form_wanted",
}


def _checked(
    base: dict[str, Any], values: dict[str, str], new: set[str]
) -> ApplicationCreate | None:
    """The amended registration checked by the input rules. Only what the amendment changes
    must pass: a stored value that fails a rule made after it was registered (a phone of
    2025) is left out of the check; None when the rest cannot be checked without it."""
    for _ in range(len(values) + 1):  # each round leaves out at least one stored value
        error: InvalidInput
        try:
            return ApplicationCreate(**base, **values)
        except ValidationError as exc:
            failed = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
            error = validation_error(exc, among=new)
        except InvalidInput as exc:  # the input rules' validators raise it themselves
            failed, error = {_ATTRIBUTE.get(exc.field, exc.field)}, exc
        if failed & new or not failed & values.keys():
            raise error
        values = {k: v for k, v in values.items() if k not in failed}
    return None


@dataclass(frozen=True, kw_only=True)
class Amendment(Step):
    """An audited correction of registration data (issue 17): the event keeps every old and
    new value and who changed them; the deadlines do not depend on these fields. The reason
    is the step's note and is required."""

    kind = EventKind.AMENDED
    needs_receipt = False
    when_closed = True
    date_field = "today"
    note_field = "reason"
    changes: tuple[tuple[str, str], ...]  # (domain field, new value)
    old: tuple[tuple[str, str], ...] = ()  # the values replaced (resolved on the row)

    def for_application(self, app: Application) -> Amendment:
        if not self.note.strip():
            raise InvalidInput("须说明更正的理由", field="reason")
        unknown = [f for f, _ in self.changes if f not in AMENDABLE]
        if unknown:
            raise InvalidInput(f"不能更正的项目：{'、'.join(unknown)}", field=unknown[0])
        current = {f: str(getattr(app, attr) or "") for f, attr in AMENDABLE.items()}
        changed = tuple((f, v) for f, v in self.changes if current[f] != v)
        if not changed:
            first = self.changes[0][0] if self.changes else "applicant"
            raise InvalidInput("没有需要更正的内容（新值与登记的相同）", field=first)
        merged = {AMENDABLE[f]: v for f, v in {**current, **dict(changed)}.items()}
        base = {"channel": app.channel, "applicant_type": app.applicant_type,
                "received_on": app.received_on, "arrived_on": app.arrived_on}  # fmt: skip
        model = _checked(base, merged, {AMENDABLE[f] for f, _ in changed})
        if model is not None:  # stored as the schema keeps it (a phone's full-width digits)
            changed = tuple((f, str(getattr(model, AMENDABLE[f]) or "")) for f, _ in changed)
        return replace(self, changes=changed, old=tuple((f, current[f]) for f, _ in changed))

    def columns(self) -> dict[str, Any]:
        old = dict(self.old)
        return {
            "data": {"changes": {f: {"old": old.get(f, ""), "new": v} for f, v in self.changes}}
        }

    def apply(self, session: Session, app: Application) -> None:
        for f, value in self.changes:
            setattr(app, AMENDABLE[f], value)
