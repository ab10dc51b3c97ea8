"""`disclosure audit list`: the audit log, newest first, times in the office time zone."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from disclosure import audit
from disclosure.cli.options import parse_date
from disclosure.cli.output import emit_json, table
from disclosure.cli.state import state
from disclosure.db import transaction
from disclosure.errors import InvalidInput
from disclosure.timefmt import day_end, day_start
from disclosure.vocabulary import AuditAction, AuditChannel

audit_app = typer.Typer(
    help="审计日志：登录、用户与部门变更、导出、下载、备份", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")


@audit_app.command("list")
def audit_list(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help="自该日起（YYYY-MM-DD，含）")] = None,
    until: Annotated[str | None, typer.Option("--until", help="至该日止（YYYY-MM-DD，含）")] = None,
    user: Annotated[str | None, typer.Option("--user", help="仅该用户")] = None,
    action: Annotated[
        str | None, typer.Option("--action", help="仅该操作：" + AuditAction.choices())
    ] = None,
    personal: Annotated[
        bool, typer.Option("--personal-data", help="仅含身份证件号码等个人信息的操作")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100_000, help="最多条数")] = 200,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """列出审计日志（时间按本机关时区显示）。"""
    st = state(ctx)
    tz = st.settings.office.timezone
    first, last = parse_date(since, "since"), parse_date(until, "until")
    if action is not None and action not in AuditAction.labels():
        raise InvalidInput(f"未知的操作 {action!r}；可用：{AuditAction.choices()}", field="action")
    flt = audit.AuditFilter(
        since=day_start(first, tz) if first else None,
        until=day_end(last, tz) if last else None,
        actor=user,
        actions=[action] if action else [],
        personal_data_only=personal,
        limit=limit,
    )
    with transaction(st.engine, write=False) as session:
        rows = [audit.as_dict(e, tz) for e in audit.entries(session, flt)]
    if as_json:
        emit_json(rows)
        return
    table(
        f"审计日志（{len(rows)} 条，最新在前）",
        ["时间", "用户", "操作", "对象", "地址", "来源", "详情"],
        [
            [
                r["at_local"],
                escape(r["actor"]),
                r["action_label"] + ("（含个人信息）" if r["personal_data"] else ""),
                escape(r["target"]),
                escape(r["address"]),
                AuditChannel(r["via"]).label,
                escape(audit.clean(r["details_text"], 300)),
            ]
            for r in rows
        ],
    )
