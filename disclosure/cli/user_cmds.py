"""`disclosure user …`: web accounts. This module builds the group: `add` and `list` here,
the password and status commands from `account_cmds`, `email` from `handoff_cmds`."""

from __future__ import annotations

import getpass
import os
from typing import Annotated

import typer

from disclosure import audit
from disclosure.cli import account_cmds, handoff_cmds
from disclosure.cli.state import state
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.models import Role
from disclosure.services import users as user_svc
from disclosure.services.departments import list_departments
from disclosure.vocabulary import ApprovalRole, AuditAction


def register(app: typer.Typer) -> None:
    users = typer.Typer(help="网页账号：新增与查看", no_args_is_help=True)
    users.command("add")(user_add)
    users.command("list")(user_list)
    account_cmds.add_user_commands(users)
    handoff_cmds.add_user_commands(users)
    app.add_typer(users, name="user")


def user_add(
    ctx: typer.Context,
    username: Annotated[str, typer.Option("--username", help="用户名")],
    role: Annotated[
        str,
        typer.Option(
            "--role",
            help="admin（系统管理员） | clerk（公开办经办人） | department（部门经办人）",
        ),
    ],
    department: Annotated[
        str | None, typer.Option("--department", help="所属部门（部门经办人必填）")
    ] = None,
    password: Annotated[
        str | None, typer.Option("--password", help="密码（不填则提示输入或自动生成）")
    ] = None,
    display_name: Annotated[str, typer.Option("--name", help="姓名")] = "",
    generate: Annotated[bool, typer.Option("--generate", help="自动生成密码")] = False,
) -> None:
    """新增网页账号（包括第一个管理员）。"""
    st = state(ctx)
    shown = None
    if password is None:
        if generate or not os.isatty(0):
            password = shown = user_svc.generate_password()
        else:
            password = getpass.getpass("密码（留空自动生成）：") or None
            if password is None:
                password = shown = user_svc.generate_password()
    with transaction(st.engine) as session:
        user = user_svc.create_user(
            session,
            username=username,
            password=password,
            role=role,
            department=department,
            display_name=display_name,
            now=now_utc(),
        )
        name = user.username
        audit.record(
            session,
            actor=st.actor,
            action=AuditAction.USER_CREATED,
            target=name,
            details={"role": user.role, "generated_password": shown is not None},
        )
    typer.echo(f"已新增用户 {name}（{Role(user.role).label}）")
    if shown:
        typer.echo(f"密码：{shown}（只显示这一次）")


def user_list(ctx: typer.Context) -> None:
    """列出网页账号。"""
    from disclosure.cli.output import table

    st = state(ctx)
    with transaction(st.engine, write=False) as session:
        names = {d.id: d.name for d in list_departments(session)}
        rows = [
            [
                u.username,
                u.display_name,
                Role(u.role).label,
                names.get(u.department_id, ""),
                ApprovalRole(u.approval_role).label if u.approval_role else "",
                u.email,
                "启用" if u.active else "停用",
            ]
            for u in user_svc.list_users(session)
        ]
    table("用户", ["用户名", "姓名", "角色", "部门", "审批角色", "提醒邮箱", "状态"], rows)
