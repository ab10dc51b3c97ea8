"""The case-file part of the application page (`_casefile.html`): documents (each uploader
named by display name), each issued letter with its service (or 未送达), the reply's
答复送达日, and the archive volumes."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from disclosure.casefile import detect
from disclosure.casefile.archive import volumes_of
from disclosure.casefile.documents import as_dict, documents_of
from disclosure.casefile.service_records import reply_given_on, unserved_reply_text
from disclosure.letters.kinds import kind_info
from disclosure.letters.models import Letter
from disclosure.letters.records import variant_label
from disclosure.models import Application, EventRecord, Role, Stage, User
from disclosure.people.accounts import shown_names
from disclosure.services.office import Office
from disclosure.services.serving import service_states
from disclosure.services.timeline import event_label
from disclosure.vocabulary import DocumentKind, EventKind, ServiceMethod

EVENT_LABELS = EventKind.labels()


def casefile_section(
    session: Session,
    app: Application,
    *,
    user: User,
    office: Office,
    records: list[EventRecord],
    today: date,
) -> dict[str, Any]:
    settings = office.settings
    tz = ZoneInfo(settings.office.timezone)
    docs = []
    for doc in documents_of(session, app.id):  # type: ignore[arg-type]
        d = as_dict(doc)
        d["uploaded_local"] = doc.uploaded_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        d["preview"] = doc.media_type in detect.PREVIEWABLE
        d["image"] = d["preview"] and doc.media_type in detect.IMAGES
        docs.append(d)
    # the row keeps the uploader's username; the page names the person (one query)
    people = shown_names(session, (d["uploaded_by"] for d in docs))
    for d in docs:
        d["uploaded_by_name"] = people.get(d["uploaded_by"], d["uploaded_by"])
    stmt = select(Letter).where(Letter.application_id == app.id).order_by(col(Letter.id))
    letters = list(session.exec(stmt))
    states = service_states(records)
    limit = settings.service.unserved_warning_days
    rows = []
    for lt in letters:
        state = states.get(lt.id)  # type: ignore[arg-type]
        days = office.calendar.working_days_between(lt.issued_on, today)
        rows.append(
            {
                "id": lt.id,
                "reference": lt.reference,
                "name": kind_info(lt.kind).name,
                "variant": variant_label(lt),
                "issued_on": lt.issued_on.isoformat(),
                "service": state.as_dict() if state else None,
                "late": state is None and days > limit,
                "days": days,
            }
        )
    given = reply_given_on(letters, records)
    return {
        "documents": docs,
        "events": [(r.id, f"{r.on} {EVENT_LABELS.get(r.kind) or event_label(r)}") for r in records],
        "kinds": list(DocumentKind),
        "methods": list(ServiceMethod),
        "letters": rows,
        "unserved_limit": limit,
        "reply_given": given.isoformat() if given else None,
        "reply_on_time": (given <= app.reply_due) if given and app.reply_due else None,
        "volumes": volumes_of(session, app.id),  # type: ignore[arg-type]
        "can_archive": user.role != Role.DEPARTMENT.value
        and app.stage in (Stage.REPLIED.value, Stage.ARCHIVED.value),
        # said before archiving (the button asks), not only after
        "archive_warning": unserved_reply_text(letters, records) or "",
        "max_mb": settings.documents.max_mb,
        "accepted": "、".join(label for label, _ext in detect.ACCEPTED.values()),
    }
