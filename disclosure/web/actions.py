"""The actions on an application page: each turns its form into one service call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session
from starlette.datastructures import FormData

from disclosure.errors import InvalidInput, NotFound
from disclosure.models import Application, Stage
from disclosure.services import applications as svc
from disclosure.services.office import Office
from disclosure.web.forms import required_date, required_int, text
from rules.events import EventKind


@dataclass(frozen=True)
class Call:
    session: Session
    office: Office
    number: str
    form: FormData
    today: date
    actor: str
    now: datetime

    def record(self, event: svc.EventInput) -> Application:
        return svc.record_event(
            self.session,
            office=self.office,
            number=self.number,
            event=event,
            today=self.today,
            actor=self.actor,
            now=self.now,
        )

    def date(self, name: str = "date") -> date:
        return required_date(self.form, name)

    def text(self, name: str) -> str:
        return text(self.form, name)


@dataclass(frozen=True)
class Action:
    label: str
    run: Callable[[Call], Application]
    office_only: bool = False  # department handlers may not do this


def _simple(kind: EventKind) -> Callable[[Call], Application]:
    def run(c: Call) -> Application:
        return c.record(svc.EventInput(kind.value, c.date(), note=c.text("note")))

    return run


def _extend(c: Call) -> Application:
    days = required_int(c.form, "days", minimum=1)
    return c.record(
        svc.EventInput(
            EventKind.EXTENSION_GRANTED.value,
            c.date(),
            days=days,
            approver=c.text("approver"),
            note=c.text("note"),
        )
    )


def _consult_send(c: Call) -> Application:
    party = c.text("party")
    if not party:
        raise InvalidInput("请填写征求意见对象 / party required", field="party")
    kind = "agency" if c.text("party_kind") == "agency" else "third_party"
    return c.record(
        svc.EventInput(
            EventKind.CONSULTATION_SENT.value,
            c.date(),
            party=party,
            note=c.text("note"),
            data={"party_kind": kind},
        )
    )


def _consult_answer(c: Call) -> Application:
    return c.record(
        svc.EventInput(
            EventKind.CONSULTATION_ANSWERED.value,
            c.date(),
            party=c.text("party") or None,
            note=c.text("note"),
        )
    )


def _fee_notice(c: Call) -> Application:
    amount = required_int(c.form, "amount", minimum=1)
    return c.record(
        svc.EventInput(
            EventKind.FEE_NOTICE_SENT.value, c.date(), amount_yuan=amount, note=c.text("note")
        )
    )


def _defer(c: Call) -> Application:
    return c.record(
        svc.EventInput(
            EventKind.DEFERRED.value, c.date(), due_on=c.date("due"), note=c.text("note")
        )
    )


def _confirm(c: Call) -> Application:
    return svc.confirm_receipt(
        c.session,
        office=c.office,
        number=c.number,
        on=c.date(),
        today=c.today,
        actor=c.actor,
        now=c.now,
    )


def _reply(c: Call) -> Application:
    return svc.reply(
        c.session,
        office=c.office,
        number=c.number,
        outcome=c.text("outcome"),
        on=c.date(),
        today=c.today,
        actor=c.actor,
        now=c.now,
        note=c.text("note"),
    )


def _withdraw(c: Call) -> Application:
    return svc.withdraw(
        c.session,
        office=c.office,
        number=c.number,
        on=c.date(),
        today=c.today,
        actor=c.actor,
        now=c.now,
        note=c.text("note"),
    )


def _abandon(c: Call) -> Application:
    return svc.abandon(
        c.session,
        office=c.office,
        number=c.number,
        on=c.date(),
        reason=c.text("reason"),
        today=c.today,
        actor=c.actor,
        now=c.now,
        note=c.text("note"),
    )


def _stage(c: Call) -> Application:
    try:
        target = Stage(c.text("to"))
    except ValueError as exc:
        raise InvalidInput("请选择阶段 / choose a stage", field="to") from exc
    return svc.move_stage(
        c.session,
        number=c.number,
        to=target,
        today=c.today,
        actor=c.actor,
        now=c.now,
        note=c.text("note"),
    )


def _assign(c: Call) -> Application:
    cooperating = [v for v in c.form.getlist("cooperating") if isinstance(v, str) and v]
    return svc.assign(
        c.session,
        number=c.number,
        department=c.text("department"),
        cooperating=cooperating,
        today=c.today,
        actor=c.actor,
        now=c.now,
    )


ACTIONS: dict[str, Action] = {
    "confirm": Action("确认收到", _confirm, office_only=True),
    "correction_request": Action("补正告知", _simple(EventKind.CORRECTION_REQUESTED)),
    "correction_receive": Action("收到补正", _simple(EventKind.CORRECTION_RECEIVED)),
    "extend": Action("延期答复", _extend),
    "consult_send": Action("发出征求意见", _consult_send),
    "consult_answer": Action("收到意见", _consult_answer),
    "fee_notice": Action("收费通知", _fee_notice),
    "fee_paid": Action("缴费", _simple(EventKind.FEE_PAID)),
    "defer": Action("第三十五条确定期限", _defer),
    "reply": Action("答复", _reply),
    "withdraw": Action("撤回", _withdraw),
    "abandon": Action("视为放弃", _abandon),
    "stage": Action("转入阶段", _stage),
    "assign": Action("分办", _assign, office_only=True),
}


def lookup(name: str) -> Action:
    action = ACTIONS.get(name)
    if action is None:
        raise NotFound(f"没有该操作：{name} / unknown action", field="action")
    return action
