"""The archive package (案卷): archive the application and store its PDF, once per volume.

`archive_case` moves a replied application to 归档 (as `disclosure archive` always did) and
makes volume 0 (正卷); asked again it returns the stored volume byte for byte. Documents,
letters or events added after a volume go into the next one (补充卷 1, 2, …), made when asked
again. Each volume is stored in the file store like an issued letter (PDF, and a zip of the
items that could not be converted), recorded in `case_archive`, and announced on the
timeline by a CASE_ARCHIVED event carrying its SHA-256 — all in the caller's transaction.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from disclosure.casefile import contents, pages, pdfkit
from disclosure.casefile.contents import Item, Pending
from disclosure.casefile.documents import append_event, documents_of
from disclosure.casefile.letter_files import letter_file
from disclosure.casefile.models import CaseArchive
from disclosure.casefile.service_records import reply_given_on
from disclosure.errors import NotFound
from disclosure.letters.models import Letter
from disclosure.models import Application, Department, EventRecord, Stage
from disclosure.outcomes import OUTCOMES
from disclosure.people.accounts import shown_name, shown_names
from disclosure.people.approval_chain import SIGN_KINDS, chains, history
from disclosure.people.approval_sheet import TITLE as SHEET_TITLE
from disclosure.people.approval_sheet import approval_sheet
from disclosure.services import steps
from disclosure.services.context import Context
from disclosure.services.deadlines import events_of
from disclosure.services.lookup import get_application
from disclosure.services.office import Office
from disclosure.services.queries import department_names
from disclosure.services.read_model import summarise
from disclosure.storage import FileStore, file_store
from disclosure.vocabulary import ApplicantType, EventKind

ARCHIVED_STAGE_EVENT = EventKind.STAGE_MOVED.value  # with data {"to": "archived"}
TITLE = "政府信息公开申请办理案卷"
MAX_LAYOUT_PASSES = 4


@dataclass(frozen=True)
class ArchiveResult:
    volume: CaseArchive
    pdf: bytes
    zip: bytes | None
    created: bool  # made by this call (False: the stored volume handed out again)
    zip_name: str


def archived_on(records: list[EventRecord]) -> date | None:
    """The day the application was moved to 归档 (its first such event)."""
    days = [
        r.on
        for r in records
        if r.kind == ARCHIVED_STAGE_EVENT and (r.data or {}).get("to") == Stage.ARCHIVED.value
    ]
    return min(days) if days else None


def retention_ends(archived: date, years: int) -> date:
    """The same day `years` later (29 February → 28 February)."""
    try:
        return archived.replace(year=archived.year + years)
    except ValueError:
        return archived.replace(year=archived.year + years, day=28)


def volumes_of(session: Session, application_id: int) -> list[CaseArchive]:
    stmt = select(CaseArchive).where(CaseArchive.application_id == application_id)
    return list(session.exec(stmt.order_by(col(CaseArchive.volume))))


def zip_name(number: str, volume: int) -> str:
    return f"{number}-案卷{'' if volume == 0 else f'-补充卷{volume}'}.zip"


def read_volume(store: FileStore, v: CaseArchive, number: str) -> ArchiveResult:
    z = store.read(v.zip_sha256) if v.zip_sha256 else None
    return ArchiveResult(v, store.read(v.sha256), z, False, zip_name(number, v.volume))


def archive_case(
    session: Session,
    *,
    ctx: Context,
    number: str,
    note: str = "",
    volume: int | None = None,
    store: FileStore | None = None,
) -> ArchiveResult:
    """Archive `number` and return its package; see the module docstring.

    `volume` returns that stored volume (nothing is made); otherwise the newest volume, made
    now when the application has documents, letters or events no volume holds yet.
    """
    office, today, actor, now = ctx.office, ctx.today, ctx.actor, ctx.now
    store = store or file_store(office.settings)
    app = get_application(session, number, lock=True)
    made = volumes_of(session, app.id)  # type: ignore[arg-type]
    if volume is not None:
        for v in made:
            if v.volume == volume:
                return read_volume(store, v, number)
        raise NotFound(f"申请 {number} 没有第 {volume} 卷", field="volume")
    if app.stage != Stage.ARCHIVED.value:
        archived = steps.StageMove(on=today, to=Stage.ARCHIVED, note=note)
        archived.record(session, ctx, number)
        session.flush()
    records = events_of(session, app)
    docs = [
        d
        for d in documents_of(session, app.id)  # type: ignore[arg-type]
        if not any(d.id in v.document_ids for v in made)
    ]
    letter_rows = list(
        session.exec(select(Letter).where(Letter.application_id == app.id).order_by(col(Letter.id)))
    )
    letters = [lt for lt in letter_rows if not any(lt.id in v.letter_ids for v in made)]
    after = max((v.last_event_id for v in made), default=0)
    log = [r for r in records if (r.id or 0) > after and r.kind != EventKind.CASE_ARCHIVED.value]
    if made and not docs and not letters and not log:
        return read_volume(store, made[-1], number)
    n = len(made)
    tz = ZoneInfo(office.settings.office.timezone)
    items: list[Item] = []
    pending: list[Pending] = []
    for lt in letters:
        lf = letter_file(session, ctx=ctx, app=app, letter=lt, store=store)
        item, p = contents.letter_item(lf)
        items.append(item)
        pending += [p] if p else []
    for title, docx, on in _approval_sheets(session, ctx, number, records, log):
        item, p = contents.approval_item(title, docx, on)
        items.append(item)
        pending.append(p)
    for doc in docs:
        day = doc.uploaded_at.astimezone(tz).date()
        item, p = contents.document_item(doc, store.read(doc.sha256), day)
        items.append(item)
        pending += [p] if p else []
    finish = contents.start_conversion(pending)  # LibreOffice runs while the rest is made
    try:
        contents.convert_images(items)
        names = {d.code: d.name for d in department_names(session).values()}
        people = shown_names(session, (r.actor for r in log))
        log_pdf = pages.event_log(log, office.settings.office.timezone, names, people)
    finally:
        finish()
    items.append(Item(contents.LOG_SECTION, "办理经过（事件记录）", "", today, log_pdf))
    contents.count_pages(items)
    items = contents.ordered(items)
    name = zip_name(number, n)
    rows = _cover_rows(session, office, app, records, letter_rows, n, made)
    pdf, total = _layout(office, app, n, items, rows, name)
    zipped = _zip(items, today)
    stored = store.put(pdf, session=session)
    zip_digest = store.put(zipped, session=session).sha256 if zipped else None
    row = CaseArchive(
        application_id=app.id,  # type: ignore[arg-type]
        volume=n,
        sha256=stored.sha256,
        size=stored.size,
        pages=total,
        zip_sha256=zip_digest,
        document_ids=[d.id for d in docs],  # type: ignore[misc]
        letter_ids=[lt.id for lt in letters],  # type: ignore[misc]
        last_event_id=max((r.id or 0 for r in records), default=0),
        created_at=now,
        created_by=actor,
    )
    session.add(row)
    session.flush()
    label = "正卷" if n == 0 else f"补充卷 {n}"
    ev = append_event(
        session,
        app,
        EventKind.CASE_ARCHIVED,
        today,
        actor=actor,
        now=now,
        note=f"{label}，{total} 页，SHA-256 {stored.sha256}",
        data={
            "archive_id": row.id,
            "volume": n,
            "sha256": stored.sha256,
            "size": stored.size,
            "pages": total,
            "zip_sha256": zip_digest,
        },
    )
    row.event_id = ev.id
    session.add(row)
    return ArchiveResult(row, pdf, zipped, True, name)


def _approval_sheets(
    session: Session, ctx: Context, number: str, records: list[EventRecord], log: list[EventRecord]
) -> list[tuple[str, bytes, date]]:
    """The approval sheet of each purpose signed off in this volume's events (a later
    volume gets the sheet again when its sign-off went on)."""
    new = {(r.data or {}).get("purpose", "reply") for r in log if r.kind in SIGN_KINDS}
    out = []
    for purpose in chains(records):
        if purpose.value in new:
            last = max(r.on for r in history(records, purpose))
            docx = approval_sheet(session, ctx, number, purpose)
            out.append((f"{SHEET_TITLE}（{purpose.label}）", docx, last))
    return out


def _layout(
    office: Office,
    app: Application,
    n: int,
    items: list[Item],
    rows: list[tuple[str, str]],
    name: str,
) -> tuple[bytes, int]:
    """Cover + 目录 + items, page numbers settled (the 目录's own length moves them)."""
    front = (1, 1)  # pages of the cover, of the 目录
    for _ in range(MAX_LAYOUT_PASSES):
        page = sum(front) + 1
        for it in items:
            it.start = page if it.pdf else 0
            page += it.pages
        total = page - 1
        cover = pages.cover(
            agency=office.settings.office.agency_name,
            title=TITLE,
            volume_label="正卷" if n == 0 else f"补充卷 {n}",
            rows=rows,
            items=len(items),
            pages=total,
        )
        toc = pages.toc(items, name)
        got = (pdfkit.page_count(cover), pdfkit.page_count(toc))
        if got == front:
            break
        front = got
    parts = [cover, toc, *(it.pdf for it in items if it.pdf)]
    return pdfkit.merge(parts, title=f"{TITLE} {app.number}"), total


def _cover_rows(
    session: Session,
    office: Office,
    app: Application,
    records: list[EventRecord],
    letters: list[Letter],
    n: int,
    made: list[CaseArchive],
) -> list[tuple[str, str]]:
    dep = session.get(Department, app.lead_department_id) if app.lead_department_id else None
    closing = [r for r in records if r.kind in ("replied", "withdrawn", "abandoned")]
    given = reply_given_on(letters, records)
    if given is None:
        served = "未送达" if closing else "—"
    elif app.reply_due is not None:
        served = f"{given.isoformat()}（{'按期' if given <= app.reply_due else '逾期'}）"
    else:
        served = given.isoformat()
    archived = archived_on(records)
    years = office.settings.retention.years
    keep = f"{years} 年" + (
        f"（至 {retention_ends(archived, years).isoformat()}）" if archived else ""
    )
    rows = [
        ("登记编号", app.number),
        ("申请人", app.applicant_name),
        ("申请人类型", ApplicantType(app.applicant_type).label),
        ("申请内容摘要", summarise(app.content, 120)),
        ("办理结果", _outcome(app.outcome)),
        ("收到申请日期", _d(app.received_on)),
        ("答复期限", _d(app.reply_due)),
        ("答复日期", _d(app.closed_on)),
        ("答复送达日", served),
        ("主办部门", dep.name if dep else "—"),
        ("经办人", (shown_name(session, closing[-1].actor) or "—") if closing else "—"),
        ("归档日期", _d(archived)),
        ("保管期限", keep),
    ]
    if n > 0:
        rows.append(("正卷", f"共 {made[0].pages} 页，SHA-256 {made[0].sha256}"))
    return rows


def _outcome(code: str | None) -> str:
    o = OUTCOMES.get(code or "")
    if o is None:
        return "—"
    return f"{o.group}" + ("" if o.label in o.group else f"：{o.label}") + f"（{o.code}）"


def _d(d: date | None) -> str:
    return d.isoformat() if d else "—"


def _zip(items: list[Item], today: date) -> bytes | None:
    """The items without pages, each under its 目录 number (fixed timestamps: same bytes)."""
    members = [(i, it) for i, it in enumerate(items, start=1) if not it.pdf and it.original]
    if not members:
        return None
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i, it in members:
            file_name, data = it.original  # type: ignore[misc]
            info = zipfile.ZipInfo(
                f"{i:02d}-{file_name}", date_time=(today.year, today.month, today.day, 0, 0, 0)
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()
