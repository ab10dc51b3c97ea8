"""Issued letters as records: the frozen .docx, its digest and the facts it was rendered from.

An issued letter is never rewritten (rulebook §9; "records are immutable"). Its first issue
renders the .docx once, stores the bytes in the office's file store (`disclosure.storage`,
content-addressed; a rolled-back transaction removes the file again) and keeps the SHA-256
and the template context on the row. Asking for the letter again returns those bytes, byte for
byte. A correction is a new letter with its own 文号 naming the one it corrects (`corrects_id`);
the corrected letter stays as it was and is shown as corrected by the newer one.

Letters numbered before this version have no stored file: they are frozen the first time they
are printed after the upgrade, rendered from the events up to their own date (migration 0014).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from disclosure.errors import Conflict, NotFound
from disclosure.letters.kinds import kind_info
from disclosure.letters.models import Letter
from disclosure.storage import FileStore


def freeze(
    session: Session, letter: Letter, content: bytes, context: dict[str, Any], store: FileStore
) -> None:
    """Keep `content` as `letter`'s issued file (called once, before the row is first flushed,
    or once for a letter numbered before stored files existed)."""
    if letter.docx_sha256 is not None:
        raise AssertionError(f"letter {letter.reference} is already frozen")
    stored = store.put(content, session=session)
    letter.docx_sha256 = stored.sha256
    letter.facts = json.loads(json.dumps(context, ensure_ascii=False, default=str))
    session.add(letter)


def stored_docx(letter: Letter, store: FileStore) -> bytes | None:
    """The letter's issued .docx, or None for a letter not frozen yet."""
    if letter.docx_sha256 is None:
        return None
    if not store.exists(letter.docx_sha256):
        raise store.missing(letter.docx_sha256, f"文书 {letter.reference} 的存档文件")
    return store.read(letter.docx_sha256)


def current(session: Session, application_id: int, kind: str, variant: str) -> Letter | None:
    """The letter in force of one kind and variant: the last of its correction chain."""
    stmt = (
        select(Letter)
        .where(
            Letter.application_id == application_id,
            Letter.kind == kind,
            Letter.variant == variant,
        )
        .order_by(col(Letter.id).desc())
        .limit(1)
    )
    return session.exec(stmt).first()


def by_reference(session: Session, application_id: int, reference: str) -> Letter:
    stmt = select(Letter).where(
        Letter.application_id == application_id, Letter.reference == reference.strip()
    )
    found = session.exec(stmt).first()
    if found is None:
        raise NotFound(f"该申请没有文号为 {reference} 的文书", field="reference")
    return found


def check_not_corrected(session: Session, letter: Letter) -> None:
    newer = session.exec(select(Letter).where(Letter.corrects_id == letter.id)).first()
    if newer is not None:
        raise Conflict(
            f"文书 {letter.reference} 已由 {newer.reference} 更正，请更正最新的文书",
            field="reference",
        )


def last_in_series(session: Session, series: str, year: int) -> Letter | None:
    """The letter with the latest date already numbered in `series` and `year`."""
    stmt = (
        select(Letter)
        .where(Letter.series == series, Letter.year == year)
        .order_by(col(Letter.issued_on).desc(), col(Letter.serial).desc())
        .limit(1)
    )
    return session.exec(stmt).first()


def check_date_order(session: Session, series: str, issued_on: date, source: str = "") -> None:
    """文号 follow the letters' dates: a new letter is not dated before the last one numbered
    in its series and year (rulebook §9). `source` says where the date came from when the
    clerk did not type it (e.g. 已记录的“答复”的日期), so the message names that date."""
    last = last_in_series(session, series, issued_on.year)
    if last is not None and last.issued_on > issued_on:
        raise Conflict(
            f"文书日期 {issued_on}"
            + (f"（{source}）" if source else "")
            + f"早于本系列已编号的 {last.reference}（{last.issued_on}），文号须按成文日期顺序编排",
            field="on",
        )


@dataclass(frozen=True)
class LetterRow:
    reference: str
    kind: str
    name: str
    variant: str
    issued_on: str
    sha256: str | None
    corrects: str | None
    corrected_by: str | None
    reason: str
    variant_label: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "kind": self.kind,
            "name": self.name,
            "variant": self.variant,
            "issued_on": self.issued_on,
            "sha256": self.sha256,
            "corrects": self.corrects,
            "corrected_by": self.corrected_by,
            "correction_reason": self.reason,
            "variant_label": self.variant_label,
        }


def variant_label(letter: Letter) -> str:
    """The variant as a person reads it: a 协办函's department by the name it had when the
    letter was issued (kept in the letter's data), any other variant as it is."""
    name = (letter.data or {}).get("department_name")
    return str(name) if letter.kind == "cooperation" and name else letter.variant


def listing(letters: list[Letter]) -> list[LetterRow]:
    """One row per issued letter of an application, in issue order, with its chain."""
    by_id = {x.id: x for x in letters}
    newer = {x.corrects_id: x for x in letters if x.corrects_id is not None}
    return [
        LetterRow(
            reference=x.reference,
            kind=x.kind,
            name=kind_info(x.kind).name,
            variant=x.variant,
            issued_on=x.issued_on.isoformat(),
            sha256=x.docx_sha256,
            corrects=by_id[x.corrects_id].reference if x.corrects_id in by_id else None,
            corrected_by=newer[x.id].reference if x.id in newer else None,
            reason=x.correction_reason,
            variant_label=variant_label(x),
        )
        for x in letters
    ]
