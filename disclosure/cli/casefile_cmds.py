"""Case-file commands: attach, files, file get, serve-letter, archive, retention run."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from disclosure.casefile import retention
from disclosure.casefile.archive import ArchiveResult, archive_case
from disclosure.casefile.documents import Upload, as_dict, attach, documents_of, get_document
from disclosure.casefile.service_records import ServiceInput, serve_letter, unserved_reply_warning
from disclosure.cli.options import out_file, parse_date
from disclosure.cli.output import console, emit_json, table
from disclosure.cli.state import state
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import ConfigError, InvalidInput, readable_file
from disclosure.models import Stage
from disclosure.services import steps
from disclosure.services.context import Context
from disclosure.services.lookup import get_application
from disclosure.services.office import load_office
from disclosure.services.queries import department_names
from disclosure.services.views import summary
from disclosure.storage import CHUNK, file_store
from disclosure.vocabulary import DocumentKind, ServiceMethod

JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON")]
TodayOpt = Annotated[str | None, typer.Option("--today", help="以该日为今天（YYYY-MM-DD）")]
NoteOpt = Annotated[str, typer.Option("--note", help="备注")]
Number = Annotated[str, typer.Argument(help="登记编号")]
TABLE_ROWS = 500  # longer lists print as plain lines (memory stays flat)

file_app = typer.Typer(help="案卷材料", no_args_is_help=True)
retention_app = typer.Typer(help="保存期限届满后删除个人信息", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("attach")(attach_cmd)
    app.command("files")(files_cmd)
    app.command("serve-letter")(serve_letter_cmd)
    # A superset of the `archive` in register_cmds (same NUMBER, --note, --today, --json); being
    # registered later, this one is the command (the old one can be dropped).
    app.command("archive")(archive_cmd)
    app.add_typer(file_app, name="file")
    app.add_typer(retention_app, name="retention")


def attach_cmd(
    ctx: typer.Context,
    number: Number,
    file: Annotated[Path, typer.Argument(help="要附加的文件")],
    kind: Annotated[str, typer.Option("--kind", help=DocumentKind.choices())],
    event: Annotated[int | None, typer.Option("--event", help="所属事件编号")] = None,
    note: NoteOpt = "",
    releasable: Annotated[bool, typer.Option("--releasable", help="可向申请人提供")] = False,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """为申请附加一份材料（按文件内容识别类型；同一文件只存储一份）。"""
    st = state(ctx)
    day = st.today(today)
    readable_file(file, "file")
    with file.open("rb") as stream, transaction(st.engine) as session:
        upload = Upload(stream, file.name, kind, event, note, releasable)
        ctx_ = Context(load_office(session, st.settings), day, st.actor, now_utc())
        doc = attach(session, ctx=ctx_, number=number, upload=upload)
        out = as_dict(doc, number)
    if as_json:
        emit_json(out)
        return
    typer.echo(
        f"{number}：已附加材料 {out['id']}（{out['kind_label']}，{out['media_label']}，"
        f"{out['size']} 字节，SHA-256 {out['sha256']}）"
    )


def _rows(session: Any, app_id: int, number: str) -> Iterator[dict[str, Any]]:
    for doc in documents_of(session, app_id):
        yield as_dict(doc, number)


def files_cmd(ctx: typer.Context, number: Number, as_json: JsonOpt = False) -> None:
    """列出申请的案卷材料。"""
    st = state(ctx)
    with transaction(st.engine, write=False) as session:
        app = get_application(session, number)
        rows = _rows(session, app.id, number)  # type: ignore[arg-type]
        if as_json:  # streamed: one element at a time
            typer.echo("[", nl=False)
            for i, row in enumerate(rows):
                typer.echo(("," if i else "") + json.dumps(row, ensure_ascii=False), nl=False)
            typer.echo("]")
            return
        head: list[dict[str, Any]] = []
        for row in rows:
            head.append(row)
            if len(head) > TABLE_ROWS:
                break
        if len(head) <= TABLE_ROWS:
            table(
                f"{number} 案卷材料（共 {len(head)} 份）",
                ["编号", "种类", "文件名", "类型", "大小", "上传人", "上传时间"],
                [
                    [
                        r["id"],
                        r["kind_label"],
                        r["name"],
                        r["media_label"],
                        r["size"],
                        r["uploaded_by"],
                        _local(r["uploaded_at"], st.settings.office.timezone),
                    ]
                    for r in head
                ],
            )
            return
        for r in [*head, *rows]:
            typer.echo(
                f"{r['id']}\t{r['kind_label']}\t{r['name']}\t{r['media_label']}\t"
                f"{r['size']}\t{r['sha256']}"
            )


def _local(stamp: str, tz: str) -> str:
    """An aware ISO timestamp as the office reads it."""
    return datetime.fromisoformat(stamp).astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


@file_app.command("get")
def file_get(
    ctx: typer.Context,
    document_id: Annotated[int, typer.Argument(metavar="ID", help="材料编号")],
    out: Annotated[Path, typer.Option("--out", help="保存到的文件")],
) -> None:
    """取出一份材料（校验 SHA-256 后写出）。"""
    st = state(ctx)
    if not out.parent.is_dir():
        raise InvalidInput(f"目录不存在：{out.parent}", field="out")
    with transaction(st.engine, write=False) as session:
        doc = get_document(session, document_id)
    store = file_store(st.settings)
    digest = hashlib.sha256()
    tmp = out.with_name(out.name + ".part")
    with store.open(doc.sha256) as src, tmp.open("wb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
    if digest.hexdigest() != doc.sha256:
        tmp.unlink()
        raise ConfigError(f"存储的文件已损坏（SHA-256 不符）：{doc.sha256}", field="documents.dir")
    tmp.replace(out)
    typer.echo(f"已写出 {out}（{doc.original_name}，{doc.size} 字节）")


def serve_letter_cmd(
    ctx: typer.Context,
    number: Number,
    letter: Annotated[str, typer.Option("--letter", help="文书的文号（或编号）")],
    method: Annotated[str | None, typer.Option("--method", help=ServiceMethod.choices())] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="送达、交邮或发送日期 YYYY-MM-DD")
    ] = None,
    tracking: Annotated[str | None, typer.Option("--tracking", help="邮件单号")] = None,
    signed: Annotated[
        str | None, typer.Option("--signed", help="签收日期（电子送达：到达日期）")
    ] = None,
    proof: Annotated[Path | None, typer.Option("--proof", help="送达凭证文件")] = None,
    corrects: Annotated[
        int | None, typer.Option("--corrects", help="更正的送达记录（事件编号）")
    ] = None,
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录文书送达（首次记录须有 --method、--date；之后可补记 --signed，或以 --corrects 更正）。"""
    st = state(ctx)
    day = st.today(today)
    on, signed_on = parse_date(date, "on"), parse_date(signed, "signed")
    if proof is not None:
        readable_file(proof, "proof")
    stream = proof.open("rb") if proof is not None else None
    try:
        upload = Upload(stream, proof.name, "service_proof") if stream and proof else None
        with transaction(st.engine) as session:
            office = load_office(session, st.settings)
            rec, served = serve_letter(
                session,
                ctx=Context(office, day, st.actor, now_utc()),
                number=number,
                service=ServiceInput(
                    letter, method, on, tracking, signed_on, upload, corrects, note
                ),
            )
            out = {"number": number, "event_id": rec.id, **served.as_dict()}
    finally:
        if stream is not None:
            stream.close()
    if as_json:
        emit_json(out)
        return
    typer.echo(f"{number}：已记录 {out['reference']} 送达（{rec.note}），记录编号 {rec.id}")


