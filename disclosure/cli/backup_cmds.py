"""`disclosure backup [--out DIR]`, `disclosure backup verify FILE`, `disclosure restore FILE`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from disclosure.backup.archive import verify_backup
from disclosure.backup.schedule import run_backup
from disclosure.cli.state import state
from disclosure.clock import now_utc
from disclosure.timefmt import local_time

backup_app = typer.Typer(
    help="备份：数据库（服务运行中也可）、文档库、密钥和配置，附 SHA-256 清单",
    invoke_without_command=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(backup_app, name="backup")
    app.command("restore")(restore_cmd)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def _summary(manifest: dict[str, Any], tz: str) -> str:
    counts = manifest["database"]["counts"]
    documents = sum(1 for name in manifest["files"] if name.startswith("documents/"))
    return (
        f"{local_time(manifest['created_at'], tz)} 的备份：申请 {counts.get('application', 0)} 件，"
        f"办理记录 {counts.get('event', 0)} 条，用户 {counts.get('user', 0)} 个，"
        f"文档 {documents} 个"
    )


@backup_app.callback()
def backup(
    ctx: typer.Context,
    out: Annotated[
        Path | None, typer.Option("--out", help="备份到该目录（默认取配置项 backup.dir）")
    ] = None,
) -> None:
    """备份数据库、文档库、密钥和配置（服务运行中也可进行，得到一致的副本）。"""
    if ctx.invoked_subcommand is not None:
        return
    st = state(ctx)
    made = run_backup(st.engine, st.settings, actor=st.actor, now=now_utc(), out_dir=out)
    typer.echo(f"已备份：{made.path}（{_size(made.size)}，已校验）")
    typer.echo(_summary(made.manifest, st.settings.office.timezone))
    typer.echo(f"SHA-256：{made.sha256}")
    typer.echo("备份含个人信息和密钥，请存放在另一台机器或介质上并妥善保管。")


@backup_app.command("verify")
def verify(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="备份文件（.tar.gz）")],
) -> None:
    """校验备份：逐个文件核对 SHA-256，并检查其中的数据库能否完整读出。"""
    st = state(ctx)
    manifest = verify_backup(file, st.settings)
    typer.echo(f"备份完好：{file}")
    typer.echo(_summary(manifest, st.settings.office.timezone))


def restore_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="备份文件（.tar.gz）")],
    force: Annotated[
        bool, typer.Option("--force", help="目标已有数据时仍然覆盖（先另行备份现有数据）")
    ] = False,
) -> None:
    """从备份恢复到空数据库（请先停止网页和提醒服务）。"""
    st = state(ctx)
    # Restoring needs Alembic (about 0.1 s to import): loaded here, not for every command.
    from disclosure.backup.restore import restore_backup

    done = restore_backup(st.engine, st.settings, file, force=force, actor=st.actor, now=now_utc())
    typer.echo(f"已从备份恢复：{file}")
    typer.echo(_summary(done.manifest, st.settings.office.timezone) + "，逐表行数核对无误")
    if done.replaced is not None:
        typer.echo(f"原有数据已另行备份：{done.replaced}")
    for folder in done.set_aside:
        typer.echo(f"原有文档已移至：{folder}")
    if done.carried:  # numbers issued after the backup are not issued again
        typer.echo("为免重号，编号从恢复前接续：" + "；".join(done.carried))
    if any(p.get("name") == "config" for p in done.manifest.get("parts", [])):
        typer.echo(f"备份中的配置文件未覆盖当前配置；如需查看：tar -xzf {file} config/")
