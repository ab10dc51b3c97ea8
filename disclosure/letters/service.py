"""Issuing letters: the ledger event, the serial number and the frozen letter in one transaction.

`issue_letter` is the caller's unit of work's business: it records the step the letter
announces through the catalogue of steps (`disclosure.services.steps`; unless that step is
already recorded, in which case the letter uses the recorded dates), assigns the 文号 with
`disclosure.services.numbering.next_number` (gapless per series and year, in date order),
renders the .docx from the ledger as it stood on the letter's own date, and stores it as the
issued record (`disclosure.letters.records`). Asking for the same letter again returns the
stored file byte for byte; changing an issued letter is a correction
(`disclosure.letters.correct`), never a rewrite. Bad input raises before anything is
written; the caller's transaction rolls back every other failure, the stored file included.
`issue_many` issues a batch in the caller's one transaction, reading the applications, their
events and letters with a few queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from disclosure.errors import ConfigError, Conflict, InvalidInput, NotFound
from disclosure.letters import more_letters, recorded
from disclosure.letters.context import Facts, build_context
from disclosure.letters.kinds import KindInfo, LetterKind, kind_info
from disclosure.letters.models import Letter
from disclosure.letters.options import (
    LetterOptions,
    as_signed_off,
    check_options,
    check_reply_variant,
    clerk_texts,
    find_event,
    letter_step,
    needs,
    variant_of,
)
from disclosure.letters.records import check_date_order, current, freeze, stored_docx
from disclosure.letters.render import render_docx, template_path
from disclosure.models import Application, EventRecord
from disclosure.people.approval_chain import letter_gate
from disclosure.services.context import Context
from disclosure.services.deadlines import compute_for, events_of
from disclosure.services.lookup import get_application
from disclosure.services.numbering import next_number
from disclosure.services.office import Office
from disclosure.storage import FileStore, file_store
from disclosure.vocabulary import EventKind

# The option each clerk's text is typed with (an error on a reprint names it).
CLI_OPTIONS = {"items": "--item", "attachments": "--attachment", "variant_code": "--variant"}
LETTER_EVENT = EventKind.LETTER_ISSUED.value  # the ledger line of every first issue (台账)


@dataclass(frozen=True)
class IssuedLetter:
    letter: Letter
    info: KindInfo
    context: dict[str, Any]  # the facts the letter was rendered from (kept on the row)
    content: bytes  # the issued .docx, as stored
    new: bool

    def render(self) -> bytes:
        """The issued .docx: the stored bytes, identical on every call and every reprint."""
        return self.content


def issue_letter(
    session: Session, *, ctx: Context, number: str, kind: str, options: LetterOptions
) -> IssuedLetter:
    """Record (or find) the letter of `kind` for application `number`; see the module doc."""
    info = kind_info(kind)
    app = get_application(session, number)
    _check_request(app, info, options)
    records = events_of(session, app)
    variant = variant_of(info, options, records)
    assert app.id is not None
    letter = current(session, app.id, info.kind.value, variant)
    return _issue(session, ctx, app, info, options, variant, records, letter)


@dataclass(frozen=True)
class LetterRequest:
    """One letter of a batch (see `issue_many`)."""

    number: str
    kind: str
    options: LetterOptions = field(default_factory=LetterOptions)


BATCH_CHUNK = 500  # numbers per IN (...) when a batch reads its applications


def issue_many(
    session: Session, *, ctx: Context, requests: Sequence[LetterRequest]
) -> list[IssuedLetter]:
    """Issue a batch of letters in the caller's transaction: all of them, or (on any error)
    none, as the caller rolls back. Each letter is what `issue_letter` gives for it, in order;
    a batch naming an application twice sees its own earlier letters. The applications, their
    events and their letters are read with a few queries for the whole batch.
    """
    infos = [kind_info(r.kind) for r in requests]  # an unknown kind fails before any work
    numbers = list(dict.fromkeys(r.number for r in requests))
    found: dict[str, Application] = {}
    for i in range(0, len(numbers), BATCH_CHUNK):
        chunk = numbers[i : i + BATCH_CHUNK]
        rows = session.exec(select(Application).where(col(Application.number).in_(chunk)))
        found.update((a.number, a) for a in rows)
    ids = [a.id for a in found.values()]
    events: dict[int, list[EventRecord]] = {i: [] for i in ids}  # type: ignore[misc]
    letters: dict[tuple[int, str, str], Letter] = {}
    for i in range(0, len(ids), BATCH_CHUNK):
        chunk_ids = ids[i : i + BATCH_CHUNK]
        stmt = select(EventRecord).where(col(EventRecord.application_id).in_(chunk_ids))
        for rec in session.exec(stmt.order_by(col(EventRecord.on), col(EventRecord.id))):
            events[rec.application_id].append(rec)
        stmt_l = select(Letter).where(col(Letter.application_id).in_(chunk_ids))
        for row in session.exec(stmt_l.order_by(col(Letter.id))):  # the last of each chain wins
            letters[(row.application_id, row.kind, row.variant)] = row
    seen: set[int] = set()
    out = []
    for req, info in zip(requests, infos, strict=True):
        app = found.get(req.number)
        if app is None:
            raise NotFound(f"没有编号为 {req.number} 的申请", field="NUMBER")
        assert app.id is not None
        _check_request(app, info, req.options)
        # an application met again: read its log afresh (this batch has added to it)
        records = events_of(session, app) if app.id in seen else events[app.id]
        seen.add(app.id)
        variant = variant_of(info, req.options, records)
        key = (app.id, info.kind.value, variant)
        issued = _issue(session, ctx, app, info, req.options, variant, records, letters.get(key))
        letters[key] = issued.letter
        out.append(issued)
    return out


def _check_request(app: Application, info: KindInfo, options: LetterOptions) -> None:
    if app.received_on is None:
        raise Conflict("尚未确认收到申请，请先确认", field="NUMBER")
    check_options(info, options)
    if (
        info.kind is LetterKind.REPLY
        and options.outcome
        and app.outcome not in (None, options.outcome)
    ):
        raise Conflict(
            f"已记录的答复结果为 {app.outcome}，与 {options.outcome} 不符",
            field="--outcome",
        )


def _issue(
    session: Session,
    ctx: Context,
    app: Application,
    info: KindInfo,
    options: LetterOptions,
    variant: str,
    records: list[EventRecord],
    letter: Letter | None,
) -> IssuedLetter:
    """The letter for `app` given its event log `records` and its letter in force, if any."""
    store = file_store(ctx.office.settings)
    if letter is not None:
        check_reprint(letter, options)
        event = session.get(EventRecord, letter.event_id) if letter.event_id else None
        recorded.check_reprint_steps(info, options, letter, event, app.number)
        content = stored_docx(letter, store)
        if content is not None:
            return IssuedLetter(letter, info, dict(letter.facts), content, False)
        # numbered before issued letters were stored: frozen now, as of its own date
        return render_and_freeze(session, ctx, app, info, letter, records, event, store, False)
    if info.kind is LetterKind.REPLY:
        options = as_signed_off(options, app, records)
    event = find_event(info, records, variant)
    earlier = event  # a step recorded before: the letter states it as recorded, dated its day
    if event is not None:
        recorded.check_first_issue(info, options, event, app.number)
    elif info.event is not None:
        if info.kind is LetterKind.FEE:
            recorded.amount_only(options)
        event = _record(session, ctx, app, info, options, variant)
        records = events_of(session, app)
    if event is None:
        needs(info, records)
    basis = recorded.fee_basis(options, event) if event and info.kind is LetterKind.FEE else {}
    issued_on = event.on if event else (options.on or ctx.today)
    if issued_on > ctx.today:
        raise InvalidInput(f"日期 {issued_on} 晚于今天 {ctx.today}", field="--date")
    letter_gate(session, ctx, app, info.kind.value, records)  # sign-off first (issue 16)
    if info.kind is LetterKind.REPLY:  # after the sign-off's refusal, before a 文号 is drawn
        check_reply_variant(options, app, records)
    resolved = more_letters.resolve(session, info.kind, app, variant)  # before a 文号 is drawn
    source = f"已记录的“{recorded.step_label(earlier)}”的日期" if earlier else ""
    letter = new_letter(session, ctx, app, info, variant, issued_on, event, source=source)
    letter.data = clerk_texts(options) | resolved | basis
    return render_and_freeze(session, ctx, app, info, letter, records, event, store, True)


def check_reprint(letter: Letter, options: LetterOptions) -> None:
    """A reprint is the issued letter: options that would change it refuse (correct instead)."""
    how = f"文书 {letter.reference} 已于 {letter.issued_on} 出具，不能改写；如需更改，请更正该文书"
    if options.on is not None and options.on != letter.issued_on:
        raise Conflict(how + f"（更正文书的日期：{options.on}）", field="--date")
    stored = letter.data or {}
    for name, value in clerk_texts(options).items():
        if stored.get(name) != value:
            option = CLI_OPTIONS.get(name, "--" + name.replace("_", "-"))
            raise Conflict(how, field=option)


def render_and_freeze(
    session: Session,
    ctx: Context,
    app: Application,
    info: KindInfo,
    letter: Letter,
    records: list[EventRecord],
    event: EventRecord | None,
    store: FileStore,
    is_new: bool,
) -> IssuedLetter:
    """Render `letter` from the ledger up to its own date and store it as issued."""
    office = ctx.office
    session.add(letter)
    session.flush()
    upto = [r for r in records if r.on <= letter.issued_on]  # the recital stops at its date
    deadlines = compute_for(app, upto, office)
    assert deadlines is not None
    extras = dict(letter.data or {})
    before = None  # an extension letter states the reply date as it stood before its step
    if info.kind is LetterKind.EXTENSION and event is not None:
        before = compute_for(app, [r for r in upto if r.id != event.id], office)
    if letter.corrects_id is not None:
        old = session.get(Letter, letter.corrects_id)
        assert old is not None
        extras["corrects_reference"] = old.reference
        extras["corrects_on"] = old.issued_on.isoformat()
    facts = Facts(office, app, info, letter, upto, deadlines, event, extras, before)
    context = build_context(facts)
    content = render_docx(template_path(office.settings, info), context)
    freeze(session, letter, content, context, store)
    session.flush()
    return IssuedLetter(letter, info, context, content, is_new)


def letters_of(session: Session, number: str) -> list[Letter]:
    app = get_application(session, number)
    stmt = select(Letter).where(Letter.application_id == app.id).order_by(col(Letter.id))
    return list(session.exec(stmt).all())


def _record(
    session: Session,
    ctx: Context,
    app: Application,
    info: KindInfo,
    o: LetterOptions,
    variant: str,
) -> EventRecord:
    """Record the step the letter announces; returns the appended event."""
    step = letter_step(info, o, variant, o.on or ctx.today)
    return step.record(session, ctx, app.number).event


def _reference(office: Office, info: KindInfo, year: int, n: int) -> str:
    letters = office.settings.letters
    if info.series not in letters.series:
        raise ConfigError(
            f"未配置文书系列 {info.series!r} 的文号用字",
            field=f"letters.series.{info.series}",
        )
    try:
        return letters.serial_pattern.format(
            abbr=office.settings.office.agency_abbr,
            series=letters.series[info.series],
            year=year,
            n=n,
        )
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(
            f"文号格式无效：{letters.serial_pattern!r}（可用 {{abbr}} {{series}} {{year}} {{n}}）",
            field="letters.serial_pattern",
        ) from exc


def new_letter(
    session: Session,
    ctx: Context,
    app: Application,
    info: KindInfo,
    variant: str,
    issued_on: date,
    event: EventRecord | None,
    corrects: Letter | None = None,
    reason: str = "",
    source: str = "",
) -> Letter:
    """A new numbered letter row (with its ledger line); `corrects`: the letter it replaces;
    `source`: where its date comes from, when not from the clerk (a recorded step)."""
    year, actor, now = issued_on.year, ctx.actor, ctx.now
    try:
        check_date_order(session, info.series, issued_on, source)
    except Conflict as exc:
        if event is not None:  # a step recorded late: its paper letter goes into the file
            exc.message += (
                "；该步骤的文书如当时已另行出具，请将其扫描件附入案卷："
                f"disclosure attach {app.number} 文件 --kind other --event {event.id}"
            )
            exc.args = (exc.message,)
        raise
    n = next_number(session, series=f"letter:{info.series}", year=year)
    reference = _reference(ctx.office, info, year, n)
    letter = Letter(
        application_id=app.id,  # type: ignore[arg-type]
        kind=info.kind.value,
        variant=variant,
        series=info.series,
        year=year,
        serial=n,
        reference=reference,
        issued_on=issued_on,
        event_id=event.id if event else None,
        data={},
        corrects_id=corrects.id if corrects else None,
        correction_reason=reason,
        created_at=now,
        updated_at=now,
        created_by=actor,
    )
    session.add(letter)
    session.add(
        EventRecord(
            application_id=app.id,  # type: ignore[arg-type]
            kind=LETTER_EVENT,
            on=issued_on,
            party=variant or None,
            note=f"{info.name} {reference}"
            + (f"（更正 {corrects.reference}）" if corrects else ""),
            data={"letter_kind": info.kind.value, "reference": reference}
            | ({"corrects": corrects.reference} if corrects else {}),
            actor=actor,
            recorded_at=now,
        )
    )
    return letter


__all__ = [
    "IssuedLetter",
    "LetterOptions",
    "LetterRequest",
    "issue_letter",
    "issue_many",
    "letters_of",
]
