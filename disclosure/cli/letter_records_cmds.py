"""`disclosure letter list NUMBER` and `disclosure letter correct NUMBER --reference 文号`.

Reached through the one `letter` command (its first argument is the word `list` or
`correct`); the records themselves live in `disclosure.letters.records` and
`disclosure.letters.correct`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from disclosure.cli.output import emit_json, table
from disclosure.cli.state import AppState
from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.errors import InvalidInput
from disclosure.letters.correct import correct_letter
from disclosure.letters.options import LetterOptions
from disclosure.letters.records import listing
from disclosure.letters.service import IssuedLetter, letters_of
from disclosure.services.context import Context
from disclosure.services.office import load_office

LIST_WORD, CORRECT_WORD = "list", "correct"


def list_letters(st: AppState, numbers: list[str], as_json: bool) -> None:
    if len(numbers) != 1:
        raise InvalidInput("用法：disclosure letter list 登记编号", field="NUMBER")
    with transaction(st.engine, write=False) as session:
        rows = [r.as_dict() for r in listing(letters_of(session, numbers[0]))]
    if as_json:
        emit_json(rows)
        return
    table(
        f"{numbers[0]} 已出具的文书",
        ["文号", "文书", "日期", "SHA-256", "更正情况"],
        [
            [
                r["reference"],
                r["name"] + (f"（{r['variant']}）" if r["variant"] else ""),
                r["issued_on"],
                (r["sha256"] or "（升级前出具，首次打印时存档）")[:16],
                _chain(r),
            ]
            for r in rows
        ],
    )


def _chain(r: dict[str, Any]) -> str:
    bits = []
    if r["corrects"]:
        bits.append(f"更正 {r['corrects']}：{r['correction_reason']}")
    if r["corrected_by"]:
        bits.append(f"已由 {r['corrected_by']} 更正")
    return "；".join(bits)


def correct(
    st: AppState,
    numbers: list[str],
    *,
    reference: str | None,
    reason: str,
    options: LetterOptions,
    day: Any,
) -> tuple[str, IssuedLetter]:
    """Issue the correction in one transaction; returns (number, the new letter)."""
    if len(numbers) != 1:
        raise InvalidInput(
            "用法：disclosure letter correct 登记编号 --reference 文号", field="NUMBER"
        )
    if not reference:
        raise InvalidInput("须指定被更正文书的文号 --reference", field="--reference")
    with transaction(st.engine) as session:
        office = load_office(session, st.settings)
        issued = correct_letter(
            session,
            ctx=Context(office, day, st.actor, now_utc()),
            number=numbers[0],
            reference=reference,
            reason=reason,
            options=options,
        )
    return numbers[0], issued


def say_corrected(issued: IssuedLetter, path: Path) -> None:
    typer.echo(
        f"已出具更正文书 {issued.letter.reference}（更正 {issued.context['corrects_reference']}），"
        f"文件 {path}"
    )
