"""Department commands: list and add."""

from __future__ import annotations

from typing import Annotated

import typer

from disclosure.cli.options import JsonOpt
from disclosure.cli.output import emit_json, table
from disclosure.cli.state import state
from disclosure.db import transaction
from disclosure.services.departments import add_department, list_departments

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
        ["代码", "名称", "联系人", "邮箱"],
        [[r["code"], r["name"], r["contact"], r["email"]] for r in rows],
    )


@department_app.command("add")
def department_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Option("--code", help="部门代码")],
    name: Annotated[str, typer.Option("--name", help="部门名称")],
    contact: Annotated[str, typer.Option("--contact", help="联系人")] = "",
    email: Annotated[str, typer.Option("--email", help="电子邮箱")] = "",
) -> None:
    """新增部门（也可在 config.toml 的 [[departments]] 中配置）。"""
    st = state(ctx)
    with transaction(st.engine) as session:
        add_department(session, code=code, name=name, contact=contact, email=email)
    typer.echo(f"已新增部门：{code} {name}")