def archive_cmd(
    ctx: typer.Context,
    number: Number,
    out: Annotated[Path | None, typer.Option("--out", help="案卷 PDF 保存到的文件")] = None,
    with_zip: Annotated[
        bool, typer.Option("--zip", help="同时写出未能转换为 PDF 的材料（.zip，与 PDF 同名）")
    ] = False,
    volume: Annotated[
        int | None, typer.Option("--volume", help="取出指定卷：0 正卷，1、2… 补充卷")
    ] = None,
    note: NoteOpt = "",
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """归档已答复的申请；指定 --out 时生成并写出案卷 PDF。

    再次执行得到同一文件；之后新增的材料编入补充卷。
    """
    st = state(ctx)
    day = st.today(today)
    if out is not None and not out.parent.is_dir():
        raise InvalidInput(f"目录不存在：{out.parent}", field="out")
    if out is not None:
        out_file(out, ".pdf")  # the case file is one PDF (--zip: a .zip of the same name)
    if out is None and (with_zip or volume is not None):
        raise InvalidInput("请用 --out 指定案卷 PDF 保存到的文件", field="out")
    result: ArchiveResult | None = None
    with transaction(st.engine) as session:
        office = load_office(session, st.settings)
        if out is None:
            archived = steps.StageMove(on=day, to=Stage.ARCHIVED, note=note)
            app = archived.record(
                session, Context(office, day, st.actor, now_utc()), number
            ).application
        else:
            result = archive_case(
                session,
                ctx=Context(office, day, st.actor, now_utc()),
                number=number,
                note=note,
                volume=volume,
            )
            app = get_application(session, number)
        summ = summary(app, office, day, department_names(session))
        unserved = unserved_reply_warning(session, app)
    if unserved:
        typer.echo(unserved, err=True)
    if result is None:
        if as_json:
            emit_json(summ)
        else:
            due = summ["reply_due"] or "—（等待补正）"  # as `stage` has always printed it
            typer.echo(
                f"{number}：已转入{summ['stage_label']}阶段。答复期限 {due}"
                + ("（临时）" if summ["provisional"] else "")
            )
        return
    assert out is not None
    out.write_bytes(result.pdf)
    zip_out = out.with_suffix(".zip") if with_zip and result.zip is not None else None
    if zip_out is not None:
        zip_out.write_bytes(result.zip)  # type: ignore[arg-type]
    v = result.volume
    info = {
        "volume": v.volume,
        "sha256": v.sha256,
        "size": v.size,
        "pages": v.pages,
        "zip_sha256": v.zip_sha256,
        "created": result.created,
        "out": str(out),
        "zip_out": str(zip_out) if zip_out else None,
    }
    if as_json:
        emit_json({**summ, "archive": info})
        return
    label = "正卷" if v.volume == 0 else f"补充卷 {v.volume}"
    made = "已生成" if result.created else "已存档（未变化）"
    c = console()
    c.print(f"{number}：{label}{made}，{v.pages} 页，SHA-256 {v.sha256}，已写出 {out}")
    if v.zip_sha256:
        c.print(f"未能转换为 PDF 的材料见附件包{f' {zip_out}' if zip_out else '（加 --zip 写出）'}")


@retention_app.command("run")
def retention_run(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只列出，不删除")] = False,
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """列出并删除保存期限届满案件的申请人证件号码、电话、电子邮箱和地址。"""
    st = state(ctx)
    day = st.today(today)
    with transaction(st.engine, write=not dry_run) as session:
        ctx_ = Context(load_office(session, st.settings), day, st.actor, now_utc())
        rows = retention.run(session, ctx=ctx_, dry_run=dry_run)
    if as_json:
        emit_json({"dry_run": dry_run, "today": day.isoformat(), "cases": rows})
        return
    years = st.settings.retention.years
    verb = "将删除" if dry_run else "已删除"
    typer.echo(f"保存期限 {years} 年：{len(rows)} 件案件{verb}个人信息。")
    if rows:
        table(
            "保存期限届满",
            ["编号", "归档日期", "期满日期", verb],
            [
                [r["number"], r["archived_on"], r["retention_ends"], "、".join(r["field_labels"])]
                for r in rows
            ],
        )
