"""Report commands: the annual report, the ledger export/import, review and litigation cases."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from disclosure import audit
from disclosure.cli import annual_cmds
from disclosure.cli.options import out_file, parse_date, require_date
from disclosure.cli.output import emit_json, table
from disclosure.cli.state import state
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import InvalidInput
from disclosure.office_file import office_file
from disclosure.report import reviews
from disclosure.report.ledger_export import export_ledger
from disclosure.report.ledger_import import ImportReport, check_ledger, write_ledger
from disclosure.services.context import Context
from disclosure.services.office import load_office
from disclosure.vocabulary import AuditAction

if TYPE_CHECKING:
    from rich.console import Console

JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON")]
TodayOpt = Annotated[str | None, typer.Option("--today", help="以该日为今天（YYYY-MM-DD）")]
PROGRESS_THRESHOLD = 500  # rows: show a progress bar on files larger than this

report_app = typer.Typer(help="政府信息公开工作年度报告", no_args_is_help=True)
review_app = typer.Typer(help="行政复议、行政诉讼案件（年度报告表四）", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    annual_cmds.register(report_app)
    app.add_typer(report_app, name="report")
    app.add_typer(review_app, name="review")
    app.command("export")(export_cmd)
    app.command("import")(import_cmd)


def export_cmd(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="输出文件（.xlsx 或 .csv）")],
    admin: Annotated[
        bool, typer.Option("--admin", help="包含身份证件号码（仅限管理员留存）")
    ] = False,
    department: Annotated[str | None, typer.Option("--department", help="仅导出该主办部门")] = None,
    today: TodayOpt = None,
) -> None:
    """导出政府信息公开申请台账（每件申请的日期、期限、部门、结果及是否按期）。"""
    out_file(out, ".xlsx", ".csv")  # as export_ledger does, saying what was given
    st = state(ctx)
    day = st.today(today)
    with transaction(st.engine, write=False) as session:
        n = export_ledger(session, path=out, today=day, admin=admin, department=department,
                          case_type_name=st.settings.targets.name_of)  # fmt: skip
    audit.record_now(
        st.engine,
        actor=st.actor,
        action=AuditAction.LEDGER_EXPORTED,
        target=str(out),
        details={"rows": n, "id_numbers": admin, "department": department or ""},
        personal_data=admin,
    )
    if admin:
        typer.echo("注意：导出文件含个人身份证件号码，请妥善保管。", err=True)
    typer.echo(f"已导出 {n} 件申请：{out}")


IMPORT_SOURCES = ("ledger", "platform")


def import_cmd(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(help="台账文件，或在线平台导出文件（.xlsx 或 .csv）"),
    ],
    source: Annotated[
        str,
        typer.Option(
            "--source",
            help="ledger（本系统台账，默认）| platform（在线平台导出，列名见 platform.columns）",
        ),
    ] = "ledger",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只校验，不写入")] = False,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """导入已有台账或在线平台导出：逐行校验，全部成功才写入；列出每个错误的行、列和问题。"""
    from rich.progress import Progress

    if source not in IMPORT_SOURCES:
        raise InvalidInput(
            f"来源应为 {' | '.join(IMPORT_SOURCES)}，收到 {source!r}", field="--source"
        )
    if source == "platform":
        from disclosure.cli.token_cmds import run_platform_import

        run_platform_import(
            ctx, file, source=None, columns=None, dry_run=dry_run, today=today, as_json=as_json
        )
        return
    if file.suffix.lower() == ".xlsx":  # checked first: calamine's messages are English
        office_file(file, "FILE", "xlsx")
    st = state(ctx)
    day = st.today(today)
    progress = Progress(console=console_err(), transient=True)
    task = None

    def on_start(total: int) -> None:
        nonlocal task
        if total > PROGRESS_THRESHOLD:
            progress.start()
            task = progress.add_task("导入台账", total=total)

    def on_row() -> None:
        if task is not None:
            progress.advance(task)

    try:
        # Checked in a read-only transaction; only the writing holds the register's write
        # lock (other clerks' registrations wait for that part only).
        with transaction(st.engine, write=False) as session:
            office = load_office(session, st.settings)
            ctx_ = Context(office, day, st.actor, now_utc())
            result, planned = check_ledger(
                session,
                ctx=ctx_,
                path=file,
                dry_run=dry_run,
                on_start=on_start,
                on_row=on_row,
            )
    finally:
        progress.stop()
    if result.ok and not dry_run:
        with transaction(st.engine) as session:
            write_ledger(session, planned, ctx=ctx_)
        del planned
    _print_import(result, as_json)
    if not result.ok:
        raise typer.Exit(2)


def console_err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _print_import(result: ImportReport, as_json: bool) -> None:
    if as_json:
        emit_json(result.as_dict())
        return
    if result.encoding:
        typer.echo(f"按 {result.encoding} 编码读取", err=True)
    if result.errors:
        table(
            f"台账有 {len(result.errors)} 处错误，未导入任何数据",
            ["行", "列", "问题"],
            [[e.row, e.column, e.problem] for e in result.errors],
        )
        return
    if result.notes:
        table(
            f"{len(result.notes)} 处与原台账不一致，以本系统按日期计算的为准，请核对",
            ["行", "列", "说明"],
            [[e.row, e.column, e.problem] for e in result.notes],
        )
    if result.dry_run:
        typer.echo(f"校验通过：{result.rows} 行均可导入（未写入，--dry-run）")
    else:
        typer.echo(f"已导入 {result.imported} 件申请")


@review_app.command("add")
def review_add(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="登记编号")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind", help="reconsideration | litigation_direct | litigation_after_review"
        ),
    ],
    filed: Annotated[str, typer.Option("--filed", help="申请复议或起诉日期")],
    result: Annotated[
        str, typer.Option("--result", help="maintained | corrected | other | pending")
    ] = "pending",
    decided: Annotated[str | None, typer.Option("--decided", help="审结日期")] = None,
    note: Annotated[str, typer.Option("--note", help="备注")] = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录一件行政复议或行政诉讼案件。"""
    st = state(ctx)
    day = st.today(today)
    with transaction(st.engine) as session:
        case = reviews.add_case(
            session,
            number=number,
            kind=kind,
            result=result,
            filed_on=require_date(filed, "--filed"),
            decided_on=parse_date(decided, "--decided"),
            note=note,
            today=day,
            actor=st.actor,
            now=now_utc(),
        )
        case_id = case.id
    if as_json:
        emit_json({"id": case_id})
        return
    typer.echo(f"已记录复议/诉讼案件 #{case_id}（申请 {number}）")


