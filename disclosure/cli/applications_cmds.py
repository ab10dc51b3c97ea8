"""Application commands: init, register, list, show."""

from __future__ import annotations

import codecs
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from disclosure.cli.options import JsonOpt, NoteOpt, Number, TodayOpt, parse_date
from disclosure.cli.state import state
from disclosure.errors import InvalidInput
from disclosure.vocabulary import ApplicantType, Channel, Stage

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from sqlmodel import Session

    from disclosure.services.office import Office
    from disclosure.services.queries import ListFilter
    from disclosure.services.read_model import Listed

# The services each command needs are imported inside it: `disclosure list` (the one a
# clerk runs most) loads the list query and its read model only, not the registration,
# detail, hand-off and account modules the other commands use.

MAX_COUNT = 10_000_000  # bound of the counting options (a typing slip, not a real list)


def register(app: typer.Typer) -> None:
    for name, fn in (
        ("init", init),
        ("register", register_cmd),
        ("list", list_cmd),
        ("show", show),
    ):
        app.command(name)(fn)


def init(ctx: typer.Context) -> None:
    """创建或升级数据库（可重复执行）。"""
    engine = state(ctx).engine
    typer.echo(f"数据库已就绪：{engine.url.render_as_string(hide_password=True)}")


def register_cmd(
    ctx: typer.Context,
    channel: Annotated[str, typer.Option("--channel", help=Channel.choices())],
    applicant: Annotated[str, typer.Option("--applicant", help="申请人姓名或名称")],
    applicant_type: Annotated[str, typer.Option("--applicant-type", help=ApplicantType.choices())],
    content: Annotated[str, typer.Option("--content", help="申请内容")],
    received: Annotated[
        str | None,
        typer.Option("--received", help="法定收到日期（条例第三十一条）；尚未确认时不填"),
    ] = None,
    arrived: Annotated[str | None, typer.Option("--arrived", help="送达日期")] = None,
    email: Annotated[str, typer.Option("--email", help="电子邮箱")] = "",
    phone: Annotated[str, typer.Option("--phone", help="联系电话")] = "",
    address: Annotated[str, typer.Option("--address", help="通讯地址")] = "",
    id_number: Annotated[str, typer.Option("--id-number", help="身份证件号码")] = "",
    credit_code: Annotated[
        str, typer.Option("--credit-code", help="统一社会信用代码（法人或其他组织）")
    ] = "",
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
    from disclosure.cli.output import emit_json
    from disclosure.people.applicants import (
        month_position,
        possible_duplicates,
        registered_already,
    )
    from disclosure.services.queries import department_names
    from disclosure.services.registration import parse_create, register_application
    from disclosure.services.views import receipt_day_hint, registration_warning, summary

    st = state(ctx)
    data = parse_create(
        {
            "channel": channel,
            "received_on": parse_date(received, "received"),
            "arrived_on": parse_date(arrived, "arrived"),
            "applicant_name": applicant,
            "applicant_type": applicant_type,
            "content": content,
            "email": email,
            "phone": phone,
            "address": address,
            "id_number": id_number,
            "credit_code": credit_code,
            "department": department,
            "cooperating": cooperating or [],
            "form_wanted": form_wanted,
            "case_type": case_type,
            "note": note,
        }
    )
    with st.context(today) as (session, c):
        same = registered_already(session, data)
        app = register_application(session, ctx=c, data=data)
        out = summary(app, c.office, c.today, department_names(session))
        out["applicant_month_nth"] = month_position(session, app)
        out["possible_duplicates"] = possible_duplicates(session, app)
        day_hint = receipt_day_hint(app.channel, app.received_on, c.office)
    if as_json:
        emit_json(out)
        return
    if same is not None:  # the web asks first; a command is run on purpose, so it only says
        typer.echo(
            f"注意：与已登记的申请 {same.number} 的申请人、提交方式、日期和申请内容完全相同，"
            "请核对是否重复登记",
            err=True,
        )
    warn_duplicates(out["possible_duplicates"])
    if day_hint:
        typer.echo(day_hint, err=True)
    if out["reply_due"] is None:
        typer.echo(f"已登记：{out['number']}，尚待确认收到（确认后开始计算答复期限）")
        return
    typer.echo(
        f"已登记：{out['number']}，答复期限 {out['reply_due']}"
        + ("（临时）" if out["provisional"] else "")
    )
    warning = registration_warning(out["state"], out["working_days_left"])
    if warning:
        typer.echo(warning[1], err=True)


def warn_duplicates(found: list[dict[str, Any]]) -> None:
    """The clerk decides whether it repeats an answered request (Reg. Art. 36(6))."""
    from disclosure.people.applicants import duplicate_warning

    for d in found:
        typer.echo(duplicate_warning(d), err=True)


def list_cmd(
    ctx: typer.Context,
    overdue: Annotated[bool, typer.Option("--overdue", help="仅显示已超期")] = False,
    due_within: Annotated[int | None, typer.Option("--due-within", help="N 个工作日内到期")] = None,
    department: Annotated[str | None, typer.Option("--department", help="主办部门")] = None,
    handler: Annotated[str | None, typer.Option("--handler", help="承办人（用户名）")] = None,
    stage_: Annotated[str | None, typer.Option("--stage", help=Stage.choices())] = None,
    open_only: Annotated[bool, typer.Option("--open", help="仅显示未办结")] = False,
    limit: Annotated[int | None, typer.Option("--limit", help="最多列出 N 件")] = None,
    offset: Annotated[int, typer.Option("--offset", help="跳过前 N 件")] = 0,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """列出申请（按答复期限排序）；--json 逐批输出，件数不限。"""
    from disclosure.services.departments import find_department
    from disclosure.services.queries import ListFilter

    st = state(ctx)
    for name, value in (("due_within", due_within), ("limit", limit), ("offset", offset)):
        if value is not None and not 0 <= value <= MAX_COUNT:
            raise InvalidInput(f"须为 0 至 {MAX_COUNT} 之间的整数", field=name)
    try:
        stage_value = Stage(stage_) if stage_ else None
    except ValueError as exc:
        raise InvalidInput(f"未知阶段 {stage_!r}；可用：{Stage.choices()}", field="stage") from exc
    with st.context(today, write=False) as (session, c):
        dep_id = find_department(session, department).id if department else None
        flt = ListFilter(
            overdue=overdue,
            due_within=due_within,
            department_id=dep_id,
            handler_id=_handler_id(session, handler) if handler else None,
            stage=stage_value,
            open_only=open_only,
            limit=limit,
            offset=offset,
        )
        if as_json:  # streamed in batches: memory stays flat however many rows
            from disclosure.services.listing_stream import write_list_json

            write_list_json(session, office=c.office, today=c.today, flt=flt, write=_utf8_out())
            sys.stdout.write("\n")
            return
        rows = _listed_rows(session, c.office, c.today, flt)
        day = c.today
    from disclosure.cli.output import table
    from disclosure.services.views import days_left_text

    # A page (--limit, --offset) says which rows it shows, not a total it did not count.
    shown = (
        f"共 {len(rows)} 件"
        if limit is None and not offset
        else f"自第 {offset + 1} 件起 {len(rows)} 件"
    )
    table(
        f"申请列表（{day.isoformat()}，{shown}）",
        ["编号", "申请人", "部门", "阶段", "答复期限", "剩余工作日", "状态"],
        [
            [
                r.number,
                r.applicant,
                r.department_name or "",
                r.stage_label,
                (r.reply_due or "—") + ("（临时）" if r.provisional else ""),
                days_left_text(r.state, r.working_days_left),
                r.state_label,
            ]
            for r in rows
        ],
    )


def _utf8_out() -> Callable[[bytes], object]:
    """Where UTF-8 text goes to standard output: its byte stream when it is UTF-8 (after
    what was written as text), else decoded into it."""
    out = sys.stdout
    buffer = getattr(out, "buffer", None)
    if buffer is not None and codecs.lookup(out.encoding or "ascii").name == "utf-8":
        out.flush()
        return buffer.write  # type: ignore[no-any-return]
    return lambda text: out.write(text.decode())


def _handler_id(session: Session, handler: str) -> int | None:
    from disclosure.people.accounts import user_named

    return user_named(session, handler, field="handler").id


def _listed_rows(session: Session, office: Office, today: date, flt: ListFilter) -> list[Listed]:
    from disclosure.services.queries import department_names, list_application_rows
    from disclosure.services.read_model import listed

    deps = department_names(session)
    return [
        listed(r, office, today, deps)
        for r in list_application_rows(session, office=office, today=today, flt=flt)
    ]


def show(
    ctx: typer.Context, number: Number, today: TodayOpt = None, as_json: JsonOpt = False
) -> None:
    """显示申请详情、办理经过和每个期限的计算说明。"""
    from disclosure.cli.output import emit_json
    from disclosure.people.handoff import handoff_detail
    from disclosure.services.lookup import get_application
    from disclosure.services.queries import department_names
    from disclosure.services.views import detail

    st = state(ctx)
    with st.context(today, write=False) as (session, c):
        app = get_application(session, number)
        out = detail(session, app, c.office, c.today, department_names(session))
        out.update(handoff_detail(session, app, c.office))
    if as_json:
        emit_json(out)
        return
    from disclosure.cli.show_view import print_detail, print_handoff  # Rich: for people only

    print_detail(out)
    print_handoff(out)
