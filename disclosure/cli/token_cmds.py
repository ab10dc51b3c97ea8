"""The API's admin commands: `disclosure token add | list | revoke` (the secret is shown
once), `disclosure webhook add | list | revoke | deliver` and `disclosure platform-import`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from disclosure.api import platform_import as platform
from disclosure.api import tokens, webhook_deadlines, webhooks
from disclosure.api.models import DEFAULT_RATE
from disclosure.cli.options import JsonOpt, TodayOpt
from disclosure.cli.output import emit_json, table
from disclosure.cli.state import state
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import InvalidInput
from disclosure.services.office import load_office
from disclosure.timefmt import local_time

token_app = typer.Typer(help="API 令牌：新增、查看与撤销", no_args_is_help=True)
webhook_app = typer.Typer(help="事件推送（Webhook）：订阅、查看、取消与发送", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(token_app, name="token")
    app.add_typer(webhook_app, name="webhook")
    app.command("platform-import")(platform_import)


@token_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="令牌名称（调用方系统，如 platform）")],
    scope: Annotated[str, typer.Option("--scope", help="read（只读）| write（读写）")] = "read",
    department: Annotated[
        str | None, typer.Option("--department", help="仅限该部门的申请（默认全部）")
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--source", help="推送申请的来源（external_ref 按来源去重；默认同名称）"),
    ] = None,
    rate: Annotated[int, typer.Option("--rate", help="每分钟请求上限")] = DEFAULT_RATE,
    as_json: JsonOpt = False,
) -> None:
    """新增一个 API 令牌；令牌只显示这一次，请妥善保存。"""
    st = state(ctx)
    with transaction(st.engine) as session:
        row, secret = tokens.add_token(
            session,
            name=name,
            scope=scope,
            department=department,
            source=source,
            rate_per_minute=rate,
            actor=st.actor,
            now=now_utc(),
        )
        shown = {
            "name": row.name,
            "source": row.source,
            "scope": row.scope,
            "department": department,
            "rate_per_minute": row.rate_per_minute,
            "created_at": row.created_at.isoformat(),
            "token": secret,
        }
    if as_json:
        emit_json(shown)
        return
    typer.echo(f"已创建令牌 {name}（{'读写' if scope == 'write' else '只读'}）：{secret}")
    typer.echo("令牌只显示这一次，请立即保存；遗失后只能撤销并新建。")


@token_app.command("list")
def list_cmd(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """列出 API 令牌（不显示令牌本身）。"""
    st = state(ctx)
    with transaction(st.engine, write=False) as session:
        rows = tokens.list_tokens(session)
    if as_json:
        emit_json(rows)  # the moments as stored (ISO 8601, UTC), for machines
        return
    tz = st.settings.office.timezone  # the table is read by people: office time
    table(
        f"API 令牌（共 {len(rows)} 个）",
        ["名称", "来源", "权限", "部门", "每分钟上限", "创建时间", "创建人", "撤销时间"],
        [
            [
                r["name"],
                r["source"],
                "读写" if r["scope"] == "write" else "只读",
                r["department"] or "全部",
                r["rate_per_minute"],
                local_time(r["created_at"], tz),
                r["created_by"],
                local_time(r["revoked_at"], tz),
            ]
            for r in rows
        ],
    )


@token_app.command("revoke")
def revoke(ctx: typer.Context, name: Annotated[str, typer.Argument(help="令牌名称")]) -> None:
    """撤销一个 API 令牌（立即失效，记录保留）。"""
    st = state(ctx)
    with transaction(st.engine) as session:
        tokens.revoke_token(
            session, name=name, actor=st.actor, now=now_utc(), tz=st.settings.office.timezone
        )
    typer.echo(f"已撤销令牌 {name}")


@webhook_app.command("add")
def webhook_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="订阅名称")],
    url: Annotated[str, typer.Option("--url", help="接收推送的地址（http:// 或 https://）")],
    as_json: JsonOpt = False,
) -> None:
    """订阅事件推送：此后每条办理记录都签名推送到该地址；签名密钥只显示这一次。"""
    st = state(ctx)
    with transaction(st.engine) as session:
        row, secret = webhooks.add_webhook(
            session, name=name, url=url, actor=st.actor, now=now_utc()
        )
        shown = {"name": row.name, "url": row.url, "secret": secret}
    if as_json:
        emit_json(shown)
        return
    typer.echo(f"已订阅 {name} → {url}；签名密钥（只显示这一次）：{secret}")


@webhook_app.command("list")
def webhook_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """列出订阅及其待发、已发、失败的推送。"""
    with transaction(state(ctx).engine, write=False) as session:
        rows = webhooks.list_webhooks(session)
    if as_json:
        emit_json(rows)
        return
    table(
        f"事件推送订阅（共 {len(rows)} 个）",
        ["名称", "地址", "待发", "已发", "失败", "最近错误", "取消时间"],
        [
            [
                r["name"],
                r["url"],
                r["pending"],
                r["delivered"],
                r["failed"],
                r["last_error"],
                r["revoked_at"] or "",
            ]
            for r in rows
        ],
    )


@webhook_app.command("revoke")
def webhook_revoke(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="订阅名称")]
) -> None:
    """取消订阅（不再推送，记录保留）。"""
    st = state(ctx)
    with transaction(st.engine) as session:
        webhooks.revoke_webhook(session, name=name, actor=st.actor, now=now_utc())
    typer.echo(f"已取消订阅 {name}")


@webhook_app.command("deliver")
def webhook_deliver(ctx: typer.Context, today: TodayOpt = None) -> None:
    """把新记录和期限状态（即将到期、已超期）排入推送队列并发送到期的推送（失败的按间隔重试）。

    办公服务（disclosure office）每分钟自动执行，无需手动运行。"""
    st = state(ctx)
    with transaction(st.engine, write=False) as session:
        office = load_office(session, st.settings)
    done = webhook_deadlines.deliver_all(
        st.engine, office=office, today=st.today(today), now=now_utc()
    )
    typer.echo(
        f"新排入 {done.queued} 条；已送达 {done.delivered}，待重试 {done.retrying}，"
        f"失败 {done.failed}"
    )


def platform_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="在线平台导出的 .xlsx 或 .csv 文件")],
    source: Annotated[
        str | None,
        typer.Option("--source", help="来源（与推送令牌的来源一致；默认取配置项 platform.source）"),
    ] = None,
    columns: Annotated[
        Path | None, typer.Option("--columns", help='列名对照 JSON：{"字段": "列名"}')
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查，不写入")] = False,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """导入在线平台的申请导出文件：逐行检查，全部无误才登记；已推送过的平台编号跳过。

    与 `disclosure import FILE --source platform` 相同。"""
    run_platform_import(
        ctx, file, source=source, columns=columns, dry_run=dry_run, today=today, as_json=as_json
    )


def run_platform_import(
    ctx: typer.Context,
    file: Path,
    *,
    source: str | None,
    columns: Path | None,
    dry_run: bool,
    today: str | None,
    as_json: bool,
) -> None:
    """The platform import behind `platform-import` and `import --source platform`: column
    names from config.toml's `[platform.columns]`, then `--columns`; nothing written on error."""
    st = state(ctx)
    base = platform.configured_columns(st.settings.platform.columns)
    mapping = platform.load_columns(columns, base)
    origin = source or st.settings.platform.source
    with st.context(today) as (session, c):
        report = platform.import_platform(
            session, ctx=c, path=file, source=origin, columns=mapping, dry_run=dry_run
        )
    if as_json:
        emit_json(report.as_dict())
        if report.errors:
            raise typer.Exit(2)
        return
    for problem in report.errors[:50]:
        typer.echo(str(problem), err=True)
    if report.errors:
        more = len(report.errors) - 50
        extra = f"（另有 {more} 处未列出）" if more > 0 else ""
        raise InvalidInput(f"{len(report.errors)} 处问题{extra}，未导入任何申请", field="FILE")
    done = "检查通过（未写入）" if dry_run else f"已登记 {report.imported} 件"
    typer.echo(f"共 {report.rows} 行：{done}，已导入过而跳过 {report.skipped} 件")
