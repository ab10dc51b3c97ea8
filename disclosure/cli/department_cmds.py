"""Department commands: list, add, edit, retire and reactivate."""

from __future__ import annotations

from typing import Annotated

import typer

from disclosure.audit import record as audit_record
from disclosure.cli.options import JsonOpt
from disclosure.cli.output import emit_json, table
from disclosure.cli.state import state
from disclosure.db import transaction
from disclosure.errors import InvalidInput
from disclosure.services.departments import (
    EDITABLE,
    add_department,
    edit_department,
    list_departments,
    set_department_active,
)
from disclosure.vocabulary import AuditAction, AuditChannel

department_app = typer.Typer(help="部门", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(department_app, name="department")


@department_app.command("list")
def department_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """列出部门。"""
    st = state(ctx)
    with transaction(st.engine, write=False) as session:
        rows = [d.model_dump(exclude={"id"}) for d in list_departments(session)]
    if as_json:
        emit_json(rows)
        return
    table(
        "部门",
        ["代码", "名称", "联系人", "邮箱", "状态"],
        [
            [r["code"], r["name"], r["contact"], r["email"], "启用" if r["active"] else "已停用"]
            for r in rows
        ],
    )


@department_app.command("add")
def department_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Option("--code", help="部门代码")],
    name: Annotated[str, typer.Option("--name", help="部门名称")],
    contact: Annotated[str, typer.Option("--contact", help="联系人")] = "",
    email: Annotated[str, typer.Option("--email", help="电子邮箱")] = "",
    phone: Annotated[str, typer.Option("--phone", help="电话")] = "",
) -> None:
    """新增部门（也可在 config.toml 的 departments 表中配置）。"""
    st = state(ctx)
    with transaction(st.engine) as session:
        add_department(
            session,
            code=code,
            name=name,
            contact=contact,
            email=email,
            phone=phone,
            actor=st.actor,
            via=AuditChannel.CLI,
        )
    typer.echo(f"已新增部门：{code} {name}")


CodeArg = Annotated[str, typer.Argument(metavar="代码", help="部门代码")]


@department_app.command("edit")
def department_edit(
    ctx: typer.Context,
    code: CodeArg,
    name: Annotated[str | None, typer.Option("--name", help="新的部门名称")] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="新的联系人")] = None,
    email: Annotated[str | None, typer.Option("--email", help="新的电子邮箱")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="新的电话")] = None,
) -> None:
    """修改部门名称或联系方式（部门代码不变；config.toml 中配置的部门请在配置文件中修改）。"""
    st = state(ctx)
    given = {"name": name, "contact": contact, "email": email, "phone": phone}
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes:
        raise InvalidInput("请至少指定一项要修改的内容（--name、--contact、--email、--phone）")
    configured = frozenset(d.code for d in st.settings.departments)
    with st.context() as (session, c):
        changed = edit_department(session, code, changes, configured=configured)
        audit_record(
            session,
            actor=c.actor,
            action=AuditAction.DEPARTMENT_CHANGED,
            target=code,
            details={"changes": changed},
            via=AuditChannel.CLI,
        )
    done = "；".join(
        f"{EDITABLE[k]}：{o or '（空）'} → {n or '（空）'}" for k, (o, n) in changed.items()
    )
    typer.echo(f"已修改部门 {code}：{done}")


def _set_active(ctx: typer.Context, code: str, active: bool) -> None:
    st = state(ctx)
    with st.context() as (session, c):
        dep = set_department_active(session, code, active)
        audit_record(
            session,
            actor=c.actor,
            action=AuditAction.DEPARTMENT_CHANGED,
            target=dep.code,
            details={"active": active},
            via=AuditChannel.CLI,
        )
    typer.echo(f"已{'启用' if active else '停用'}部门：{dep.code} {dep.name}")


@department_app.command("retire")
def department_retire(ctx: typer.Context, code: CodeArg) -> None:
    """停用部门：不再分办或登记给它，已有的申请和文书仍保留其名称（仍有办理中的申请时不能停用）。"""
    _set_active(ctx, code, False)


@department_app.command("reactivate")
def department_reactivate(ctx: typer.Context, code: CodeArg) -> None:
    """重新启用已停用的部门。"""
    _set_active(ctx, code, True)
