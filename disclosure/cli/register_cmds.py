"""Register commands: init, register, list, show, one command per event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer
from sqlmodel import Session

from disclosure.cli.options import parse_date, require_date
from disclosure.cli.output import console, emit_json, table
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import InvalidInput
from disclosure.models import Application, Stage
from disclosure.services import applications as svc
from disclosure.services.departments import find_department, list_departments
from disclosure.services.office import Office, load_office
from disclosure.services.queries import ListFilter, department_names, list_applications
from disclosure.services.views import STATE_LABELS, detail, summary
from rules.events import EventKind

JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON")]
TodayOpt = Annotated[str | None, typer.Option("--today", help="以该日为今天（YYYY-MM-DD）")]
DateOpt = Annotated[str, typer.Option("--date", help="日期 YYYY-MM-DD")]
NoteOpt = Annotated[str, typer.Option("--note", help="备注")]
Number = Annotated[str, typer.Argument(help="登记编号")]

correction_app = typer.Typer(help="补正（条例第三十条）", no_args_is_help=True)
consult_app = typer.Typer(help="征求意见（条例第三十二条、第三十四条）", no_args_is_help=True)
department_app = typer.Typer(help="部门", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    for name, fn in (
        ("init", init),
        ("register", register_cmd),
        ("list", list_cmd),
        ("show", show),
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
    ):
        app.command(name)(fn)
    app.add_typer(correction_app, name="correction")
    app.add_typer(consult_app, name="consult")
    app.add_typer(department_app, name="department")


def _state(ctx: typer.Context):  # type: ignore[no-untyped-def]
    from disclosure.cli.main import state

    return state(ctx)


def init(ctx: typer.Context) -> None:
    """创建或升级数据库（可重复执行）。"""
    st = _state(ctx)
    engine = st.engine
    typer.echo(f"数据库已就绪：{engine.url.render_as_string(hide_password=True)}")


def register_cmd(
    ctx: typer.Context,
    channel: Annotated[
        str,
        typer.Option("--channel", help="in_person | post_signed | post_unsigned | online | fax"),
    ],
    received: Annotated[str, typer.Option("--received", help="法定收到日期（条例第三十一条）")],
    applicant: Annotated[str, typer.Option("--applicant", help="申请人姓名或名称")],
    applicant_type: Annotated[
        str,
        typer.Option(
            "--applicant-type",
            help="natural | business | research | public_interest | legal_services | other",
        ),
    ],
    content: Annotated[str, typer.Option("--content", help="申请内容")],
    arrived: Annotated[str | None, typer.Option("--arrived", help="送达日期")] = None,
    email: Annotated[str, typer.Option("--email")] = "",
    phone: Annotated[str, typer.Option("--phone")] = "",
    address: Annotated[str, typer.Option("--address")] = "",
    id_number: Annotated[str, typer.Option("--id-number", help="身份证件号码")] = "",
    department: Annotated[str | None, typer.Option("--department", help="主办部门")] = None,
    cooperating: Annotated[
        list[str] | None, typer.Option("--cooperating", help="协办部门，可多次")
    ] = None,
    form_wanted: Annotated[str, typer.Option("--form", help="获取信息的方式")] = "",
    case_type: Annotated[str, typer.Option("--case-type", help="案件类型（内部时限）")] = "",
    today: TodayOpt = None,
    note: NoteOpt = "",
    as_json: JsonOpt = False,
) -> None:
    """登记一件政府信息公开申请。"""
    st = _state(ctx)
    data = svc.parse_create(
        {
            "channel": channel,
            "received_on": require_date(received, "--received"),
            "arrived_on": parse_date(arrived, "--arrived"),
            "applicant_name": applicant,
            "applicant_type": applicant_type,
            "content": content,
            "email": email,
            "phone": phone,
            "address": address,
            "id_number": id_number,
            "department": department,
            "cooperating": cooperating or [],
            "form_wanted": form_wanted,
            "case_type": case_type,
            "note": note,
        }
    )
    day = st.today(today)
    with transaction(st.engine) as session:
        office = load_office(session, st.settings)
        app = svc.register_application(
            session, office=office, data=data, today=day, actor=st.actor, now=now_utc()
        )
        out = summary(app, office, day, department_names(session))
    if as_json:
        emit_json(out)
        return
    typer.echo(
        f"已登记：{out['number']}，答复期限 {out['reply_due']}"
        + ("（临时）" if out["provisional"] else "")
    )


def list_cmd(
    ctx: typer.Context,
    overdue: Annotated[bool, typer.Option("--overdue", help="仅显示已超期")] = False,
    due_within: Annotated[int | None, typer.Option("--due-within", help="N 个工作日内到期")] = None,
    department: Annotated[str | None, typer.Option("--department")] = None,
    stage_: Annotated[
        str | None, typer.Option("--stage", help="registered|review|handling|replied|archived")
    ] = None,
    open_only: Annotated[bool, typer.Option("--open", help="仅显示未办结")] = False,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """列出申请（按答复期限排序）。"""
    st = _state(ctx)
    day = st.today(today)
    if due_within is not None and due_within < 0:
        raise InvalidInput("必须为非负整数 / must be >= 0", field="--due-within")
    try:
        stage_value = Stage(stage_) if stage_ else None
    except ValueError as exc:
        raise InvalidInput(f"未知阶段 {stage_!r} / unknown stage", field="--stage") from exc
    with transaction(st.engine, write=False) as session:
        office = load_office(session, st.settings)
        dep_id = find_department(session, department).id if department else None
        flt = ListFilter(
            overdue=overdue,
            due_within=due_within,
            department_id=dep_id,
            stage=stage_value,
            open_only=open_only,
        )
        deps = department_names(session)
        rows = [
            summary(a, office, day, deps)
            for a in list_applications(session, office=office, today=day, flt=flt)
        ]
    if as_json:
        emit_json(rows)
        return
    table(
        f"申请列表（{day.isoformat()}，共 {len(rows)} 件）",
        ["编号", "申请人", "部门", "阶段", "答复期限", "剩余工作日", "状态"],
        [
            [
                r["number"],
                r["applicant"],
                r["department_name"] or "",
                r["stage_label"],
                (r["reply_due"] or "—") + ("（临时）" if r["provisional"] else ""),
                r["working_days_left"],
                r["state_label"],
            ]
            for r in rows
        ],
    )


def show(
    ctx: typer.Context, number: Number, today: TodayOpt = None, as_json: JsonOpt = False
) -> None:
    """显示申请详情、办理经过和每个期限的计算说明。"""
    st = _state(ctx)
    day = st.today(today)
    with transaction(st.engine, write=False) as session:
        office = load_office(session, st.settings)
        app = svc.get_application(session, number)
        out = detail(session, app, office, day, department_names(session))
    if as_json:
        emit_json(out)
        return
    c = console()
    c.print(
        f"[bold]{out['number']}[/bold]  {out['applicant']}  "
        f"阶段：{out['stage_label']}  状态：{STATE_LABELS.get(out['state'], out['state'])}"
    )
    c.print(f"申请内容：{out['content']}")
    if out["reply_due"]:
        left = out["working_days_left"]
        c.print(
            f"答复期限：{out['reply_due']}{'（临时）' if out['provisional'] else ''}"
            + (f"，剩余 {left} 个工作日" if left is not None else "")
        )
    table(
        "办理经过",
        ["日期", "事项", "说明", "记录人"],
        [[e["on"], e["label"], _event_note(e), e["actor"]] for e in out["timeline"]],
    )
    c.print("[bold]期限计算说明[/bold]")
    for line in out["explanation"]:
        c.print("  " + line)


def _event_note(e: dict) -> str:
    bits = []
    if e["days"]:
        bits.append(f"{e['days']} 个工作日")
    if e["party"]:
        bits.append(e["party"])
    if e["approver"]:
        bits.append(f"批准人：{e['approver']}")
    if e["due_on"]:
        bits.append(f"期限：{e['due_on']}")
    if e["outcome"]:
        bits.append(f"结果：{e['outcome']}")
    if e["amount_yuan"] is not None:
        bits.append(f"{e['amount_yuan']} 元")
    if e["note"]:
        bits.append(e["note"])
    return "；".join(bits)


def _record(
    ctx: typer.Context,
    number: str,
    event: svc.EventInput,
    today: str | None,
    as_json: bool,
    done: str,
) -> None:
    out = _mutate(
        ctx, today, lambda s, o, c: svc.record_event(s, office=o, number=number, event=event, **c)
    )
    _done(out, as_json, done)


def _mutate(
    ctx: typer.Context,
    today: str | None,
    call: Callable[[Session, Office, dict[str, Any]], Application],
) -> dict[str, Any]:
    """One transaction: load the office, apply `call`, and summarise the application.

    `call(session, office, common)` gets `common` = the keyword arguments every mutating
    service takes (today, actor, now).
    """
    st = _state(ctx)
    day = st.today(today)
    with transaction(st.engine) as session:
        office = load_office(session, st.settings)
        app = call(session, office, {"today": day, "actor": st.actor, "now": now_utc()})
        return summary(app, office, day, department_names(session))


def _done(out: dict, as_json: bool, done: str) -> None:
    if as_json:
        emit_json(out)
        return
    due = out["reply_due"] or "—（等待补正）"
    typer.echo(
        f"{out['number']}：{done}。答复期限 {due}" + ("（临时）" if out["provisional"] else "")
    )


@correction_app.command("request")
def correction_request(
    ctx: typer.Context,
    number: Number,
    date: DateOpt,
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录发出补正告知（一次性告知需要补正的全部内容）。"""
    ev = svc.EventInput(
        EventKind.CORRECTION_REQUESTED.value, require_date(date, "--date"), note=note
    )
    _record(ctx, number, ev, today, as_json, "已记录补正告知")


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
    ev = svc.EventInput(
        EventKind.CORRECTION_RECEIVED.value, require_date(date, "--date"), note=note
    )
    _record(ctx, number, ev, today, as_json, "已记录收到补正")


