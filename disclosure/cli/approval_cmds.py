"""Sign-off commands: `draft`, `approve`, `send-back`, `approvals`, `approval-sheet`.

Each acts as the account given by `--as USERNAME` (its display name goes on the sheet and
its login into the event's actor); each mutation is one transaction through the catalogue of
steps (`disclosure.services.steps.approval_steps`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from disclosure.cli.options import JsonOpt, Number, TodayOpt, out_file
from disclosure.cli.output import emit_json
from disclosure.cli.state import state
from disclosure.errors import InvalidInput
from disclosure.people.approval_chain import ChainState, chains, roles_text
from disclosure.people.approval_sheet import approval_sheet, local_time
from disclosure.services import steps
from disclosure.services.deadlines import events_of
from disclosure.services.lookup import get_application
from disclosure.vocabulary import ApprovalPurpose

AsOpt = Annotated[str, typer.Option("--as", help="以该用户（用户名）的身份操作")]
ForOpt = Annotated[
    str | None, typer.Option("--for", help="审批事项：reply（答复）| extension（延期答复）")
]


def register(app: typer.Typer) -> None:
    for name, fn in (
        ("draft", draft),
        ("approve", approve),
        ("send-back", send_back),
        ("approvals", approvals),
        ("approval-sheet", sheet),
    ):
        app.command(name)(fn)


def parse_purpose(value: str | None) -> ApprovalPurpose | None:
    if value is None:
        return None
    try:
        return ApprovalPurpose(value.strip())
    except ValueError as exc:
        raise InvalidInput(f"审批事项须为 {ApprovalPurpose.choices()}", field="for") from exc


def state_json(s: ChainState, tz: str) -> dict[str, Any]:
    def sign(x: Any) -> dict[str, Any]:
        return {
            "kind": x.kind.value,
            "username": x.username,
            "name": x.name,
            "role": x.role,
            "text": x.text,
            "at": local_time(x.at, tz),
        }

    return {
        "purpose": s.purpose.value,
        "proposal": s.proposal,
        "outcome": s.code,
        "days": s.days,
        "chain": list(s.chain),
        "remaining": list(s.remaining),
        "approved": s.approved,
        "status": s.status,
        "draft": sign(s.draft),
        "approvals": [sign(a) for a in s.approvals],
        "sent_back": sign(s.sent_back) if s.sent_back else None,
    }


def _record(ctx: typer.Context, number: str, step: steps.Step, today: str | None) -> ChainState:
    with state(ctx).context(today) as (session, c):
        recorded = step.record(session, c, number)
        purpose = ApprovalPurpose((recorded.event.data or {})["purpose"])
        return chains(events_of(session, recorded.application))[purpose]


def _done(s: ChainState, number: str, done: str, as_json: bool, tz: str) -> None:
    if as_json:
        emit_json({"number": number, **state_json(s, tz)})
        return
    if s.sent_back is not None:
        after = "须重新拟办"
    elif s.remaining:
        after = f"尚待 {roles_text(s.remaining)} 审批"
    else:
        after = "审批完毕"
    typer.echo(f"{number}：{done}（{s.purpose.label}：{s.proposal}），{after}")


def draft(
    ctx: typer.Context,
    number: Number,
    as_user: AsOpt,
    outcome: Annotated[str, typer.Option("--outcome", help="拟办的答复结果代码")] = "",
    days: Annotated[int | None, typer.Option("--days", help="延期的拟办意见：延长工作日数")] = None,
    facts: Annotated[str, typer.Option("--facts", help="事实（查找、核实的情况）")] = "",
    reasons: Annotated[str, typer.Option("--reasons", help="理由和依据")] = "",
    purpose: ForOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """拟办：提出答复结果（或延期）和事实、理由，报请审批。"""
    st = state(ctx)
    chosen = parse_purpose(purpose) or (
        ApprovalPurpose.EXTENSION if days is not None else ApprovalPurpose.REPLY
    )
    if chosen is ApprovalPurpose.REPLY and not outcome.strip():
        raise InvalidInput("须填写拟办的答复结果代码", field="outcome")
    step = steps.Draft(
        on=st.today(today),
        by=as_user,
        purpose=chosen,
        code=outcome.strip(),
        days=days,
        note=facts,
        reasons=reasons,
    )
    s = _record(ctx, number, step, today)
    _done(s, number, "已拟办", as_json, st.settings.office.timezone)


def approve(
    ctx: typer.Context,
    number: Number,
    as_user: AsOpt,
    comment: Annotated[str, typer.Option("--comment", help="审批意见")] = "",
    purpose: ForOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """审批同意（须轮到该用户的审批角色）。"""
    st = state(ctx)
    step = steps.Approval(
        on=st.today(today), by=as_user, purpose=parse_purpose(purpose), note=comment
    )
    s = _record(ctx, number, step, today)
    _done(s, number, "已审批同意", as_json, st.settings.office.timezone)


def send_back(
    ctx: typer.Context,
    number: Number,
    as_user: AsOpt,
    reason: Annotated[str, typer.Option("--reason", help="退回理由")],
    purpose: ForOpt = None,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """退回拟办意见（须写明理由），承办人重新拟办。"""
    st = state(ctx)
    step = steps.SendBack(
        on=st.today(today), by=as_user, purpose=parse_purpose(purpose), note=reason
    )
    s = _record(ctx, number, step, today)
    _done(s, number, "已退回", as_json, st.settings.office.timezone)


def approvals(
    ctx: typer.Context, number: Number, today: TodayOpt = None, as_json: JsonOpt = False
) -> None:
    """显示拟办意见和审批进度。"""
    st = state(ctx)
    tz = st.settings.office.timezone
    with st.context(today, write=False) as (session, _c):
        found = chains(events_of(session, get_application(session, number)))
    if as_json:
        emit_json([state_json(s, tz) for s in found.values()])
        return
    if not found:
        typer.echo(f"{number}：尚无拟办意见")
    for s in found.values():
        typer.echo(f"{s.purpose.label}：{s.proposal}（拟办人 {s.draft.name}），{s.status}")
        for a in s.approvals:
            typer.echo(f"  {a.role_label} {a.name} 同意 {local_time(a.at, tz)} {a.text}")
        if s.sent_back:
            b = s.sent_back
            typer.echo(f"  {b.role_label} {b.name} 退回 {local_time(b.at, tz)} {b.text}")
        if s.remaining and not s.sent_back:
            typer.echo(f"  尚待 {roles_text(s.remaining)} 审批")


def sheet(
    ctx: typer.Context,
    number: Number,
    out: Annotated[Path, typer.Option("--out", help="保存为 .docx 文件")],
    purpose: ForOpt = None,
    today: TodayOpt = None,
) -> None:
    """生成政府信息公开申请办理审批表（.docx）。"""
    out_file(out, ".docx")
    st = state(ctx)
    chosen = parse_purpose(purpose) or ApprovalPurpose.REPLY
    with st.context(today, write=False) as (session, c):
        content = approval_sheet(session, c, number, chosen)
    out.write_bytes(content)
    typer.echo(f"已生成审批表：{out}")
