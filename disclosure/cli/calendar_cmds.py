"""Calendar commands: load a holiday notice, show a year."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from disclosure.cli.output import emit_json, table
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.services import calendar_years

JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON")]
TodayOpt = Annotated[str | None, typer.Option("--today", help="以该日为今天（YYYY-MM-DD）")]

calendar_app = typer.Typer(help="节假日安排：载入与查看", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(calendar_app, name="calendar")


def _state(ctx: typer.Context):  # type: ignore[no-untyped-def]
    from disclosure.cli.main import state

    return state(ctx)


@calendar_app.command("load")
def calendar_load(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="节假日安排文件（TOML）")],
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """载入国务院节假日安排，重新计算所有未办结申请并列出变动的期限。"""
    st = _state(ctx)
    day = st.today(today)
    with transaction(st.engine) as session:
        result = calendar_years.load_file(
            session, settings=st.settings, path=file, actor=st.actor, now=now_utc(), today=day
        )
    if as_json:
        emit_json(result.as_dict())
        return
    typer.echo(
        f"已载入 {', '.join(map(str, result.years))} 年节假日安排；"
        f"重新计算 {result.recomputed} 件未办结申请，{len(result.moved)} 件期限变动。"
    )
    if result.moved:
        table(
            "期限变动",
            ["编号", "原答复期限", "新答复期限", "原为临时"],
            [[m.number, m.old, m.new, "是" if m.was_provisional else "否"] for m in result.moved],
        )


@calendar_app.command("show")
def calendar_show(
    ctx: typer.Context, year: Annotated[int, typer.Argument()], as_json: JsonOpt = False
) -> None:
    """显示某年的放假和调休上班安排。"""
    st = _state(ctx)
    with transaction(st.engine, write=False) as session:
        info = calendar_years.year_overview(session, settings=st.settings, year=year)
    if as_json:
        emit_json(info)
        return
    status = "临时（按法定节假日暂估）" if info["provisional"] else "正式"
    typer.echo(f"{year} 年：{status}；来源：{'；'.join(info['sources']) or '—'}")
    table("放假", ["日期", "名称"], [[d["date"], d["name"]] for d in info["days_off"]])
    table(
        "调休上班", ["日期", "名称"], [[d["date"], d["name"]] for d in info["working_weekend_days"]]
    )
    typer.echo(f"全年工作日 {info['working_days']} 天")
