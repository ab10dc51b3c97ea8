"""`disclosure report annual|set|values|template|load|lock`: the whole annual report."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from disclosure import audit
from disclosure.cli.options import out_file
from disclosure.cli.output import emit_json, table
from disclosure.cli.state import state
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import InvalidInput, NotFound, readable_file
from disclosure.report import annual_inputs as inputs
from disclosure.report.annual_full import FullReport, compute_full, default_year
from disclosure.report.annual_render import render
from disclosure.vocabulary import AuditAction

FORMATS = ("docx", "pdf", "xlsx", "md", "json")
BINARY = ("docx", "pdf", "xlsx")
# format → the extensions its --out may have (Markdown is plain text: .txt too)
SUFFIXES = {"docx": (".docx",), "pdf": (".pdf",), "xlsx": (".xlsx",), "md": (".md", ".txt"),
            "json": (".json",)}  # fmt: skip
YearOpt = Annotated[int | None, typer.Option("--year", help="报告年度（默认上一年度）")]


def register(report_app: typer.Typer) -> None:
    report_app.command("annual")(annual)
    # A negative number is a value to refuse by name, not an unknown option.
    report_app.command("set", context_settings={"ignore_unknown_options": True})(set_cmd)
    report_app.command("values")(values_cmd)
    report_app.command("template")(template_cmd)
    report_app.command("load")(load_cmd)
    report_app.command("lock")(lock_cmd)


def _year(st, year: int | None) -> int:  # type: ignore[no-untyped-def]
    if year is None:
        chosen = default_year(st.today())
        typer.echo(f"未指定 --year，按上一年度（{chosen} 年度）处理", err=True)
        return chosen
    if not 1990 <= year <= 2999:
        raise InvalidInput(f"年度不合理：{year}", field="year")
    return year


def _format(fmt: str | None, out: Path | None) -> str:
    """--format, else the one --out's extension names (Markdown on the screen without
    --out); an --out whose extension is not the format's is refused."""
    if fmt is None and out is not None:
        named = [f for f, suffixes in SUFFIXES.items() if out.suffix.lower() in suffixes]
        out_file(out, *(s for suffixes in SUFFIXES.values() for s in suffixes))
        fmt = named[0]
    fmt = fmt or "md"
    if fmt not in FORMATS:
        raise InvalidInput(f"未知格式 {fmt!r}；可用：{'、'.join(FORMATS)}", field="format")
    if fmt in BINARY and out is None:
        raise InvalidInput(f"{fmt} 格式须指定 --out 文件", field="out")
    if out is not None:
        out_file(out, *SUFFIXES[fmt])
    return fmt


def build(st, year: int) -> FullReport:  # type: ignore[no-untyped-def]
    from disclosure.report.annual_lock import attach_publication

    with transaction(st.engine, write=False) as session:
        report = compute_full(session, year=year, agency=st.settings.office.agency_name)
        return attach_publication(session, report, tz=st.settings.office.timezone)


def _write(out: Path, content: bytes) -> None:
    tmp = out.with_name(f".{out.name}.part")
    try:
        tmp.write_bytes(content)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def annual(
    ctx: typer.Context,
    year: YearOpt = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="docx | pdf | xlsx | md | json（默认按 --out 扩展名）"),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="输出文件（扩展名与格式一致：.docx、.pdf、.xlsx、.md、.json）"),
    ] = None,
    as_published: Annotated[
        bool,
        typer.Option("--as-published", help="输出锁定发布时的报告快照原文（仅 json 格式）"),
    ] = False,
) -> None:
    """生成政府信息公开工作年度报告（一至六部分，国办公开办函〔2021〕30号格式）。"""
    st = state(ctx)
    if as_published and fmt not in (None, "json"):
        raise InvalidInput("--as-published 只能输出 json 格式（锁定时保存的快照）", field="format")
    fmt = _format(fmt or ("json" if as_published and out is None else None), out)
    chosen = _year(st, year)
    if as_published:
        _as_published(st, chosen, fmt, out)
        return
    report = build(st, chosen)  # raises before anything is written (table 三 balance)
    content = render(report, fmt, st.settings)
    if report.missing:
        names = "、".join(report.missing_labels)
        typer.echo(f"注意：第二部分尚未填写（disclosure report set）：{names}", err=True)
    pub = report.publication
    if pub is not None and pub.correction_note:
        typer.echo(f"注意：{pub.correction_note}", err=True)
    if pub is not None and pub.changes:
        typer.echo(
            f"注意：{chosen} 年度报告已于 {pub.locked_on} 锁定发布，此后有 "
            f"{len(pub.changes)} 处数据变动（报告中已列明）",
            err=True,
        )
    if out is None:
        typer.echo(content.decode("utf-8"), nl=False)
        return
    audit.record_now(
        st.engine,
        actor=st.actor,
        action=AuditAction.REPORT_EXPORTED,
        target=str(out),
        details={"year": chosen, "format": fmt},
    )
    _write(out, content)
    typer.echo(f"已生成 {chosen} 年度报告：{out}（勾稽关系核对无误）")


