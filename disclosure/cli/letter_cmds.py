"""`disclosure letter NUMBER... --kind KIND`, `letter kinds`, `letter list N`, `letter correct N`.

One command: NUMBER may be the literal word `kinds`, which lists the kinds; `list NUMBER`
lists the letters issued on an application and `correct NUMBER --reference 文号` issues the
correction of one (`disclosure.cli.letter_records_cmds`). Several NUMBERs make
a batch: the same kind and options for each, all issued in one transaction (all or none), each
written to its default file. The work happens in `disclosure.letters.service` (recording,
numbering, context) and `disclosure.letters.render`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from disclosure.cli.options import out_file, parse_date
from disclosure.cli.output import emit_json, table
from disclosure.cli.state import AppState, state
from disclosure.errors import InvalidInput
from disclosure.letters.kinds import KINDS
from disclosure.vocabulary import AuditAction, EventKind, ReplyVariant

if TYPE_CHECKING:
    from disclosure.letters.service import IssuedLetter

LIST_WORD = "kinds"


def register(app: typer.Typer) -> None:
    app.command("letter")(letter)


def _out_dir(st: AppState) -> Path:
    """`[letters] out_dir`, relative to the config file's folder."""
    return st.settings.resolve(st.settings.letters.out_dir)


def letter(
    ctx: typer.Context,
    numbers: Annotated[
        list[str],
        typer.Argument(
            help="登记编号，可多个（同一事务批量出具）；或 kinds、list、correct（见上）"
        ),
    ],
    kind: Annotated[str | None, typer.Option("--kind", help="文书种类（见 letter kinds）")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="输出 .docx 文件")] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="同时生成 PDF（需要 LibreOffice）")] = False,
    date: Annotated[
        str | None,
        typer.Option("--date", help="文书日期 YYYY-MM-DD（所告知的步骤已记录的，即该步骤的日期）"),
    ] = None,
    days: Annotated[int | None, typer.Option("--days", help="延长工作日数（extension）")] = None,
    approver: Annotated[str | None, typer.Option("--approver", help="延期批准人")] = None,
    amount: Annotated[int | None, typer.Option("--amount", help="收费金额（元）")] = None,
    pages: Annotated[int | None, typer.Option("--pages", help="按量计收的页数")] = None,
    nth: Annotated[int | None, typer.Option("--nth", help="按件计收：本月第几件申请")] = None,
    party: Annotated[str | None, typer.Option("--party", help="被征求意见的第三方或机关")] = None,
    agency: Annotated[
        bool, typer.Option("--agency", help="征求意见对象为共同制作机关（同 consultation_agency）")
    ] = False,
    due: Annotated[
        str | None, typer.Option("--due", help="期限 YYYY-MM-DD（deferred、art35）")
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="视为放弃的原因：correction | fee")
    ] = None,
    outcome: Annotated[
        str | None, typer.Option("--outcome", help="答复结果代码（尚未记录答复时一并记录）")
    ] = None,
    item: Annotated[list[str] | None, typer.Option("--item", help="需补正事项，可多次")] = None,
    repeats: Annotated[
        str, typer.Option("--repeats", help="重复申请（5.2）：此前已答复的申请的登记编号")
    ] = "",
    note: Annotated[str, typer.Option("--note", help="补充说明（写入文书）")] = "",
    responsible_agency: Annotated[
        str, typer.Option("--responsible-agency", help="负责公开该信息的机关（4.1）")
    ] = "",
    contact: Annotated[str, typer.Option("--contact", help="该机关的联系方式")] = "",
    attachment: Annotated[
        list[str] | None, typer.Option("--attachment", help="附件，可多次")
    ] = None,
    delivery: Annotated[str, typer.Option("--delivery", help="送达方式")] = "",
    variant: Annotated[
        str,
        typer.Option(
            "--variant",
            help="答复情形（同一结果有两种情形时）：" + ReplyVariant.choices(),
        ),
    ] = "",
    withheld: Annotated[str, typer.Option("--withheld", help="部分公开（2）：不予公开的内容")] = "",
    reasons: Annotated[
        str,
        typer.Option("--reasons", help="具体理由（2、3.x、5.4、5.5、6.3；4.1 写检索范围和方式）"),
    ] = "",
    where: Annotated[
        str, typer.Option("--where", help="已主动公开（1）：获取该信息的方式、途径")
    ] = "",
    for_letter: Annotated[
        str, typer.Option("--for-letter", help="送达回证：所送达文书的文号")
    ] = "",
    served: Annotated[
        str | None,
        typer.Option(
            "--served",
            help="送达日期（当面交付时填写；邮寄的签收后用 serve-letter 记录）",
        ),
    ] = None,
    reference: Annotated[
        str | None, typer.Option("--reference", help="被更正文书的文号（letter correct）")
    ] = None,
    correction_reason: Annotated[
        str, typer.Option("--correction-reason", help="更正的理由（letter correct）")
    ] = "",
    today: Annotated[str | None, typer.Option("--today", help="以该日为今天")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """出具文书：登记回执、各类告知书、征求意见书、收费通知书、答复书（.docx，可选 PDF）。

    disclosure letter 登记编号 --kind 种类：出具文书（可一次给出多个登记编号）。

    disclosure letter kinds：列出文书种类及各自的选项。

    disclosure letter list 登记编号：列出该申请已出具的文书。

    disclosure letter correct 登记编号 --reference 文号 --correction-reason 理由：
    出具更正文书（另编文号，注明所更正的文书；原文书保留不变）。
    """
    # The letter machinery (python-docx, docxtpl, Jinja) only when a letter is made or
    # listed: `letter --help` and a mistyped option answer without it.
    from disclosure import audit
    from disclosure.cli import letter_records_cmds as records_cmds
    from disclosure.clock import now_utc
    from disclosure.db import transaction
    from disclosure.letters.render import to_pdf
    from disclosure.letters.service import LetterOptions, LetterRequest, issue_letter, issue_many
    from disclosure.services.context import Context
    from disclosure.services.office import load_office

    if numbers == [LIST_WORD]:
        _list_kinds(as_json)
        return
    if numbers[0] == records_cmds.LIST_WORD:
        records_cmds.list_letters(state(ctx), numbers[1:], as_json)
        return
    correcting = numbers[0] == records_cmds.CORRECT_WORD
    if correcting:
        numbers = numbers[1:]
    elif not kind:
        raise InvalidInput("须指定文书种类 --kind（见 disclosure letter kinds）", field="--kind")
    if len(numbers) > 1 and out is not None:
        raise InvalidInput(
            "批量出具时不能指定 --out（各自写入默认文件）",
            field="--out",
        )
    if out is not None:
        out_file(out, ".docx")  # the letter is a .docx; --pdf writes the PDF beside it
    if agency and kind == "consultation":
        kind = "consultation_agency"
    st = state(ctx)
    day = st.today(today)
    options = LetterOptions(
        on=parse_date(date, "--date"),
        days=days,
        approver=approver,
        amount=amount,
        pages=pages,
        nth=nth,
        party=party,
        due=parse_date(due, "--due"),
        reason=reason,
        outcome=outcome,
        repeats=repeats,
        items=tuple(item or ()),
        note=note,
        responsible_agency=responsible_agency,
        contact=contact,
        attachments=tuple(attachment or ()),
        delivery=delivery,
        variant_code=variant,
        withheld=withheld,
        reasons=reasons,
        where=where,
        for_letter=for_letter,
        served=parse_date(served, "--served"),
    )
    if correcting:
        number, fixed = records_cmds.correct(
            st, numbers, reference=reference, reason=correction_reason, options=options, day=day
        )
        path = out or _out_dir(st) / _default_name(
            number, fixed.info.kind.value, fixed.letter.variant, fixed.letter.serial
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(fixed.render())
        result = _result(number, fixed, path)
        if pdf:
            result["pdf"] = str(to_pdf(path))
        if as_json:
            emit_json(result)
        else:
            records_cmds.say_corrected(fixed, path)
            if result["pdf"]:
                typer.echo(f"PDF：{result['pdf']}")
        return
    assert kind is not None
    with _fee_hint(), transaction(st.engine) as session:
        office = load_office(session, st.settings)
        ctx_ = Context(office, day, st.actor, now_utc())
        if len(numbers) == 1:
            issued_all = [
                issue_letter(session, ctx=ctx_, number=numbers[0], kind=kind, options=options)
            ]
        else:
            requests = [LetterRequest(n, kind, options) for n in numbers]
            issued_all = issue_many(session, ctx=ctx_, requests=requests)
        # inside the transaction: a template error writes nothing
        contents = [issued.render() for issued in issued_all]
        for number in numbers:
            audit.record(
                session,
                actor=st.actor,
                action=AuditAction.DOCUMENT_DOWNLOADED,
                target=number,
                details={"kind": kind},
            )
    results = []
    for number, issued, content in zip(numbers, issued_all, contents, strict=True):
        path = out or _out_dir(st) / _default_name(number, kind, issued.letter.variant)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        results.append(_result(number, issued, path))
    if pdf:
        for result in results:
            result["pdf"] = str(to_pdf(Path(result["docx"])))
    if as_json:
        emit_json(results[0] if len(numbers) == 1 else results)
        return
    for result in results:
        again = "" if result["new"] else "（按存档原样重新打印）"
        typer.echo(f"已出具{result['name']}{again}：{result['reference']}，文件 {result['docx']}")
        if result["pdf"]:
            typer.echo(f"PDF：{result['pdf']}")
        if result["date_note"]:  # a provisional or projected date: said, not only printed
            typer.echo(f"⚠ {result['reference']} {result['date_note']}", err=True)


@contextmanager
def _fee_hint() -> Iterator[None]:
    """A fee notice whose applicant cannot be counted: the letter's ways to the fee. An amount
    alone is not one (the notice states its basis and rate, rulebook §7.6)."""
    from disclosure.letters.recorded import FEE_OPTIONS
    from disclosure.people.applicants import UncountedApplicant

    try:
        yield
    except UncountedApplicant as exc:
        counted = exc.message.split("，请给出", 1)[0]  # what could not be counted, not the ask
        raise InvalidInput(f"{counted}：请给出{FEE_OPTIONS}", field="--nth") from exc


def _result(number: str, issued: IssuedLetter, path: Path) -> dict[str, Any]:
    return {
        "number": number,
        "kind": issued.info.kind.value,
        "name": issued.info.name,
        "reference": issued.letter.reference,
        "issued_on": issued.letter.issued_on.isoformat(),
        "new": issued.new,
        "sha256": issued.letter.docx_sha256,
        "corrects": issued.context.get("corrects_reference") or None,
        # what the marks of its dates mean (临时: the year's holiday notice is not out; 推算)
        "date_note": issued.context.get("date_note") or None,
        "docx": str(path),
        "pdf": None,
    }


def _default_name(number: str, kind: str, variant: str, serial: int | None = None) -> str:
    """letters/<number>-<kind>.docx; consultation letters add the party, one file each; a
    correction adds its serial, so the corrected letter's file is not overwritten."""
    stem = f"{number}-{kind}"
    if variant:
        stem += "-" + re.sub(r'[\\/:*?"<>|\s]+', "_", variant)
    if serial is not None:
        stem += f"-更正{serial}"
    return stem + ".docx"


# `letter kinds` for people: the 文号 series and the event by their names (JSON keeps codes).
SERIES_LABELS = {
    "notice": "告知类",
    "reply": "答复类",
    "consultation": "征求意见类",
}


def _list_kinds(as_json: bool) -> None:
    rows = [
        {
            "kind": info.kind.value,
            "name": info.name,
            "label": info.label,  # the name with what tells it apart, for choosing
            "series": info.series,
            "records": info.event.value if info.event else None,
        }
        for info in KINDS.values()
    ]
    if as_json:
        emit_json(rows)
        return
    table(
        "文书种类",
        ["种类", "名称", "文号系列", "出具时记录"],
        [
            [
                r["kind"],
                r["label"],
                SERIES_LABELS.get(str(r["series"]), str(r["series"])),
                EventKind(r["records"]).label if r["records"] else "—",
            ]
            for r in rows
        ],
    )
