"""An applicant's page (issue 16, item 5): every application of theirs with its outcome,
fee, and reconsideration and litigation cases — the data behind `disclosure applicant show`.

For the office only (an applicant's history crosses departments). The ID number is masked,
except for an administrator.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from disclosure.db import transaction
from disclosure.models import Role
from disclosure.people.applicant_view import applicant_view, find_applicant
from disclosure.report.labels import REVIEW_KIND_LABELS, REVIEW_RESULT_LABELS
from disclosure.report.models import ReviewKind
from disclosure.web.deps import OfficeUser, web
from disclosure.web.render import render

router = APIRouter(prefix="/applicants")
LITIGATION = frozenset(
    {ReviewKind.LITIGATION_DIRECT.value, ReviewKind.LITIGATION_AFTER_REVIEW.value}
)


@router.get("/{key}")
def applicant_page(request: Request, key: str, user: OfficeUser) -> Response:
    """`key`: the applicant's id (the application page links it), a registration number,
    an ID number or a credit code (`applicant_view.find_applicant`)."""
    with transaction(web(request).engine, write=False) as session:
        applicant = find_applicant(session, key)
        view = applicant_view(session, applicant)
        full_id = applicant.id_number if user.role == Role.ADMIN.value else ""
    for row in view["applications"]:
        cases = row["reviews"]
        row["reconsiderations"] = [c for c in cases if c["kind"] not in LITIGATION]
        row["lawsuits"] = [c for c in cases if c["kind"] in LITIGATION]
    return render(
        request,
        "applicant.html",
        {
            "a": view,
            "full_id": full_id,
            "kind_labels": REVIEW_KIND_LABELS,
            "result_labels": REVIEW_RESULT_LABELS,
        },
    )
