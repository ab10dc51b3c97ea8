"""The bytes of an issued letter for the archive: its stored file (`disclosure.letters.records`).

An issued letter's .docx is kept in the file store when it is issued (`letter.docx_sha256`).
A letter numbered before stored files existed is frozen by asking the letters package for it
once (`disclosure.letters.service.issue_letter`, which stores it as of its own date). The
names of the stored-bytes columns are read in this one place (`PDF_COLUMNS`, `DOCX_COLUMNS`);
PDFs are not stored yet (`pdf_sha256` is looked for, never written).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from disclosure.letters.kinds import kind_info
from disclosure.letters.models import Letter
from disclosure.letters.service import LetterOptions, issue_letter
from disclosure.models import Application
from disclosure.services.context import Context
from disclosure.storage import FileStore

PDF_COLUMNS = ("pdf_sha256",)  # a letter row's stored PDF, by digest in the file store
DOCX_COLUMNS = ("docx_sha256",)  # its stored .docx


@dataclass(frozen=True)
class LetterFile:
    letter: Letter
    name: str  # the kind's Chinese name, e.g. 答复书
    pdf: bytes | None  # the stored PDF, if any
    docx: bytes | None  # the .docx (stored or rendered) when there is no stored PDF


def stored_letter(letter: Letter, store: FileStore, columns: tuple[str, ...]) -> bytes | None:
    for name in columns:
        digest = getattr(letter, name, None)
        if isinstance(digest, str) and len(digest) == 64 and store.exists(digest):
            return store.read(digest)
    return None


def letter_file(
    session: Session, *, ctx: Context, app: Application, letter: Letter, store: FileStore
) -> LetterFile:
    """The letter as issued: its stored PDF, else its stored or re-rendered .docx."""
    info = kind_info(letter.kind)
    pdf = stored_letter(letter, store, PDF_COLUMNS)
    if pdf is not None:
        return LetterFile(letter, info.name, pdf, None)
    docx = stored_letter(letter, store, DOCX_COLUMNS)
    if docx is None:
        issued = issue_letter(
            session,
            ctx=ctx,
            number=app.number,
            kind=letter.kind,
            options=LetterOptions(party=letter.variant or None),
        )
        docx = issued.render()
    return LetterFile(letter, info.name, None, docx)
