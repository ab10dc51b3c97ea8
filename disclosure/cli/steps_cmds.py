"""One command per step of an application (the catalogue in `services.steps`).

Each command builds its step from its options and records it in one transaction; the
output is the application's read model (`--json`) or one line.
"""

from __future__ import annotations

from typing import Annotated, cast

import typer

from disclosure.cli.options import (
    DateOpt,
    JsonOpt,
    NoteOpt,
    Number,
    TodayOpt,
    parse_date,
    require_date,
)
from disclosure.cli.output import emit_json
from disclosure.cli.state import state
from disclosure.errors import InvalidInput
from disclosure.people.applicants import ITEM_FEE_COUNTED
from disclosure.services import steps
from disclosure.services.queries import department_names
from disclosure.services.timeline import event_label
from disclosure.services.views import summary
from disclosure.vocabulary import AbandonReason, PartyKind, Stage

ServedOpt = Annotated[
    str | None,
    typer.Option(
        "--served",
        help="送达日期：当面交付时即为当日；邮寄的以签收为准，可稍后用 serve-letter 记录",
    ),
]
AcceptLateOpt = Annotated[
    str, typer.Option("--accept-late", help="逾期缴费仍予接受的理由（记录为单独一项）")
]

correction_app = typer.Typer(help="补正（条例第三十条）", no_args_is_help=True)
consult_app = typer.Typer(help="征求意见（条例第三十二条、第三十四条）", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    for name, fn in (
        ("confirm", confirm),
        ("extend", extend),
        ("fee-notice", fee_notice),
        ("fee-paid", fee_paid),
        ("defer", defer),
        ("reply", reply),
        ("withdraw", withdraw),
        ("abandon", abandon),
        ("stage", stage),
        ("archive", archive),
        ("assign", assign),
        ("note", note_cmd),
    ):
        app.command(name)(fn)
    app.add_typer(correction_app, name="correction")
    app.add_typer(consult_app, name="consult")


def record_steps(
    ctx: typer.Context, number: str, *todo: steps.Step, today: str | None
) -> dict[str, object]:
    """Record the steps on `number` in one transaction (all or none); the application's
    read model after, with the warnings of every step."""
    with state(ctx).context(today) as (session, c):
        warnings: list[str] = []
        labels: list[str] = []
        for step in todo:
            recorded = step.record(session, c, number)
            warnings += recorded.warnings
            labels.append(event_label(recorded.event))
        out = summary(recorded.application, c.office, c.today, department_names(session))
        return {**out, "warnings": warnings, "recorded": labels}


def done(out: dict[str, object], as_json: bool, done: str) -> None:
    if as_json:
        emit_json(out)
        return
    if out["closed_on"]:  # an abandoned case has no reply date, and waits for nothing
        where = f"已于 {out['closed_on']} 办结（{out['state_label']}）"
    else:
        due = out["reply_due"] or ("—（等待补正）" if out["received_on"] else "—（尚未确认收到）")
        where = f"答复期限 {due}" + ("（临时）" if out["provisional"] else "")
    typer.echo(f"{out['number']}：{done}。{where}")
    _warn(out)


def _warn(out: dict[str, object]) -> None:
    """The flags on the step just recorded, on stderr (rulebook §11: told at once)."""
    for text in cast(list[str], out["warnings"]):
        typer.echo(f"⚠ {text}", err=True)


@correction_app.command("request")
def correction_request(
    ctx: typer.Context,
    number: Number,
    date: DateOpt,
    served: ServedOpt = None,
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录发出补正告知（一次性告知需要补正的全部内容）。"""
    step = steps.CorrectionRequested(
        on=require_date(date, "on"), served=parse_date(served, "served"), note=note
    )
    done(record_steps(ctx, number, step, today=today), as_json, "已记录补正告知")


@correction_app.command("receive")
def correction_receive(
    ctx: typer.Context,
    number: Number,
    date: DateOpt,
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录收到补正后的申请（答复期限自该日重新计算）。"""
    step = steps.CorrectionReceived(on=require_date(date, "on"), note=note)
    done(record_steps(ctx, number, step, today=today), as_json, "已记录收到补正")


def extend(
    ctx: typer.Context,
    number: Number,
    days: Annotated[int, typer.Option("--days", help="延长工作日数（不超过20）")],
    approver: Annotated[str, typer.Option("--approver", help="批准人（工作机构负责人）")],
    date: DateOpt,
    note: Annotated[
        str, typer.Option("--note", help="延期理由（写入延期答复告知书；不填则告知书不写理由）")
    ] = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录延期答复（条例第三十三条第二款）。"""
    step = steps.Extension(on=require_date(date, "on"), days=days, approver=approver, note=note)
    done(record_steps(ctx, number, step, today=today), as_json, f"已延期 {days} 个工作日")


@consult_app.command("send")
def consult_send(
    ctx: typer.Context,
    number: Number,
    date: DateOpt,
    party: Annotated[str, typer.Option("--party", help="被征求意见的第三方或机关")],
    agency: Annotated[bool, typer.Option("--agency", help="对象为共同制作的行政机关")] = False,
    served: ServedOpt = None,
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录发出征求意见（期间不计入答复期限）。"""
    step = steps.ConsultationSent(
        on=require_date(date, "on"),
        party=party,
        party_kind=PartyKind.AGENCY if agency else PartyKind.THIRD_PARTY,
        served=parse_date(served, "served"),
        note=note,
    )
    done(record_steps(ctx, number, step, today=today), as_json, f"已向{party}征求意见")


@consult_app.command("answer")
def consult_answer(
    ctx: typer.Context,
    number: Number,
    date: DateOpt,
    party: Annotated[str | None, typer.Option("--party", help="提出意见的第三方或机关")] = None,
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录收到意见。"""
    step = steps.ConsultationAnswered(on=require_date(date, "on"), party=party, note=note)
    done(record_steps(ctx, number, step, today=today), as_json, "已记录收到意见")


def fee_notice(
    ctx: typer.Context,
    number: Number,
    date: DateOpt,
    amount: Annotated[
        int | None,
        typer.Option("--amount", help="收费金额（元）；不填则按申请人本月申请件数按件计收"),
    ] = None,
    served: ServedOpt = None,
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录发出收费通知（缴费期间不计入答复期限）。"""
    step = steps.FeeNotice(
        on=require_date(date, "on"),
        amount=amount,
        basis=dict(ITEM_FEE_COUNTED) if amount is None else None,
        served=parse_date(served, "served"),
        note=note,
    )
    done(record_steps(ctx, number, step, today=today), as_json, "已记录收费通知")


def fee_paid(
    ctx: typer.Context,
    number: Number,
    date: DateOpt,
    accept_late: AcceptLateOpt = "",
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录申请人缴费。"""
    step = steps.FeePaid(on=require_date(date, "on"), accept_late=accept_late, note=note)
    done(record_steps(ctx, number, step, today=today), as_json, "已记录缴费")


def defer(
    ctx: typer.Context,
    number: Number,
    date: DateOpt,
    due: Annotated[str, typer.Option("--due", help="确定的合理答复期限")],
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """依条例第三十五条确定合理的答复期限。"""
    step = steps.Deferral(on=require_date(date, "on"), due=require_date(due, "due"), note=note)
    done(record_steps(ctx, number, step, today=today), as_json, "已确定答复期限")


def confirm(
    ctx: typer.Context,
    number: Number,
    date: DateOpt,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """确认收到（网上、传真、平信申请的双方确认之日）。"""
    step = steps.Confirmation(on=require_date(date, "on"))
    done(record_steps(ctx, number, step, today=today), as_json, "已确认收到")


def reply(
    ctx: typer.Context,
    number: Number,
    outcome: Annotated[
        str,
        typer.Option(
            "--outcome",
            help="答复结果代码：1 2 3.1–3.8 4.1–4.3 5.1–5.5 6.1–6.3（年度报告表三的分类）",
        ),
    ],
    date: DateOpt,
    repeats: Annotated[
        str, typer.Option("--repeats", help="重复申请（5.2）：此前已答复的申请的登记编号")
    ] = "",
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录答复（签收或交邮之日）及其结果。"""
    step = steps.Reply(on=require_date(date, "on"), code=outcome, repeats=repeats, note=note)
    out = record_steps(ctx, number, step, today=today)
    if as_json:
        emit_json(out)
        return
    late = "按期" if out["state"] == "closed_on_time" else "逾期"
    typer.echo(f"{out['number']}：已答复（结果 {outcome}），{late}办结")
    _warn(out)


def withdraw(
    ctx: typer.Context,
    number: Number,
    date: DateOpt,
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录申请人撤回申请。"""
    step = steps.Withdrawal(on=require_date(date, "on"), note=note)
    done(record_steps(ctx, number, step, today=today), as_json, "已记录撤回")


def abandon(
    ctx: typer.Context,
    number: Number,
    date: DateOpt,
    reason: Annotated[str, typer.Option("--reason", help=AbandonReason.choices())],
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录视为放弃申请。"""
    step = steps.Abandonment(
        on=require_date(date, "on"), reason=steps.parse_reason(reason), note=note
    )
    done(record_steps(ctx, number, step, today=today), as_json, "已记录视为放弃申请")


def stage(
    ctx: typer.Context,
    number: Number,
    to: Annotated[str, typer.Argument(help="review（审核）| handling（办理）| archived（归档）")],
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """将申请转入下一阶段（审核、办理、归档）。"""
    try:
        target = Stage(to)
    except ValueError as exc:
        raise InvalidInput(f"未知阶段 {to!r}；可用：{Stage.choices()}", field="to") from exc
    day = state(ctx).today(today)
    out = record_steps(ctx, number, steps.StageMove(on=day, to=target, note=note), today=today)
    done(out, as_json, f"已转入{target.label}阶段")


def archive(
    ctx: typer.Context,
    number: Number,
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """归档已答复的申请。"""
    stage(ctx, number, Stage.ARCHIVED.value, note, today, as_json)


def assign(
    ctx: typer.Context,
    number: Number,
    department: Annotated[str, typer.Option("--department", help="主办部门")],
    cooperating: Annotated[
        list[str] | None, typer.Option("--cooperating", help="协办部门，可多次")
    ] = None,
    handler: Annotated[
        str, typer.Option("--handler", help="承办人（用户名，须属于主办部门）")
    ] = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """分办：指定主办部门、协办部门和承办人。"""
    day = state(ctx).today(today)
    step = steps.HandledAssignment(
        on=day, department=department, cooperating=tuple(cooperating or ()), handler=handler
    )
    out = record_steps(ctx, number, step, today=today)
    done(out, as_json, f"已分办至{out['department_name']}")


def note_cmd(
    ctx: typer.Context,
    number: Number,
    text: Annotated[str, typer.Option("--note", help="备注内容")],
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """在办理经过中记录一条备注。"""
    day = state(ctx).today(today)
    done(
        record_steps(ctx, number, steps.Note(on=day, note=text), today=today), as_json, "已记录备注"
    )
