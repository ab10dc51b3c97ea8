"""Calendar commands: load a holiday notice (with a preview), show a year, history, revert."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from disclosure.cli.output import emit_json, table
from disclosure.cli.state import state
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import InvalidInput
from disclosure.notices import service
from disclosure.notices.versions import history as version_history
from disclosure.notices.versions import in_force, summary
from disclosure.services import calendar_years
from rules.notice_file import MAX_FILE_BYTES

JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON")]
TodayOpt = Annotated[str | None, typer.Option("--today", help="以该日为今天（YYYY-MM-DD）")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="只预览哪些期限会变动，不写入数据库")]

calendar_app = typer.Typer(
    help="节假日安排：载入（先预览）、查看、历史版本与恢复", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(calendar_app, name="calendar")


def read_file(path: Path) -> bytes:
    """The file's bytes, refusing a missing, unreadable or oversized file by name."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InvalidInput(
                f"文件过大（上限 {MAX_FILE_BYTES // 1024} KB）：{path}", field="file"
            )
        with path.open("rb") as fh:
            return fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise InvalidInput(f"找不到文件：{path}", field="file") from exc
    except IsADirectoryError as exc:
        raise InvalidInput(f"这是文件夹，不是文件：{path}", field="file") from exc
    except PermissionError as exc:
        raise InvalidInput(f"无权读取文件：{path}", field="file") from exc
    except OSError as exc:
        raise InvalidInput(f"无法读取文件：{path}（{exc.strerror or exc}）", field="file") from exc


@calendar_app.command("load")
def calendar_load(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="节假日安排文件（TOML，格式见 docs/calendar.md）")],
    dry_run: DryRunOpt = False,
    allow_example: Annotated[
        bool, typer.Option("--allow-example", help="允许载入标明为示例的文件（仅供试用）")
    ] = False,
    accept_unusual: Annotated[
        bool,
        typer.Option(
            "--accept-unusual",
            help="放假天数等超出以往通知时，已逐日核对、确与正式通知一致，确认载入（记入审计日志）",
        ),
    ] = False,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """检查并载入国务院节假日安排，重新计算所有未办结申请，列出每个变动的期限。"""
    st = state(ctx)
    day = st.today(today)
    raw = read_file(file)
    with transaction(st.engine, write=not dry_run) as session:
        plan = service.plan_load(
            session,
            settings=st.settings,
            raw=raw,
            source_name=file.name,
            today=day,
            allow_example=allow_example,
            accept_unusual=accept_unusual,
        )
        if dry_run:
            report = service.preview(session, plan)
        else:
            report = service.apply(session, plan, actor=st.actor, now=now_utc())
    _print_report(report, as_json)


@calendar_app.command("revert")
def calendar_revert(
    ctx: typer.Context,
    year: Annotated[int, typer.Argument(help="年份")],
    to: Annotated[int, typer.Option("--to", help="恢复到的版本号（0 = 不用任何载入的通知）")],
    dry_run: DryRunOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """把某年的节假日安排恢复到以前的版本（作为新版本记录），重新计算并列出变动的期限。"""
    st = state(ctx)
    with transaction(st.engine, write=not dry_run) as session:
        plan = service.plan_revert(session, settings=st.settings, year=year, to=to)
        if dry_run:
            report = service.preview(session, plan)
        else:
            report = service.apply(session, plan, actor=st.actor, now=now_utc())
    _print_report(report, as_json)


def _print_report(report: service.Report, as_json: bool) -> None:
    if as_json:
        emit_json(report.as_dict())
        return
    r = report.result
    what = service.describe(report)
    counts = (
        f"重新计算 {r.recomputed} 件未办结申请，{r.moved_applications} 件申请的"
        f" {len(r.moved)} 个期限变动"
    )
    for line in report.plan.unusual:
        typer.echo(f"注意：{line}（已确认与正式通知一致）", err=True)
    if report.dry_run:
        typer.echo(f"预览（未写入）：{what}后，{counts}。确认无误后去掉 --dry-run 再执行。")
    else:
        typer.echo(f"已{what}；{counts}。")
    if r.moved:
        shown = [m.as_dict() for m in r.moved[: service.MAX_SHOWN]]
        table(
            "期限变动",
            ["编号", "期限", "原日期", "新日期", "原为临时"],
            [
                [m["number"], m["clock_label"], m["old"], m["new"], _yes(m["was_provisional"])]
                for m in shown
            ],
        )
        if len(r.moved) > len(shown):
            typer.echo(f"另有 {len(r.moved) - len(shown)} 个变动未列出；--json 输出全部。")


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


@calendar_app.command("history")
def calendar_history(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Argument(help="年份（不填则列出所有年份）")] = None,
    as_json: JsonOpt = False,
) -> None:
    """列出载入和恢复节假日安排的每个版本（谁、何时、哪个文件、变动了多少期限）。"""
    st = state(ctx)
    with transaction(st.engine, write=False) as session:
        rows = version_history(session, year)
        current = {v.id for v in in_force(session).values()}
    tz = ZoneInfo(st.settings.office.timezone)
    items = [summary(v, in_force=v.id in current, tz=tz) for v in rows]
    if as_json:
        emit_json(items)
        return
    if not items:
        typer.echo("尚未载入过节假日安排（使用内置数据；没有通知的年份按法定节假日临时计算）。")
        return
    for i in items:
        now = "（现行）" if i["in_force"] else ""
        typer.echo(
            f"{i['year']} 年第 {i['version']} 版{now} · {i['action_label']} · "
            f"{i['loaded_at_local']} · {i['loaded_by']} · "
            f"变动 {i['moved']} 个期限（{i['moved_applications']} 件申请）"
        )
        titles = "；".join(f"《{t}》" for t in i["titles"]) or "无（使用内置数据或临时计算）"
        source = f"；文件：{i['source_name']}" if i["source_name"] else ""
        sha = f"（SHA-256 {i['source_sha256'][:12]}…）" if i["source_sha256"] else ""
        typer.echo(f"    通知：{titles}{source}{sha}")


@calendar_app.command("show")
def calendar_show(
    ctx: typer.Context, year: Annotated[int, typer.Argument(help="年份")], as_json: JsonOpt = False
) -> None:
    """显示某年的放假和调休上班安排。"""
    st = state(ctx)
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
