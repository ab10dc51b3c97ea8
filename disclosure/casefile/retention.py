"""Retention: once `[retention] years` have passed since archiving, the applicant's ID number,
phone, e-mail and address are removed from the register (个人信息保护法第十九条、第四十七条:
kept no longer than needed).

What stays: every column the statistics and the annual report count (applicant type, dates,
outcome, …), the application's number, and the name. What is removed is also scrubbed from
the event log (any note or data string holding one of the removed values), and the removal is
itself an event (PERSONAL_DATA_REMOVED) naming the fields, never their values.
Not touched: stored files (scans, issued letters, archive packages), which are kept or
destroyed as whole records under the archive rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from disclosure.casefile.archive import ARCHIVED_STAGE_EVENT, retention_ends
from disclosure.casefile.documents import append_event
from disclosure.models import Applicant, Application, EventRecord, Stage
from disclosure.services.context import Context
from disclosure.settings import Settings
from disclosure.vocabulary import ApplicantKey, EventKind

PERSONAL_FIELDS = ("id_number", "phone", "email", "address")
FIELD_LABELS = {
    "id_number": "证件号码",
    "phone": "联系电话",
    "email": "电子邮箱",
    "address": "通讯地址",
}
REMOVED = EventKind.PERSONAL_DATA_REMOVED.value
MASK = "［已删除］"


@dataclass(frozen=True)
class Due:
    number: str
    application_id: int
    archived_on: date
    retention_ends: date
    fields: tuple[str, ...]  # the personal fields that still hold a value

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "archived_on": self.archived_on.isoformat(),
            "retention_ends": self.retention_ends.isoformat(),
            "fields": list(self.fields),
            "field_labels": [FIELD_LABELS[f] for f in self.fields],
        }


def due(session: Session, settings: Settings, today: date) -> Iterator[Due]:
    """Archived applications whose retention ended before `today` and which still hold
    personal data, by number."""
    years = settings.retention.years
    # 归档 is final: an archived application's latest stage move is the move to 归档.
    first_archived = (
        select(EventRecord.application_id, func.max(EventRecord.on).label("on"))
        .where(EventRecord.kind == ARCHIVED_STAGE_EVENT)
        .group_by(col(EventRecord.application_id))
        .subquery()
    )
    stmt = (
        select(Application, first_archived.c.on)
        .join(first_archived, first_archived.c.application_id == Application.id)
        .where(Application.stage == Stage.ARCHIVED.value)
        .order_by(col(Application.number))
    )
    for app, archived in session.exec(stmt):
        ends = retention_ends(archived, years)
        fields = tuple(f for f in PERSONAL_FIELDS if getattr(app, f))
        if ends < today and fields:
            yield Due(app.number, app.id, archived, ends, fields)  # type: ignore[arg-type]


def run(session: Session, *, ctx: Context, dry_run: bool = False) -> list[dict[str, Any]]:
    """Remove the personal data of every application `due`; with `dry_run`, only list them."""
    settings, today, actor, now = ctx.office.settings, ctx.today, ctx.actor, ctx.now
    out = []
    for item in list(due(session, settings, today)):
        entry = item.as_dict()
        if not dry_run:
            entry["events_scrubbed"] = _remove(session, item, today=today, actor=actor, now=now)
        out.append(entry)
    return out


def _remove(session: Session, item: Due, *, today: date, actor: str, now: datetime) -> int:
    app = session.get(Application, item.application_id, with_for_update=True)
    assert app is not None
    values = [v for v in (getattr(app, f) for f in item.fields) if len(v) >= 3]
    for f in item.fields:
        setattr(app, f, "")
    app.updated_at = now
    session.add(app)
    scrubbed = 0
    stmt = select(EventRecord).where(EventRecord.application_id == app.id)
    for rec in session.exec(stmt):
        note, data = _scrub(rec.note, values), _scrub(rec.data, values)
        if note != rec.note or data != rec.data:
            rec.note, rec.data = note, data
            session.add(rec)
            scrubbed += 1
    _forget_applicant(session, app)
    append_event(
        session,
        app,
        EventKind.PERSONAL_DATA_REMOVED,
        today,
        actor=actor,
        now=now,
        note="保存期限届满，已删除：" + "、".join(FIELD_LABELS[f] for f in item.fields),
        data={
            "fields": list(item.fields),
            "archived_on": item.archived_on.isoformat(),
            "retention_ends": item.retention_ends.isoformat(),
            "events_scrubbed": scrubbed,
        },
    )
    return scrubbed


def _forget_applicant(session: Session, app: Application) -> None:
    """The applicant register forgets the person too once none of their applications keeps
    personal data (an applicant with a case still inside its retention period stays)."""
    if app.applicant_id is None:
        return
    others = session.exec(
        select(Application).where(
            Application.applicant_id == app.applicant_id, Application.id != app.id
        )
    ).all()
    if any(o.id_number or o.phone or o.email or o.address for o in others):
        return
    person = session.get(Applicant, app.applicant_id)
    if person is None:
        return
    person.id_number = person.phone = ""
    if person.key_kind != ApplicantKey.CREDIT_CODE.value:  # an organisation's code is public
        person.key = f"removed:{person.id}"  # the statistics keep the row, not who it was
    session.add(person)


def _scrub(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, str):
        for s in secrets:
            value = value.replace(s, MASK)
        return value
    if isinstance(value, dict):
        return {k: _scrub(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, secrets) for v in value]
    return value
