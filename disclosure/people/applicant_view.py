"""One applicant and every application of theirs: outcomes, fees, reviews and lawsuits.

The applicant is found by a key a clerk has at hand: a registration number (its applicant),
an ID number, a credit code, or the applicant's row id. ID numbers are masked here: the
full number is shown only in the admin view of an application.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from disclosure.errors import NotFound
from disclosure.models import Applicant, Application, EventRecord
from disclosure.outcomes import OUTCOMES
from disclosure.people.applicants import month_position
from disclosure.report.models import ReviewCase
from disclosure.services.views import mask_id
from disclosure.vocabulary import ApplicantKey, EventKind


def find_applicant(session: Session, key: str) -> Applicant:
    """The applicant named by `key` (see the module doc); `NotFound` otherwise."""
    value = key.strip()
    app = session.exec(select(Application).where(Application.number == value)).first()
    if app is not None:
        if app.applicant_id is None:
            raise NotFound(
                f"申请 {value} 未关联申请人（登记时没有身份证件号码、统一社会信用代码或电话）",
                field="key",
            )
        found = session.get(Applicant, app.applicant_id)
    else:
        upper = value.upper()
        candidates = [f"ric:{upper}", f"id:{value}", f"uscc:{upper}"]
        found = session.exec(select(Applicant).where(col(Applicant.key).in_(candidates))).first()
        if found is None and value.isdigit() and len(value) < 10:
            found = session.get(Applicant, int(value))
    if found is None:
        raise NotFound(f"没有与 {value} 对应的申请人", field="key")
    return found


def applicant_view(session: Session, applicant: Applicant) -> dict[str, Any]:
    """The applicant (ID masked) and each application, oldest first."""
    apps = list(
        session.exec(
            select(Application)
            .where(Application.applicant_id == applicant.id)
            .order_by(col(Application.received_on), col(Application.id))
        )
    )
    ids = [a.id for a in apps]
    fees: dict[int, int] = {}
    for ev in session.exec(
        select(EventRecord).where(
            col(EventRecord.application_id).in_(ids),
            EventRecord.kind == EventKind.FEE_NOTICE_SENT.value,
        )
    ):
        fees[ev.application_id] = fees.get(ev.application_id, 0) + (ev.amount_yuan or 0)
    reviews: dict[int, list[dict[str, Any]]] = {}
    for r in session.exec(
        select(ReviewCase)
        .where(col(ReviewCase.application_id).in_(ids))
        .order_by(col(ReviewCase.id))
    ):
        reviews.setdefault(r.application_id, []).append(
            {"kind": r.kind, "result": r.result, "filed_on": r.filed_on.isoformat()}
        )
    return {
        "id": applicant.id,
        "name": applicant.name,
        "key_kind": applicant.key_kind,
        "key_label": ApplicantKey(applicant.key_kind).label,
        "id_number_masked": mask_id(applicant.id_number) if applicant.id_number else "",
        "credit_code": applicant.credit_code,
        "applications": [
            {
                "number": a.number,
                "received_on": a.received_on.isoformat() if a.received_on else None,
                "month_nth": month_position(session, a),
                "content": a.content,
                "stage": a.stage,
                "outcome": a.outcome,
                "outcome_label": OUTCOMES[a.outcome].label if a.outcome in OUTCOMES else None,
                "closed_on": a.closed_on.isoformat() if a.closed_on else None,
                "fee_yuan": fees.get(a.id or 0, 0),
                "reviews": reviews.get(a.id or 0, []),
            }
            for a in apps
        ],
    }
