"""`disclosure applicant show KEY` (one applicant and every application of theirs) and
`disclosure duplicate NUMBER --earlier N --repeated|--not-repeated` (the clerk's decision)."""

from __future__ import annotations

from typing import Annotated

import typer

from disclosure.cli.options import JsonOpt, NoteOpt, Number, TodayOpt
from disclosure.cli.output import emit_json, table
from disclosure.cli.state import state
from disclosure.people.applicant_view import applicant_view, find_applicant
from disclosure.services import steps

applicant_app = typer.Typer(help="申请人：历次申请、答复、收费、复议和诉讼", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(applicant_app, name="applicant")
    app.command("duplicate")(duplicate)


def duplicate(
    ctx: typer.Context,
    number: Number,
    earlier: Annotated[str, typer.Option("--earlier", help="所比对的此前申请的登记编号")],
    repeated: Annotated[
        bool,
        typer.Option("--repeated/--not-repeated", help="是否属于重复申请（条例第三十六条第六项）"),
    ],
    note: NoteOpt = "",
    today: TodayOpt = None,
) -> None:
    """记录对疑似重复申请的核查结论（是否与此前已答复的申请相同）。"""
    st = state(ctx)
    step = steps.DuplicateDecision(
        on=st.today(today), earlier=earlier, repeated=repeated, note=note
    )
    with st.context(today) as (session, c):
        step.record(session, c, number)
    verdict = "属于重复申请（可按 5.2 答复）" if repeated else "不属于重复申请"
    typer.echo(f"{number}：已记录核查结论，与 {earlier} 相比{verdict}")


@applicant_app.command("show")
def show(
    ctx: typer.Context,
    key: Annotated[
        str, typer.Argument(help="登记编号、身份证件号码、统一社会信用代码或申请人编号")
    ],
    today: TodayOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """显示申请人及其历次申请（身份证件号码隐去部分）。"""
    st = state(ctx)
    with st.context(today, write=False) as (session, _c):
        out = applicant_view(session, find_applicant(session, key))
    if as_json:
        emit_json(out)
        return
    who = out["id_number_masked"] or out["credit_code"] or out["key_label"]
    rows = [
        [
            a["number"],
            a["received_on"] or "—",
            a["month_nth"] or "—",
            (a["outcome"] or "") + (" " + a["outcome_label"] if a["outcome_label"] else ""),
            a["fee_yuan"] or "",
            len(a["reviews"]) or "",
            a["content"][:40],
        ]
        for a in out["applications"]
    ]
    table(
        f"申请人 {out['name']}（{who}），共 {len(rows)} 件",
        ["编号", "收到日期", "本月第几件", "答复结果", "收费（元）", "复议诉讼", "申请内容"],
        rows,
    )
