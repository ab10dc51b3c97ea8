"""Web commands: `serve`, `office` (the quick start) and `user add/list`."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from disclosure import audit
from disclosure.backup.schedule import start_backup_schedule
from disclosure.cli.state import AppState, state
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.models import Role
from disclosure.services import users as user_svc
from disclosure.settings import CONFIG_ENV
from disclosure.vocabulary import AuditAction, AuditChannel

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler

ADMIN_PASSWORD_ENV = "DISCLOSURE_ADMIN_PASSWORD"
# uvicorn's own proxy-header handling trusts X-Forwarded-For from 127.0.0.1 by default; the
# app applies it itself, only for `[web] trusted_proxies` (web.app.create_app).
UVICORN_OPTIONS: dict[str, Any] = {
    "log_level": "info",
    "access_log": False,
    "proxy_headers": False,
}


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("office")(office)


def _run(st: AppState, host: str, port: int, workers: int = 1) -> None:
    # uvicorn finishes its requests on SIGTERM (systemd, `kill`) and then raises the signal
    # again; without a handler of ours the process would die there, before the `finally`
    # blocks that stop the schedulers and take the running-lock away (disclosure.ops.running).
    signal.signal(signal.SIGTERM, _stopped)
    _serve(st, host, port, workers)


def _stopped(_signum: int, _frame: object) -> None:
    raise SystemExit(0)  # stopped on request, as with Ctrl+C


def _serve(st: AppState, host: str, port: int, workers: int) -> None:
    # The web stack (uvicorn, FastAPI) is loaded by the serving commands only: every other
    # command starts without it (issue 19: CLI start-up).
    import uvicorn

    if workers > 1:
        # Worker processes import the app themselves: pass the config by environment.
        st.engine.dispose()  # migrated already; the workers open their own connections
        if st.config is not None:
            os.environ[CONFIG_ENV] = str(Path(st.config).resolve())
        uvicorn.run(
            "disclosure.web.app:create_app_from_env",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            **UVICORN_OPTIONS,
        )
        return
    from disclosure.web.app import create_app
    from disclosure.web.server import tune_process

    web_app = create_app(st.settings, st.engine, on_start=tune_process)
    uvicorn.run(web_app, host=host, port=port, **UVICORN_OPTIONS)


def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option("--host", help="监听地址（默认见配置）")] = None,
    port: Annotated[int | None, typer.Option("--port", help="端口（默认见配置）")] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=32, help="工作进程数（默认 1；可设为 CPU 核数）")
    ] = 1,
) -> None:
    """启动网页界面。"""
    st = state(ctx)
    from disclosure.ops.running import service_running

    # Held from before the database is opened: `disclosure restore` waits for it to stop,
    # and it does not start while a restore runs.
    with service_running(st.settings, "serve"):
        h, p = host or st.settings.web.host, port or st.settings.web.port
        with transaction(st.engine, write=False) as session:
            users = user_svc.count_users(session)
        if users == 0:
            typer.echo(
                "尚无网页账号：请先运行 disclosure user add --username admin --role admin "
                "创建第一个管理员（disclosure office 会自动创建）。"
            )
        shown = f"，{workers} 个工作进程" if workers > 1 else ""
        typer.echo(f"网页界面：http://{h}:{p}/{shown}  （按 Ctrl+C 停止）")
        _warn_if_exposed(h)
        _run(st, h, p, workers)


def _warn_if_exposed(host: str) -> None:
    """Say so when the service listens beyond this machine (README: serving the intranet)."""
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(
            f"注意：监听地址 {host} 可被其他计算机访问；内网使用请置于 HTTPS 反向代理之后，"
            "并设置 [web] https 与 trusted_proxies（见 README“在内网提供服务”）。"
        )


def _ensure_admin(st) -> str | None:  # type: ignore[no-untyped-def]
    """Create `admin` when there are no users; returns the password to show, if any."""
    with transaction(st.engine) as session:
        if user_svc.count_users(session) > 0:
            return None
        password = os.environ.get(ADMIN_PASSWORD_ENV) or user_svc.generate_password()
        user_svc.create_user(
            session,
            username="admin",
            password=password,
            role=Role.ADMIN.value,
            display_name="系统管理员",
            now=now_utc(),
        )
        audit.record(
            session,
            actor=st.actor,
            action=AuditAction.USER_CREATED,
            target="admin",
            details={"role": Role.ADMIN.value, "first_admin": True},
            via=AuditChannel.SERVICE,
        )
    return password


def _start_scheduler(st: AppState) -> BaseScheduler | None:
    try:
        from notifier.scheduler import build_scheduler
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("notifier"):
            typer.echo("提示：未安装期限提醒模块（notifier），不发送提醒邮件。")
            return None
        raise
    scheduler = build_scheduler(st.settings, st.engine, background=True)
    scheduler.start()
    times = "、".join(st.settings.notifier.run_times)
    typer.echo(f"期限提醒：每个工作日 {times} 检查并发送。")
    return scheduler


def _start_backups(st: Any) -> Any:
    s = st.settings
    scheduler = start_backup_schedule(s, st.engine)
    if scheduler is None:
        typer.echo("未设置每日备份（[backup] time 为空）：请定期运行 disclosure backup。")
    else:
        where = s.resolve(s.backup.dir)
        typer.echo(f"每日备份：{s.backup.time} 写入 {where}，保留最近 {s.backup.keep} 份。")
    return scheduler


def office(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option("--host", help="监听地址（默认取配置项 web.host，即 127.0.0.1）")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option("--port", min=1, max=65535, help="端口（默认取配置项 web.port，即 8000）"),
    ] = None,
) -> None:
    """一键启动：准备数据库、首个管理员账号、期限提醒和网页界面。"""
    st = state(ctx)
    from disclosure.ops.running import service_running

    # Held from before the database is created or migrated (see `serve`).
    with service_running(st.settings, "office"):
        _office(st, host, port)


def _office(st: AppState, host: str | None, port: int | None) -> None:
    engine = st.engine  # creates or migrates the database
    typer.echo(f"数据库：{engine.url.render_as_string(hide_password=True)}")
    password = _ensure_admin(st)
    s = st.settings
    h, p = host or s.web.host, port or s.web.port
    url = f"http://{h}:{p}/"
    if s.smtp.host:
        typer.echo(f"提醒邮件经 SMTP 服务器 {s.smtp.host}:{s.smtp.port} 发出。")
    else:
        outbox = s.resolve(s.notifier.outbox_dir)
        typer.echo(f"未配置 SMTP 服务器：提醒邮件保存为 .eml 文件，位于 {outbox}")
    scheduler = _start_scheduler(st)
    backups = _start_backups(st)
    typer.echo(f"请用浏览器打开 {url} 登录。")
    _warn_if_exposed(h)
    if password is not None:
        shown = (
            "（取自环境变量 " + ADMIN_PASSWORD_ENV + "）"
            if os.environ.get(ADMIN_PASSWORD_ENV)
            else password
        )
        typer.echo(f"已创建管理员账号：用户名 admin，密码 {shown}")
        typer.echo("该密码只显示这一次，请登录后在“用户”页面为同事创建账号。")
    try:
        _run(st, h, p)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        if backups is not None:
            backups.shutdown(wait=False)
