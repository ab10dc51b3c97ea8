"""What goes into one volume of the archive package, in order, as PDF pages or zip members.

Order (issue 15): the application documents (申请表, 身份证明, 信封/邮件凭证), the receipt
(登记回执), every other letter as issued (by date), the documents of the handling (补正材料,
征求意见回复, 答复书, 其他), the approvals (政府信息公开申请办理审批表, one per purpose signed off),
the service proofs, and the event log as a table. Images become PDF pages; .docx/.xlsx are
converted by LibreOffice; what cannot be converted (OFD, an encrypted PDF, a failed
conversion) is listed in the 目录 and goes into the zip beside the PDF.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from disclosure.casefile import detect, pdfkit
from disclosure.casefile.letter_files import LetterFile
from disclosure.casefile.models import Document
from disclosure.letters.records import variant_label
from disclosure.vocabulary import DocumentKind

SECTION_OF_KIND = {
    DocumentKind.APPLICATION_FORM: 0,
    DocumentKind.ID_DOCUMENT: 0,
    DocumentKind.ENVELOPE: 0,
    DocumentKind.CORRECTION: 3,
    DocumentKind.OPINION: 3,
    DocumentKind.REPLY: 3,
    DocumentKind.OTHER: 3,
    DocumentKind.SERVICE_PROOF: 5,
}
RECEIPT_SECTION, LETTER_SECTION, APPROVAL_SECTION, LOG_SECTION = 1, 2, 4, 6
SECTION_NAMES = ("申请材料", "登记回执", "文书", "办理材料", "审批", "送达凭证", "办理经过")


@dataclass
class Item:
    """One line of the 卷内目录."""

    section: int
    title: str  # 题名
    reference: str  # 文号 ('' for documents)
    on: date | None  # 日期
    pdf: bytes | None  # its pages, once converted (None: goes into the zip)
    original: tuple[str, bytes] | None = None  # (file name, bytes) for the zip
    note: str = ""  # 备注
    pages: int = 0
    start: int = 0  # its first page in the package (1 = the cover)
    document_id: int | None = None
    letter_id: int | None = None
    image: bool = False  # an image still to be made into PDF pages


def convert_images(items: Sequence[Item]) -> None:
    """Each image's pages (img2pdf); an image that cannot be read goes to the zip."""
    for item in items:
        if item.image and item.original is not None:
            item.image = False
            try:
                item.pdf = pdfkit.image_to_pdf(item.original[1])
            except pdfkit.NotConvertible:
                item.note = _join(item.note, "图片无法转换")


@dataclass(frozen=True)
class Pending:
    """An item waiting for LibreOffice (collected so that one run converts them all)."""

    item: Item
    suffix: str


def document_item(doc: Document, data: bytes, on: date) -> tuple[Item, Pending | None]:
    kind = DocumentKind(doc.kind)
    title = f"{kind.label}：{doc.original_name}"
    item = Item(
        SECTION_OF_KIND[kind],
        title,
        "",
        on,
        None,
        (doc.original_name, data),
        note=doc.note,
        document_id=doc.id,
    )
    mt = doc.media_type
    if mt == detect.PDF:
        item.pdf = data
    elif mt in detect.IMAGES:
        item.image = True  # made into pages by `convert_images`
    elif mt in (detect.DOCX, detect.XLSX):
        return item, Pending(item, detect.extension(mt))
    return item, None


def letter_item(lf: LetterFile) -> tuple[Item, Pending | None]:
    letter = lf.letter
    section = RECEIPT_SECTION if letter.kind == "receipt" else LETTER_SECTION
    title = lf.name + (f"（{variant_label(letter)}）" if letter.variant else "")
    name = f"{letter.reference}-{lf.name}.docx"
    item = Item(
        section,
        title,
        letter.reference,
        letter.issued_on,
        lf.pdf,
        (name, lf.docx) if lf.docx is not None else None,
        letter_id=letter.id,
    )
    if lf.pdf is None and lf.docx is not None:
        return item, Pending(item, ".docx")
    return item, None


def approval_item(title: str, docx: bytes, on: date) -> tuple[Item, Pending]:
    """An approval sheet (.docx made from the event log), converted like a letter."""
    item = Item(APPROVAL_SECTION, title, "", on, None, (f"{title}.docx", docx))
    return item, Pending(item, ".docx")


def start_conversion(pending: Sequence[Pending]) -> Callable[[], None]:
    """Start converting every waiting item in one LibreOffice run; the returned function
    waits for it and fills in the PDFs (failures stay for the zip)."""
    files = [
        pdfkit.OfficeFile(str(i), p.suffix, p.item.original[1])  # type: ignore[index]
        for i, p in enumerate(pending)
    ]
    run = pdfkit.OfficeConversion(files)

    def finish() -> None:
        done = run.finish()
        for i, p in enumerate(pending):
            pdf = done.get(str(i))
            if pdf is None:
                p.item.note = _join(p.item.note, "无法转换为 PDF")
            else:
                p.item.pdf = pdf

    return finish


def count_pages(items: Sequence[Item]) -> None:
    """Pages of each converted item; a PDF that cannot be read goes to the zip instead."""
    for item in items:
        if item.pdf is None:
            continue
        try:
            item.pages = pdfkit.page_count(item.pdf)
        except pdfkit.NotConvertible as exc:
            item.pdf, item.pages = None, 0
            item.note = _join(item.note, str(exc))


def ordered(items: Sequence[Item]) -> list[Item]:
    """Sections in order; inside one, letters by date, documents by upload (stable)."""
    return sorted(
        items,
        key=lambda it: (
            it.section,
            it.on or date.min if it.letter_id else date.min,
            it.letter_id or 0,
            it.document_id or 0,
        ),
    )


def _join(a: str, b: str) -> str:
    return f"{a}；{b}" if a else b