def _as_published(st, year: int, fmt: str, out: Path | None) -> None:  # type: ignore[no-untyped-def]
    """The snapshot of the latest lock, byte for byte: its SHA-256 is the one published."""
    from disclosure.report.annual_lock import published_text

    if fmt != "json":
        raise InvalidInput("--as-published 只能输出 json 格式（锁定时保存的快照）", field="format")
    with transaction(st.engine, write=False) as session:
        content = published_text(session, year)
    if content is None:
        raise NotFound(f"{year} 年度报告尚未锁定发布，没有发布时的快照", field="year")
    if out is None:  # no newline added: the text is the one whose SHA-256 was published
        typer.echo(content, nl=False)
        return
    audit.record_now(st.engine, actor=st.actor, action=AuditAction.REPORT_EXPORTED,
                     target=str(out), details={"year": year, "format": "json"})  # fmt: skip
    _write(out, content.encode("utf-8"))
    typer.echo(f"已导出 {year} 年度报告发布时的快照：{out}")


def set_cmd(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="项目代码（report values 中列出）")],
    value: Annotated[str | None, typer.Argument(help="数值或文字")] = None,
    year: YearOpt = None,
    from_file: Annotated[
        Path | None, typer.Option("--from-file", help="从文本文件读取文字内容")
    ] = None,
) -> None:
    """填报年度报告的一项数据或文字（第二部分数据、一/五/六部分文字）。"""
    st = state(ctx)
    chosen = _year(st, year)
    if from_file is not None:
        value = from_file.read_text(encoding="utf-8")
    if value is None:
        raise InvalidInput("请给出填报内容（VALUE 或 --from-file）", field=key)
    with transaction(st.engine) as session:
        row = inputs.set_value(session, year=chosen, key=key, value=value, source="cli",
                               actor=st.actor, now=now_utc())  # fmt: skip
    typer.echo(f"已填报 {chosen} 年度 {inputs.KEYS[key].label}：{row.value[:60]}")


def values_cmd(
    ctx: typer.Context,
    year: YearOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """列出年度报告各项填报内容（未填写的文字显示上一年度内容作为参考）。"""
    st = state(ctx)
    chosen = _year(st, year)
    with transaction(st.engine, write=False) as session:
        current = inputs.current_values(session, chosen)
        offered = inputs.suggestions(session, chosen)
    if as_json:
        emit_json({"year": chosen, "values": current, "suggestions": offered})
        return
    rows = []
    for k in (*inputs.FIGURES, *inputs.TEXTS):
        shown = current.get(k.key)
        if shown is None and offered.get(k.key):
            shown = f"（未填写；上一年度：{offered[k.key][:40]}）"
        rows.append([k.key, k.label, (shown or "（未填写）")[:60]])
    table(f"{chosen} 年度报告填报情况", ["代码", "项目", "内容"], rows)


def template_cmd(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="输出文件（.xlsx）")],
    year: YearOpt = None,
) -> None:
    """导出供各处室填写的年度报告填报表（.xlsx，文字部分预填上一年度内容）。"""
    out_file(out, ".xlsx")
    st = state(ctx)
    chosen = _year(st, year)
    with transaction(st.engine, write=False) as session:
        inputs.write_template(session, chosen, out, agency=st.settings.office.agency_name)
    typer.echo(f"已导出 {chosen} 年度报告填报表：{out}")


def load_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="填好的填报表（.xlsx）")],
    year: YearOpt = None,
) -> None:
    """导入填好的年度报告填报表：全部校验通过才写入。"""
    st = state(ctx)
    chosen = _year(st, year)
    readable_file(file, "file")
    values = inputs.read_template(file)
    with transaction(st.engine) as session:
        changed = inputs.set_many(session, year=chosen, values=values, source="xlsx",
                                  actor=st.actor, now=now_utc())  # fmt: skip
    typer.echo(f"已导入 {chosen} 年度报告填报表：{len(values)} 项，其中 {changed} 项有变化")


def lock_cmd(
    ctx: typer.Context,
    year: YearOpt = None,
    republish: Annotated[
        bool,
        typer.Option(
            "--republish", help="发布更正后的报告（另存新快照并注明更正的版本，原版本保留）"
        ),
    ] = False,
) -> None:
    """锁定已发布的年度报告（保存快照及其 SHA-256，记入审计日志；此后的数据变动将在报告中列明）。"""
    from disclosure.report.annual_lock import attach_publication, lock_year

    st = state(ctx)
    chosen = _year(st, year)
    with transaction(st.engine) as session:
        report = compute_full(session, year=chosen, agency=st.settings.office.agency_name)
        lock = lock_year(session, report=report, actor=st.actor, now=now_utc(),
                         tz=st.settings.office.timezone, republish=republish)  # fmt: skip
        digest, lock_id = lock.sha256, lock.id
        note = attach_publication(session, report, tz=st.settings.office.timezone).publication
    typer.echo(f"已锁定 {chosen} 年度报告（#{lock_id}，SHA-256 {digest}）")
    if note is not None and note.correction_note:
        typer.echo(note.correction_note)
