"""`amend`: the audited correction of registration data, and of how and when the application
arrived (rulebook §3.3). Old and new values, who changed them and why go into the event log."""

from __future__ import annotations

from typing import Annotated, cast

import typer

from disclosure.cli.options import JsonOpt, Number, TodayOpt, parse_date
from disclosure.cli.state import state
from disclosure.cli.steps_cmds import done, record_steps
from disclosure.errors import InvalidInput
from disclosure.services import steps
from disclosure.vocabulary import Channel


def register(app: typer.Typer) -> None:
    app.command("amend")(amend)


def amend(
    ctx: typer.Context,
    number: Number,
    reason: Annotated[str, typer.Option("--reason", help="更正的理由（必填，记入办理经过）")],
    applicant: Annotated[str | None, typer.Option("--applicant", help="申请人姓名或名称")] = None,
    content: Annotated[str | None, typer.Option("--content", help="申请内容")] = None,
    email: Annotated[str | None, typer.Option("--email", help="电子邮箱")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="联系电话")] = None,
    address: Annotated[str | None, typer.Option("--address", help="通讯地址")] = None,
    form: Annotated[str | None, typer.Option("--form", help="获取信息的方式")] = None,
    channel: Annotated[
        str | None, typer.Option("--channel", help=f"提交方式：{Channel.choices()}")
    ] = None,
    arrived: Annotated[str | None, typer.Option("--arrived", help="送达日期（YYYY-MM-DD）")] = None,
    received: Annotated[
        str | None,
        typer.Option(
            "--received", help="法定收到日期（YYYY-MM-DD）；各项期限按更正后的日期重新计算"
        ),
    ] = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """更正登记信息或收到日期（原值和新值、更正人和理由记入办理经过；期限随之重算）。"""
    given = {
        "applicant": applicant,
        "content": content,
        "email": email,
        "phone": phone,
        "address": address,
        "form": form,
    }
    changes = tuple((k, v.strip()) for k, v in given.items() if v is not None)
    receipt = (channel, arrived, received)
    if not changes and receipt == (None, None, None):
        raise InvalidInput(
            "请指定要更正的项目，如 --applicant、--phone、--received", field="--applicant"
        )
    day = state(ctx).today(today)
    todo: list[steps.Step] = []
    if changes:
        todo.append(steps.Amendment(on=day, changes=changes, note=reason))
    if receipt != (None, None, None):
        todo.append(
            steps.ReceiptCorrection(
                on=day,
                note=reason,
                channel=channel.strip() if channel is not None else None,
                arrived=parse_date(arrived, "arrived"),
                received=parse_date(received, "received"),
            )
        )
    out = record_steps(ctx, number, *todo, today=today)
    done(out, as_json, "已" + "，".join(cast(list[str], out["recorded"])))  # what it corrected
