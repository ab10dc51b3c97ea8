"""The actions on an application page: each turns its form into one step of the catalogue.

An action's `build(form, today)` returns the step (`services.steps`); the route records it
in one transaction. Form fields are named after the step's domain fields, except the date
of a step, which is the form field `date` (`web.fields`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.datastructures import FormData

from disclosure.errors import InvalidInput, NotFound
from disclosure.people.applicants import ITEM_FEE_COUNTED
from disclosure.services import steps
from disclosure.services.steps.office_steps import AMENDABLE
from disclosure.vocabulary import PartyKind, Stage
from disclosure.web.forms import optional_date, optional_int, required_date, required_int, text
from rules import fees

Build = Callable[[FormData, date], steps.Step]


@dataclass(frozen=True)
class Action:
    label: str
    build: Build
    office_only: bool = False  # department handlers may not do this
    # The inputs that must not be empty (input name → label): all of them are reported at
    # once, before the step itself checks the values (issue 18).
    required: tuple[tuple[str, str], ...] = (("date", "日期"),)


def missing(action: Action, form: FormData) -> dict[str, str]:
    """Every required input left empty, each with its message, plus a line for the form."""
    errors = {name: f"请填写{label}" for name, label in action.required if not text(form, name)}
    if errors:
        errors["_form"] = f"请补全标出的 {len(errors)} 项后再记录。"
    return errors


def _on(form: FormData) -> date:
    return required_date(form, "date")


def _served(form: FormData) -> date | None:
    return optional_date(form, "served")


def _fee_notice(f: FormData) -> steps.FeeNotice:
    """The notice states how its amount was reached (Fees arts. 4–5, rulebook §7): per
    volume from the pages; per item from the applicant's month, counted when recorded, or
    the amount the clerk gives when the applicant cannot be identified."""
    amount = optional_int(text(f, "amount"), "amount", minimum=1)
    basis: dict[str, Any]
    if text(f, "fee_basis") == "volume":
        if not text(f, "pages"):
            raise InvalidInput("按量计收须填写页数", field="pages")
        pages = required_int(f, "pages", minimum=1)
        due = fees.fee_per_volume(pages)
        if due == 0:
            raise InvalidInput(f"{pages} 页按量计收无需收费，不发出收费通知", field="pages")
        if amount is not None and amount != due:
            raise InvalidInput(f"金额 {amount} 元与按量计算的 {due} 元不符", field="amount")
        amount, basis = due, {"fee_basis": "volume", "pages": pages}
    elif text(f, "fee_basis") in ("", "item"):
        if amount is not None and fees.first_item_with_fee(amount) is None:
            raise InvalidInput(
                f"按件计收每件为 {fees.ITEM_FIRST_RATE} 元起、每档加 {fees.ITEM_BAND_STEP} 元，"
                f"{amount} 元不是按件计收的金额",
                field="amount",
            )
        basis = {"fee_basis": "item"} if amount is not None else dict(ITEM_FEE_COUNTED)
    else:
        raise InvalidInput("计收方式须为按件或按量", field="fee_basis")
    return steps.FeeNotice(
        on=_on(f), amount=amount, basis=basis, served=_served(f), note=text(f, "note")
    )


def _extend(f: FormData, _today: date) -> steps.Step:
    return steps.Extension(
        on=_on(f),
        days=required_int(f, "days", minimum=1),
        approver=text(f, "approver"),
        note=text(f, "note"),
    )


def _consult_send(f: FormData, _today: date) -> steps.Step:
    kind = PartyKind.AGENCY if text(f, "party_kind") == "agency" else PartyKind.THIRD_PARTY
    return steps.ConsultationSent(
        on=_on(f), party=text(f, "party"), party_kind=kind, served=_served(f), note=text(f, "note")
    )


def _stage(f: FormData, today: date) -> steps.Step:
    try:
        target = Stage(text(f, "to"))
    except ValueError as exc:
        raise InvalidInput("请选择阶段", field="to") from exc
    return steps.StageMove(on=today, to=target, note=text(f, "note"))


def _assign(f: FormData, today: date) -> steps.Step:
    cooperating = tuple(v for v in f.getlist("cooperating") if isinstance(v, str) and v)
    return steps.HandledAssignment(
        on=today, department=text(f, "department"), cooperating=cooperating,
        handler=text(f, "handler"),
    )  # fmt: skip


ACTIONS: dict[str, Action] = {
    "confirm": Action("确认收到", lambda f, _t: steps.Confirmation(on=_on(f)), office_only=True),
    "correction_request": Action(
        "补正告知",
        lambda f, _t: steps.CorrectionRequested(on=_on(f), served=_served(f), note=text(f, "note")),
    ),
    "correction_receive": Action(
        "收到补正", lambda f, _t: steps.CorrectionReceived(on=_on(f), note=text(f, "note"))
    ),
    "extend": Action(
        "延期答复",
        _extend,
        required=(("date", "日期"), ("days", "延长工作日数"), ("approver", "批准人")),
    ),
    "consult_send": Action(
        "发出征求意见", _consult_send, required=(("date", "日期"), ("party", "征求意见对象"))
    ),
    "consult_answer": Action(
        "收到意见",
        lambda f, _t: steps.ConsultationAnswered(
            on=_on(f), party=text(f, "party") or None, note=text(f, "note")
        ),
    ),
    "fee_notice": Action("收费通知", lambda f, _t: _fee_notice(f)),
    "fee_paid": Action(
        "缴费",
        lambda f, _t: steps.FeePaid(
            on=_on(f), accept_late=text(f, "accept_late"), note=text(f, "note")
        ),
    ),
    "defer": Action(
        "第三十五条确定期限",
        lambda f, _t: steps.Deferral(on=_on(f), due=required_date(f, "due"), note=text(f, "note")),
        required=(("date", "日期"), ("due", "确定的答复期限")),
    ),
    "reply": Action(
        "答复",
        lambda f, _t: steps.Reply(
            on=_on(f), code=text(f, "outcome"), repeats=text(f, "repeats"), note=text(f, "note")
        ),
        required=(("date", "日期"), ("outcome", "答复结果")),
    ),
    "withdraw": Action("撤回", lambda f, _t: steps.Withdrawal(on=_on(f), note=text(f, "note"))),
    "abandon": Action(
        "视为放弃",
        lambda f, _t: steps.Abandonment(
            on=_on(f), reason=steps.parse_reason(text(f, "reason")), note=text(f, "note")
        ),
        required=(("date", "日期"), ("reason", "原因")),
    ),
    "stage": Action("转入阶段", _stage, required=(("to", "转入的阶段"),)),
    "assign": Action("分办", _assign, office_only=True, required=(("department", "主办部门"),)),
    # The lead department signs for the case or sends it back (handoff_steps), as the user.
    "accept": Action("签收", lambda f, _t: steps.Acceptance(on=_on(f), note=text(f, "note"))),
    "return": Action(
        "退回",
        lambda f, _t: steps.Return(on=_on(f), note=text(f, "reason")),
        required=(("date", "日期"), ("reason", "退回理由")),
    ),
    "amend": Action(
        "更正登记信息",
        lambda f, t: _amend(f, t),
        office_only=True,
        required=(),  # the step says why a reason is needed (须说明更正的理由)
    ),
    "receipt": Action(
        "更正收到日期",
        lambda f, t: _receipt(f, t),
        office_only=True,
        required=(("reason", "更正理由"),),
    ),
}


def _receipt(f: FormData, today: date) -> steps.Step:
    """The form shows the registered values; only what differs is corrected (rulebook §3.3)."""
    return steps.ReceiptCorrection(
        on=today,
        note=text(f, "reason"),
        channel=text(f, "channel") or None,
        arrived=optional_date(f, "arrived"),
        received=optional_date(f, "received"),
    )


def _amend(f: FormData, today: date) -> steps.Step:
    """The fields shown filled with the registered values; only what differs is changed (a
    field emptied is changed to empty: refused beside it where the register requires it)."""
    changes = tuple((k, text(f, k)) for k in AMENDABLE if k in f)
    return steps.Amendment(on=today, changes=changes, note=text(f, "reason"))


# Recorded by the office unless `[web] department_may_record` names them (the reply, an
# extension, a withdrawal or an abandonment closes or lengthens the statutory clock).
OFFICE_BY_DEFAULT = frozenset({"reply", "extend", "withdraw", "abandon"})


def may_record(
    name: str, action: Action, *, department_user: bool, allowed: Collection[str]
) -> bool:
    """May this user record the action? Office users may record every action."""
    if not department_user:
        return True
    if action.office_only:
        return False
    return name not in OFFICE_BY_DEFAULT or name in allowed


def lookup(name: str) -> Action:
    action = ACTIONS.get(name)
    if action is None:
        raise NotFound(f"没有该操作：{name}", field="action")
    return action