def extend(
    ctx: typer.Context,
    number: Number,
    days: Annotated[int, typer.Option("--days", help="延长工作日数（不超过20）")],
    approver: Annotated[str, typer.Option("--approver", help="批准人（工作机构负责人）")],
    date: DateOpt,
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录延期答复（条例第三十三条第二款）。"""
    ev = svc.EventInput(
        EventKind.EXTENSION_GRANTED.value,
        require_date(date, "--date"),
        days=days,
        approver=approver,
        note=note,
    )
    _record(ctx, number, ev, today, as_json, f"已延期 {days} 个工作日")


@consult_app.command("send")
def consult_send(
    ctx: typer.Context,
    number: Number,
    date: DateOpt,
    party: Annotated[str, typer.Option("--party", help="被征求意见的第三方或机关")],
    agency: Annotated[bool, typer.Option("--agency", help="对象为共同制作的行政机关")] = False,
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录发出征求意见（期间不计入答复期限）。"""
    ev = svc.EventInput(
        EventKind.CONSULTATION_SENT.value,
        require_date(date, "--date"),
        party=party,
        note=note,
        data={"party_kind": "agency" if agency else "third_party"},
    )
    _record(ctx, number, ev, today, as_json, f"已向{party}征求意见")


@consult_app.command("answer")
def consult_answer(
    ctx: typer.Context,
    number: Number,
    date: DateOpt,
    party: Annotated[str | None, typer.Option("--party")] = None,
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录收到意见。"""
    ev = svc.EventInput(
        EventKind.CONSULTATION_ANSWERED.value, require_date(date, "--date"), party=party, note=note
    )
    _record(ctx, number, ev, today, as_json, "已记录收到意见")


def fee_notice(
    ctx: typer.Context,
    number: Number,
    date: DateOpt,
    amount: Annotated[int, typer.Option("--amount", help="收费金额（元）")],
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录发出收费通知（缴费期间不计入答复期限）。"""
    if amount <= 0:
        raise InvalidInput("金额必须为正 / amount must be > 0", field="--amount")
    ev = svc.EventInput(
        EventKind.FEE_NOTICE_SENT.value, require_date(date, "--date"), amount_yuan=amount, note=note
    )
    _record(ctx, number, ev, today, as_json, "已记录收费通知")


def fee_paid(
    ctx: typer.Context,
    number: Number,
    date: DateOpt,
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录申请人缴费。"""
    ev = svc.EventInput(EventKind.FEE_PAID.value, require_date(date, "--date"), note=note)
    _record(ctx, number, ev, today, as_json, "已记录缴费")


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
    ev = svc.EventInput(
        EventKind.DEFERRED.value,
        require_date(date, "--date"),
        due_on=require_date(due, "--due"),
        note=note,
    )
    _record(ctx, number, ev, today, as_json, "已确定答复期限")


def confirm(
    ctx: typer.Context,
    number: Number,
    date: DateOpt,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """确认收到（网上、传真、平信申请的双方确认之日）。"""
    on = require_date(date, "--date")
    out = _mutate(
        ctx, today, lambda s, o, c: svc.confirm_receipt(s, office=o, number=number, on=on, **c)
    )
    _done(out, as_json, "已确认收到")


def reply(
    ctx: typer.Context,
    number: Number,
    outcome: Annotated[
        str, typer.Option("--outcome", help="1, 2, 3.1–3.8, 4.1–4.3, 5.1–5.5, 6.1–6.3")
    ],
    date: DateOpt,
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录答复（签收或交邮之日）及其结果。"""
    st = _state(ctx)
    day = st.today(today)
    with transaction(st.engine) as session:
        office = load_office(session, st.settings)
        app = svc.reply(
            session,
            office=office,
            number=number,
            outcome=outcome,
            on=require_date(date, "--date"),
            today=day,
            actor=st.actor,
            now=now_utc(),
            note=note,
        )
        out = summary(app, office, day, department_names(session))
    if as_json:
        emit_json(out)
        return
    late = "按期" if out["state"] == "closed_on_time" else "逾期"
    typer.echo(f"{out['number']}：已答复（结果 {outcome}），{late}办结")


def withdraw(
    ctx: typer.Context,
    number: Number,
    date: DateOpt,
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录申请人撤回申请。"""
    on = require_date(date, "--date")
    out = _mutate(
        ctx,
        today,
        lambda s, o, c: svc.withdraw(s, office=o, number=number, on=on, note=note, **c),
    )
    _done(out, as_json, "已记录撤回")


def abandon(
    ctx: typer.Context,
    number: Number,
    date: DateOpt,
    reason: Annotated[
        str, typer.Option("--reason", help="correction（逾期不补正）| fee（逾期未缴费）")
    ],
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录视为放弃申请。"""
    on = require_date(date, "--date")
    out = _mutate(
        ctx,
        today,
        lambda s, o, c: svc.abandon(
            s, office=o, number=number, on=on, reason=reason, note=note, **c
        ),
    )
    _done(out, as_json, "已记录视为放弃申请")


def stage(
    ctx: typer.Context,
    number: Number,
    to: Annotated[str, typer.Argument(help="review | handling | archived")],
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """将申请转入下一阶段（审核、办理、归档）。"""
    try:
        target = Stage(to)
    except ValueError as exc:
        raise InvalidInput(f"未知阶段 {to!r} / unknown stage", field="STAGE") from exc
    out = _mutate(
        ctx,
        today,
        lambda s, _o, c: svc.move_stage(s, number=number, to=target, note=note, **c),
    )
    _done(out, as_json, f"已转入{out['stage_label']}阶段")


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
    cooperating: Annotated[list[str] | None, typer.Option("--cooperating")] = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """分办：指定主办部门和协办部门。"""
    out = _mutate(
        ctx,
        today,
        lambda s, _o, c: svc.assign(
            s, number=number, department=department, cooperating=cooperating or [], **c
        ),
    )
    _done(out, as_json, f"已分办至{out['department_name']}")


@department_app.command("list")
def department_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """列出部门。"""
    st = _state(ctx)
    with transaction(st.engine, write=False) as session:
        rows = [d.model_dump(exclude={"id"}) for d in list_departments(session)]
    if as_json:
        emit_json(rows)
        return
    table(
        "部门",
        ["代码", "名称", "联系人", "邮箱"],
        [[r["code"], r["name"], r["contact"], r["email"]] for r in rows],
    )


@department_app.command("add")
def department_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Option("--code")],
    name: Annotated[str, typer.Option("--name")],
    contact: Annotated[str, typer.Option("--contact")] = "",
    email: Annotated[str, typer.Option("--email")] = "",
) -> None:
    """新增部门（也可在 config.toml 的 [[departments]] 中配置）。"""
    from disclosure.services.departments import add_department

    st = _state(ctx)
    with transaction(st.engine) as session:
        add_department(session, code=code, name=name, contact=contact, email=email)
    typer.echo(f"已新增部门：{code} {name}")