@review_app.command("decide")
def review_decide(
    ctx: typer.Context,
    case_id: Annotated[int, typer.Argument(help="案件编号（review list 中的 #）")],
    result: Annotated[str, typer.Option("--result", help="maintained | corrected | other")],
    decided: Annotated[str, typer.Option("--decided", help="审结日期")],
    today: TodayOpt = None,
) -> None:
    """记录复议决定或判决结果。"""
    st = state(ctx)
    day = st.today(today)
    with transaction(st.engine) as session:
        reviews.decide_case(
            session,
            case_id=case_id,
            result=result,
            decided_on=require_date(decided, "--decided"),
            today=day,
        )
    typer.echo(f"已记录案件 #{case_id} 的结果")


@review_app.command("list")
def review_list(
    ctx: typer.Context,
    number: Annotated[str | None, typer.Option("--number", help="仅该申请")] = None,
    as_json: JsonOpt = False,
) -> None:
    """列出行政复议、行政诉讼案件。"""
    st = state(ctx)
    with transaction(st.engine, write=False) as session:
        rows = reviews.list_cases(session, number=number)
    if as_json:
        emit_json(rows)
        return
    table(
        f"复议/诉讼案件（共 {len(rows)} 件）",
        ["#", "申请编号", "类别", "结果", "立案日期", "审结日期", "备注"],
        [
            [
                r["id"],
                r["number"],
                r["kind_label"],
                r["result_label"],
                r["filed_on"],
                r["decided_on"] or "",
                r["note"],
            ]
            for r in rows
        ],
    )
