"""Hand-off commands: `accept` (签收), `return` (退回), `cooperation-answer` (协办回复), and
`user email` (where a handler's reminders go).

`accept` and `return` act as the account given by `--as USERNAME` (default: the configured
operator), which must belong to the lead department; each mutation is one transaction
through the catalogue of steps (`disclosure.services.steps.handoff_steps`).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from disclosure import audit
from disclosure.cli.options import JsonOpt, NoteOpt, Number, TodayOpt, parse_date
from disclosure.cli.output import emit_json
from disclosure.cli.state import state
from disclosure.db import transaction
from disclosure.people import accounts
from disclosure.people.handoff import handoff_view
from disclosure.services import steps
from disclosure.services.deadlines import events_of
from disclosure.vocabulary import AuditAction

AsOpt = Annotated[
    str | None, typer.Option("--as", help="以该用户（用户名）的身份操作；默认为配置的操作人")
]
OnOpt = Annotated[str | None, typer.Option("--date", help="日期 YYYY-MM-DD（默认今天）")]


def register(app: typer.Typer) -> None:
    for name, fn in (
        ("accept", accept),
        ("return", return_cmd),
        ("cooperation-answer", cooperation_answer),
    ):
        app.command(name)(fn)


def add_user_commands(users: typer.Typer) -> None:
    """`user email` in the `user` group (`user_cmds` builds it)."""
    users.command("email")(user_email)


def _record(ctx: typer.Context, number: str, step: steps.Step, today: str | None) -> dict[str, Any]:
    with state(ctx).context(today) as (session, c):
        recorded = step.record(session, c, number)
        app = recorded.application
        out: dict[str, Any] = {"number": app.number, "event": recorded.event.kind}
        out["recorded_at"] = recorded.event.recorded_at.isoformat()
        out.update(handoff_view(app, events_of(session, app), c.office))
        return out


def _hand_off(
    ctx: typer.Context,
    number: str,
    kind: type[steps.Acceptance] | type[steps.Return],
    as_user: str | None,
    date: str | None,
    note: str,
    today: str | None,
) -> dict[str, Any]:
    """Record a sign-for or a return, dated `--date` (default today), by `--as` (default the
    operator)."""
    st = state(ctx)
    day = parse_date(date, "on") or st.today(today)
    return _record(ctx, number, kind(on=day, by=as_user or st.actor, note=note), today)


def _emit(out: dict[str, Any], as_json: bool, done: str) -> None:
    if as_json:
        emit_json(out)
    else:
        typer.echo(f"{out['number']}：{done}")


def accept(
    ctx: typer.Context,
    number: Number,
    as_user: AsOpt = None,
    date: OnOpt = None,
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """主办部门签收分办的申请。"""
    out = _hand_off(ctx, number, steps.Acceptance, as_user, date, note, today)
    _emit(out, as_json, f"{out['handoff']['by']} 已签收")


def return_cmd(
    ctx: typer.Context,
    number: Number,
    reason: Annotated[str, typer.Option("--reason", help="退回的理由（必填）")] = "",
    as_user: AsOpt = None,
    date: OnOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """主办部门将分办的申请退回公开办（须写明理由），由公开办重新分办。"""
    out = _hand_off(ctx, number, steps.Return, as_user, date, reason, today)
    _emit(out, as_json, f"{out['handoff']['by']} 已退回，理由：{reason.strip()}")


def cooperation_answer(
    ctx: typer.Context,
    number: Number,
    department: Annotated[str, typer.Option("--department", help="协办部门")],
    as_user: Annotated[str, typer.Option("--as", help="协办部门的用户（用户名，可不填）")] = "",
    date: OnOpt = None,
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录协办部门的答复（协办函的回复）。"""
    st = state(ctx)
    day = parse_date(date, "on") or st.today(today)
    step = steps.CooperationAnswer(on=day, department=department, by=as_user, note=note)
    out = _record(ctx, number, step, today)
    _emit(out, as_json, f"已记录协办部门 {department} 的答复")


def user_email(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="用户名")],
    address: Annotated[str, typer.Argument(help="电子邮箱（空字符串为取消）")],
) -> None:
    """设置用户的电子邮箱（承办人的提醒邮件发往该地址）。"""
    st = state(ctx)
    with transaction(st.engine) as session:
        user, old = accounts.set_email(session, username=username, address=address)
        value = user.email
        audit.record(
            session,
            actor=st.actor,
            action=AuditAction.USER_CHANGED,
            target=user.username,
            details={"email": {"old": old, "new": value}},
        )
    typer.echo(f"用户 {username} 的电子邮箱：{value or '无'}")
