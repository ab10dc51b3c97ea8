"""`disclosure notify`: the reminder daemon, one scan (`--once`), and `notify status`."""

from __future__ import annotations

import signal
from typing import Annotated

import typer

from disclosure.cli.output import emit_json, table
from disclosure.cli.state import state
from disclosure.clock import now_utc

notify_app = typer.Typer(
    help="期限提醒邮件：不带子命令时按计划运行（守护进程）", invoke_without_command=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(notify_app, name="notify")


@notify_app.callback()
def notify(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="只扫描一次后退出")] = False,
    today: Annotated[
        str | None, typer.Option("--today", help="以该日为今天（YYYY-MM-DD，仅用于 --once）")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """运行期限提醒：默认按配置项 notifier.run_times 每日定时发送；--once 立即扫描一次。"""
    if ctx.invoked_subcommand is not None:
        return
    st = state(ctx)
    if once:
        from disclosure.ops.running import service_running
        from notifier.scan import run_once

        day = st.today(today) if today else None
        with service_running(st.settings, "notify --once"):  # not during a restore
            result = run_once(st.engine, st.settings, now=now_utc(), today=day)
        if as_json:
            emit_json(result.as_dict())
        else:
            _print_result(result)
        if result.undelivered:
            typer.echo(_failure_line(result), err=True)
            raise typer.Exit(DELIVERY_FAILED_EXIT)
        return
    _daemon(st)


def _print_result(result) -> None:  # type: ignore[no-untyped-def]
    if not result.working_day:
        typer.echo(f"{result.today} 不是工作日，未发送提醒。")
        return
    typer.echo(
        f"{result.today}：新增提醒 {result.queued} 条，已发送 {result.sent} 条"
        f"（{result.messages} 封邮件），失败 {result.failed} 条，待重试 {result.pending} 条。"
    )
    if result.outbox_dir:
        typer.echo(f"未配置 SMTP 服务器，邮件已写入：{result.outbox_dir}")


DELIVERY_FAILED_EXIT = 7  # some reminders were not delivered (see `notify status`)


def _failure_line(result) -> str:  # type: ignore[no-untyped-def]
    """One line: how many reminders were not delivered, and the first reason."""
    parts = []
    if result.retry:
        parts.append(f"{result.retry} 条将按退避时间自动重试")
    if result.failed:
        parts.append(f"{result.failed} 条不再重试")
    more = f"（共 {len(result.errors)} 个收件人未收到）" if len(result.errors) > 1 else ""
    return (
        f"错误：{result.undelivered} 条提醒未能发出（{'，'.join(parts)}）；"
        f"原因 {result.errors[0]}{more}。详见 disclosure notify status。"
    )


def _daemon(st) -> None:  # type: ignore[no-untyped-def]
    from disclosure.ops.running import service_running

    # Held from before the database is opened: `disclosure restore` waits for the daemon,
    # and the daemon does not start while a restore runs.
    with service_running(st.settings, "notify"):
        _schedule(st)


def _schedule(st) -> None:  # type: ignore[no-untyped-def]
    from notifier.scheduler import build_scheduler

    scheduler = build_scheduler(st.settings, st.engine)

    def _stop(signum, _frame):  # type: ignore[no-untyped-def]
        if scheduler.running:
            scheduler.shutdown(wait=False)  # start() returns; a running scan finishes first
        else:
            raise SystemExit(0)  # stopped before the scheduler was up

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    times = "、".join(st.settings.notifier.run_times)
    try:
        tz = st.settings.office.timezone
        typer.echo(f"期限提醒已启动：每日 {times}（{tz}），非工作日不发送。")
        scheduler.start()
    finally:
        typer.echo("期限提醒已停止。")


@notify_app.command("status")
def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """提醒发送情况：各状态数量、失败与待重试的提醒、节假日数据是否够用。"""
    from disclosure.db import transaction
    from disclosure.services.office import load_office
    from notifier import outbox
    from notifier.policy import CLOCK_LABELS, coverage_end

    st = state(ctx)
    engine = st.engine
    with transaction(engine, write=False) as s:
        office = load_office(s, st.settings)
    today = st.today(None)
    end = coverage_end(office.calendar)
    counts = outbox.counts(engine)
    rows = outbox.problems(engine)
    data = {
        "counts": counts,
        "calendar_covered_until": end.isoformat(),
        "calendar_warning": (end - today).days < st.settings.notifier.calendar_warning_days,
        "problems": [
            {
                "status": r.status,
                "recipient": r.recipient,
                "number": r.number,
                "clock": r.clock,
                "threshold": r.threshold,
                "due_on": r.due_on.isoformat(),
                "attempts": r.attempts,
                "next_attempt_at": r.next_attempt_at.isoformat(),
                "error": r.last_error,
            }
            for r in rows
        ],
    }
    if as_json:
        emit_json(data)
        return
    typer.echo(
        "提醒：已发送 {sent}，待发送 {pending}，发送中 {sending}，失败 {failed}".format(**counts)
    )
    typer.echo(f"节假日安排已载入至 {end.isoformat()}")
    if data["calendar_warning"]:
        typer.echo(f"警告：请尽快载入 {end.year + 1} 年的国务院节假日安排通知。")
    if rows:
        table(
            "失败与待重试的提醒",
            ["状态", "收件人", "登记编号", "期限类别", "到期日", "尝试次数", "错误"],
            [
                [
                    "失败" if r.status == "failed" else "待重试",
                    r.recipient,
                    r.number or "（系统）",
                    CLOCK_LABELS.get(r.clock, r.clock),
                    r.due_on.isoformat(),
                    r.attempts,
                    r.last_error,
                ]
                for r in rows
            ],
        )
