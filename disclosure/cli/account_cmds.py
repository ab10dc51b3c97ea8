"""Account commands added to `disclosure user`: the sign-off role, passwords, enable/disable.

Passwords are asked for at the terminal (never echoed); `--current` and `--new` are for
scripts. Every change writes its audit entry in the same transaction.
"""

from __future__ import annotations

import getpass
import os
from typing import Annotated

import typer

from disclosure import audit
from disclosure.cli.state import state
from disclosure.db import transaction
from disclosure.errors import InvalidInput
from disclosure.people import accounts
from disclosure.vocabulary import ApprovalRole, AuditAction

Username = Annotated[str, typer.Argument(help="用户名")]


def add_user_commands(users: typer.Typer) -> None:
    """Its commands in the `user` group (`user_cmds` builds it)."""
    users.command("approval-role")(approval_role)
    users.command("passwd")(passwd)
    users.command("reset")(reset)
    users.command("disable")(disable)
    users.command("enable")(enable)


def _ask(value: str | None, prompt: str) -> str:
    if value is not None:
        return value
    if not os.isatty(0):
        raise InvalidInput("未在终端运行：请用选项提供密码", field="password")
    return getpass.getpass(prompt)


def passwd(
    ctx: typer.Context,
    username: Username,
    current: Annotated[
        str | None, typer.Option("--current", help="当前密码（不填则提示输入）")
    ] = None,
    new: Annotated[str | None, typer.Option("--new", help="新密码（不填则提示输入两次）")] = None,
) -> None:
    """修改自己的密码（至少 10 个字符，不能与用户名相同，不能是常见密码）。"""
    st = state(ctx)
    old = _ask(current, "当前密码：")
    if new is None:
        new = _ask(None, "新密码：")
        if _ask(None, "再次输入新密码：") != new:
            raise InvalidInput("两次输入的新密码不一致", field="password")
    with transaction(st.engine) as session:
        try:
            user = accounts.change_password(session, username=username, current=old, new=new)
        except InvalidInput as exc:
            exc.field = "new" if exc.field == "password" else exc.field
            raise
        audit.record(
            session, actor=user.username, action=AuditAction.PASSWORD_CHANGED, target=user.username
        )
    typer.echo(f"用户 {username} 的密码已修改，其他已登录的会话均已退出。")


def reset(ctx: typer.Context, username: Username) -> None:
    """（管理员）重置他人密码：生成一次性密码，下次登录时须修改。"""
    st = state(ctx)
    with transaction(st.engine) as session:
        user, password = accounts.reset_password(session, username=username)
        audit.record(
            session,
            actor=st.actor,
            action=AuditAction.PASSWORD_CHANGED,
            target=user.username,
            details={"reset": True, "one_time": True},
        )
    typer.echo(f"用户 {username} 的一次性密码：{password}（只显示这一次；下次登录时须修改）")


def _set_enabled(ctx: typer.Context, username: str, active: bool) -> None:
    st = state(ctx)
    with transaction(st.engine) as session:
        user = accounts.set_enabled(session, username=username, active=active)
        audit.record(
            session,
            actor=st.actor,
            action=AuditAction.USER_ENABLED if active else AuditAction.USER_DISABLED,
            target=user.username,
        )
    typer.echo(f"用户 {username} 已{'启用' if active else '停用（已退出所有登录）'}")


def disable(ctx: typer.Context, username: Username) -> None:
    """停用账号（立即退出其所有登录；不能停用唯一的管理员）。"""
    _set_enabled(ctx, username, False)


def enable(ctx: typer.Context, username: Username) -> None:
    """重新启用账号。"""
    _set_enabled(ctx, username, True)


def approval_role(
    ctx: typer.Context,
    username: Username,
    role: Annotated[
        str, typer.Argument(metavar="角色", help=f"{ApprovalRole.choices()} | none（取消）")
    ],
) -> None:
    """设置用户在审批链中的角色（承办部门负责人、公开办负责人、分管领导）。"""
    st = state(ctx)
    with transaction(st.engine) as session:
        user = accounts.set_approval_role(session, username=username, role=role)
        audit.record(
            session,
            actor=st.actor,
            action=AuditAction.USER_CHANGED,
            target=user.username,
            details={"approval_role": user.approval_role},
        )
        shown = ApprovalRole(user.approval_role).label if user.approval_role else "无"
    typer.echo(f"用户 {username} 的审批角色：{shown}")
