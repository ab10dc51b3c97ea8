"""Key-task ledger commands (重点任务台账): import the year's 分工方案, follow up, review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from disclosure.cli.options import out_file, parse_date, require_date
from disclosure.cli.output import emit_json, table
from disclosure.cli.state import state
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import InvalidInput, readable_file
from disclosure.services.departments import find_department
from disclosure.storage import file_store
from disclosure.tasks import service
from disclosure.tasks.evidence import EvidenceInput, fetch_url, from_path, is_url
from disclosure.tasks.importer import TaskImport, import_plan
from disclosure.tasks.review import review_year
from disclosure.vocabulary import TaskStatus

JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON")]
TodayOpt = Annotated[str | None, typer.Option("--today", help="以该日为今天（YYYY-MM-DD）")]
YearOpt = Annotated[int, typer.Option("--year", help="工作要点所属年度")]

tasks_app = typer.Typer(help="政务公开工作要点重点任务台账", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(tasks_app, name="tasks")


def _year(year: int) -> int:
    if not 1990 <= year <= 2999:
        raise InvalidInput(f"年度不合理：{year}", field="year")
    return year


@tasks_app.command("import")
def import_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="分工方案表格（.xlsx、.docx 或 .csv）")],
    year: YearOpt,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只校验，不写入")] = False,
    create_departments: Annotated[
        bool, typer.Option("--create-departments", help="自动创建未配置的部门")
    ] = False,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """导入分工方案（工作任务 / 具体要求 / 落实单位）：逐行校验，全部无误才写入。"""
    st = state(ctx)
    day = st.today(today)
    readable_file(file, "file")
    with transaction(st.engine) as session:
        result = import_plan(
            session,
            path=file,
            year=_year(year),
            settings=st.settings,
            today=day,
            actor=st.actor,
            now=now_utc(),
            dry_run=dry_run,
            create_departments=create_departments,
        )
    _print_import(result, as_json)
    if not result.ok:
        raise typer.Exit(2)


def _print_import(result: TaskImport, as_json: bool) -> None:
    if as_json:
        emit_json(result.as_dict())
        return
    if result.problems:
        table(
            f"分工方案有 {len(result.problems)} 处问题，未导入任何任务",
            ["行", "列", "问题"],
            [[p.row, p.column, p.problem] for p in result.problems],
        )
        return
    rows = [
        [
            t.row,
            t.title,
            t.requirement[:30],
            "各处室" if t.lead_all and not t.leads else "、".join(t.leads),
            "、".join(t.cooperating) + ("各处室" if t.cooperating_all else ""),
            t.due_on.isoformat() if t.due_on else "持续推进",
        ]
        for t in result.tasks
    ]
    table(
        f"{result.year} 年度重点任务（共 {len(result.tasks)} 项）",
        ["行", "工作任务", "具体要求", "牵头", "配合", "完成时限"],
        rows,
    )
    if result.created_departments:
        typer.echo(f"已创建部门：{'、'.join(result.created_departments)}")
    if result.dry_run:
        typer.echo(f"校验通过：{len(result.tasks)} 项任务均可导入（未写入，--dry-run）")
    else:
        typer.echo(f"已导入 {result.imported} 项重点任务")


def _task_rows(tasks: list[dict[str, Any]]) -> list[list[Any]]:
    return [
        [
            t["id"],
            t["code"],
            t["title"],
            t["lead_label"],
            t["cooperating_label"],
            t["due_on"] or f"持续推进（下次报送 {t['next_report_due'] or '—'}）",
            t["status_label"],
        ]
        for t in tasks
    ]


@tasks_app.command("list")
def list_cmd(
    ctx: typer.Context,
    department: Annotated[
        str | None, typer.Option("--department", help="仅该部门牵头或配合的任务")
    ] = None,
    status: Annotated[str | None, typer.Option("--status", help=TaskStatus.choices())] = None,
    year: Annotated[int | None, typer.Option("--year", help="仅该年度")] = None,
    as_json: JsonOpt = False,
) -> None:
    """列出重点任务（可按部门、状态筛选）。"""
    st = state(ctx)
    with transaction(st.engine, write=False) as session:
        dep = find_department(session, department, "department") if department else None
        tasks = service.list_tasks(session, year=year, department=dep, status=status)
    if as_json:
        emit_json(tasks)
        return
    table(
        f"重点任务（共 {len(tasks)} 项）",
        ["#", "编号", "工作任务", "牵头", "配合", "完成时限", "状态"],
        _task_rows(tasks),
    )


TaskArg = Annotated[
    str,
    typer.Argument(
        metavar="任务编号", help="任务编号：tasks list 中的 #，或 年度-序号（如 2021-07）"
    ),
]


@tasks_app.command("show")
def show_cmd(
    ctx: typer.Context,
    task: TaskArg,
    as_json: JsonOpt = False,
) -> None:
    """显示一项任务及其全部进展和证明材料。"""
    st = state(ctx)
    with transaction(st.engine, write=False) as session:
        view = service.task_view(session, service.task_id_of(session, task))
    if as_json:
        emit_json(view)
        return
    typer.echo(f"{view['code']} {view['title']}（{view['status_label']}）")
    typer.echo(f"具体要求：{view['requirement']}")
    typer.echo(f"牵头：{view['lead_label']}　配合：{view['cooperating_label'] or '—'}")
    for p in view["progress"]:
        typer.echo(f"  {p['on']} {p['author']}：{p['note']}")
        for e in p["evidence"]:
            typer.echo(f"    材料：{e['name']} {e['sha256'] or e['fetch_error']}")


def _evidence(values: list[str], st: Any) -> list[EvidenceInput]:
    max_bytes = st.settings.documents.max_mb << 20
    out = []
    for v in values:
        if is_url(v):
            out.append(
                fetch_url(
                    v, timeout=st.settings.tasks.url_timeout, max_bytes=max_bytes, now=now_utc()
                )
            )
        else:
            out.append(from_path(Path(v)))
    return out


@tasks_app.command("progress")
def progress_cmd(
    ctx: typer.Context,
    task: TaskArg,
    note: Annotated[str, typer.Option("--note", help="进展情况")],
    evidence: Annotated[
        list[str] | None, typer.Option("--evidence", help="证明材料：文件路径或网址（可多次）")
    ] = None,
    on: Annotated[str | None, typer.Option("--date", help="进展日期（默认今天）")] = None,
    department: Annotated[str | None, typer.Option("--department", help="报送部门")] = None,
    today: TodayOpt = None,
) -> None:
    """记录任务进展（可附文件或网页快照作为证明材料）。"""
    st = state(ctx)
    day = st.today(today)
    items = _evidence(evidence or [], st)  # URLs are fetched before the transaction
    try:
        with transaction(st.engine) as session:
            task_id = service.task_id_of(session, task)
            dep = find_department(session, department, "department") if department else None
            row = service.add_progress(
                session,
                store=file_store(st.settings),
                task_id=task_id,
                note=note,
                on=parse_date(on, "date") or day,
                author=st.actor,
                today=day,
                now=now_utc(),
                department_id=dep.id if dep else None,
                evidence=items,
                max_bytes=st.settings.documents.max_mb << 20,
            )
            pid = row.id
    finally:
        for item in items:
            if item.stream is not None:
                item.stream.close()
    typer.echo(f"已记录任务 #{task_id} 的进展（#{pid}）")
    for item in items:
        if item.fetch_error:
            typer.echo(f"注意：{item.url} 未能保存网页快照：{item.fetch_error}", err=True)


@tasks_app.command("done")
def done_cmd(
    ctx: typer.Context,
    task: TaskArg,
    on: Annotated[str, typer.Option("--date", help="完成日期")],
    note: Annotated[str, typer.Option("--note", help="完成情况")] = "",
    today: TodayOpt = None,
) -> None:
    """标记任务已完成。"""
    st = state(ctx)
    day = st.today(today)
    with transaction(st.engine) as session:
        task_id = service.task_id_of(session, task)
        service.mark_done(
            session,
            task_id=task_id,
            on=require_date(on, "date"),
            note=note,
            store=file_store(st.settings),
            author=st.actor,
            today=day,
            now=now_utc(),
            max_bytes=st.settings.documents.max_mb << 20,
        )
    typer.echo(f"任务 #{task_id} 已于 {on} 完成")


@tasks_app.command("export")
def export_cmd(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="输出文件（.xlsx）")],
    year: Annotated[int | None, typer.Option("--year", help="仅该年度")] = None,
) -> None:
    """导出可打印的重点任务台账（.xlsx）。"""
    from disclosure.tasks.ledger_xlsx import write_ledger

    st = state(ctx)
    out_file(out, ".xlsx")
    with transaction(st.engine, write=False) as session:
        tasks = service.list_tasks(session, year=year)
        tasks = service.views(session, [service.get_task(session, t["id"]) for t in tasks],
                              progress=True)  # fmt: skip
    label = f"{year}年度" if year else ""
    title = f"{st.settings.office.agency_name}{label}政务公开工作重点任务台账"
    write_ledger(tasks, out, title=title)
    typer.echo(f"已导出 {len(tasks)} 项重点任务：{out}")


@tasks_app.command("review")
def review_cmd(
    ctx: typer.Context,
    year: YearOpt,
    due: Annotated[str | None, typer.Option("--due", help="整改完成时限（默认年底）")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只列出，不写入")] = False,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """回头看：上一年度有明确责任主体和时限、未完成的任务，转入本年度整改清单。"""
    st = state(ctx)
    day = st.today(today)
    with transaction(st.engine) as session:
        result = review_year(
            session,
            year=_year(year),
            due_on=parse_date(due, "due"),
            today=day,
            actor=st.actor,
            now=now_utc(),
            dry_run=dry_run,
        )
        listed = [] if dry_run else service.list_tasks(session, year=year)
    if as_json:
        emit_json(result.as_dict())
        return
    typer.echo(
        f"回头看：{year - 1} 年度共 {result.checked} 项任务，已完成 {result.done} 项，"
        f"无明确责任主体或时限 {result.not_clear} 项；"
        f"{'应' if dry_run else '新'}转入 {year} 年度整改 {len(result.created)} 项"
        + (f"（此前已转入 {len(result.already)} 项）" if result.already else "")
    )
    ids = set(result.created) | set(result.already)
    rows = [t for t in listed if t["id"] in ids]
    if rows:
        table(f"{year} 年度整改清单", ["#", "编号", "工作任务", "牵头", "配合", "完成时限", "状态"],
              _task_rows(rows))  # fmt: skip
