"""Correcting an issued letter: a new letter, separately numbered, naming the one it corrects.

The corrected letter is never touched (`disclosure.letters.records`); the new one carries its
own 文号 and date, the clerk's reason, the corrected letter's texts with the clerk's changes,
and a sentence saying which letter it corrects. It becomes the letter in force of its kind:
a reprint gives the correction, and `letter list` shows the old one as corrected by it.
Only what the letter says can change here; a different fact of the case (another date of the
step, another outcome) is recorded as a step first (rulebook §9), and an option that denies the
recorded step refuses. A fee notice whose fee was recorded with only its amount may state its
basis anew (--pages, --nth), checked against the recorded amount.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlmodel import Session

from disclosure.errors import Conflict, InvalidInput
from disclosure.letters import recorded
from disclosure.letters.kinds import LetterKind, kind_info
from disclosure.letters.options import LetterOptions, check_options, clerk_texts
from disclosure.letters.records import by_reference, check_not_corrected
from disclosure.letters.service import IssuedLetter, new_letter, render_and_freeze
from disclosure.models import EventRecord
from disclosure.services.context import Context
from disclosure.services.deadlines import events_of
from disclosure.services.lookup import get_application
from disclosure.storage import file_store

MAX_REASON = 500


def correct_letter(
    session: Session,
    *,
    ctx: Context,
    number: str,
    reference: str,
    reason: str,
    options: LetterOptions = LetterOptions(),
) -> IssuedLetter:
    """Issue the correction of letter `reference` of application `number` (module doc)."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput("须说明更正的理由", field="reason")
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"更正理由不超过 {MAX_REASON} 字", field="reason")
    app = get_application(session, number)
    assert app.id is not None
    old = by_reference(session, app.id, reference)
    check_not_corrected(session, old)
    info = kind_info(old.kind)
    check_options(info, options)
    on = options.on or ctx.today
    if on > ctx.today:
        raise InvalidInput(f"日期 {on} 晚于今天 {ctx.today}", field="--date")
    if on < old.issued_on:
        raise Conflict(
            f"更正文书的日期 {on} 早于被更正的 {old.reference}（{old.issued_on}）", field="--date"
        )
    event = session.get(EventRecord, old.event_id) if old.event_id else None
    basis: dict[str, Any] = {}
    if event is not None:  # the step stays as recorded; a fee's basis held by the letter may
        recorded.check_served(options, event, number)  # be stated anew (--pages, --nth)
        recorded.check_step_facts(info, options, event)
        if info.kind is LetterKind.FEE and (options.pages is not None or options.nth is not None):
            basis = recorded.fee_basis(options, event)
    letter = new_letter(
        session, ctx, app, info, old.variant, on, event, corrects=old, reason=reason
    )
    letter.data = dict(old.data or {}) | clerk_texts(replace(options, on=None)) | basis
    records = events_of(session, app)
    return render_and_freeze(
        session, ctx, app, info, letter, records, event, file_store(ctx.office.settings), True
    )
