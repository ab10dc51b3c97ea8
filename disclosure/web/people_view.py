"""What the application page shows of people and sign-off (issue 16): the applicant's page,
where each draft stands in its approval chain, and the reconsideration and litigation cases.

Read-only: the drafts and answers come from the event log (`people.approval_chain`), the
cases from `report.reviews`; the forms that change them are on their own pages
(`routes.approvals`, `routes.reviews`).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from disclosure.models import Application, EventRecord, Role, User
from disclosure.people.approval_chain import (
    ChainState,
    approved_extension,
    approved_reply,
    chains,
    extension_reason,
    roles_text,
)
from disclosure.people.approval_sheet import local_time
from disclosure.report.labels import REVIEW_KIND_LABELS, REVIEW_RESULT_LABELS
from disclosure.report.models import ReviewKind, ReviewResult
from disclosure.report.reviews import list_cases
from disclosure.settings import Settings
from disclosure.vocabulary import ApprovalRole

# The choices of the review forms (value → label), in the order the annual report uses.
REVIEW_KINDS = [(k.value, REVIEW_KIND_LABELS[k.value]) for k in ReviewKind]
REVIEW_RESULTS = [(r.value, REVIEW_RESULT_LABELS[r.value]) for r in ReviewResult]
DECIDED_RESULTS = [pair for pair in REVIEW_RESULTS if pair[0] != ReviewResult.PENDING.value]


def sign_off_rows(state: ChainState, timezone: str) -> dict[str, Any]:
    """One draft's sign-off as the pages show it."""
    answers = [*state.approvals, *([state.sent_back] if state.sent_back else [])]
    return {
        "purpose": state.purpose.value,
        "purpose_label": state.purpose.label,
        "status": state.status,
        "approved": state.approved,
        "proposal": state.proposal,
        "facts": state.draft.text,
        "reasons": state.reasons,
        "drafter": state.draft.name,
        "drafted_at": local_time(state.draft.at, timezone),
        "chain": [ApprovalRole(r).label for r in state.chain],
        "waiting": roles_text(state.remaining) if state.sent_back is None else "",
        "answers": [
            {
                "role": a.role_label,
                "name": a.name,
                "said": a.answer_words,
                "at": local_time(a.at, timezone),
            }
            for a in sorted(answers, key=lambda a: a.event_id)
        ],
    }


def _extension_defaults(state: ChainState | None) -> dict[str, str]:
    if state is None:
        return {}
    last = state.approvals[-1].name if state.approvals else ""
    return {"days": str(state.days or ""), "approver": last, "note": extension_reason(state)}


def people_section(
    session: Session, app: Application, user: User, settings: Settings, records: list[EventRecord]
) -> dict[str, Any]:
    """The application page's applicant link, sign-off and review cases (`records`: the
    application's event log, read once for the page)."""
    tz = settings.office.timezone
    states = chains(records)
    signed = approved_reply(records, states)
    return {
        "applicant_id": app.applicant_id,
        "approval_required": settings.approval.required,
        "sign_off": [sign_off_rows(s, tz) for s in states.values()],
        # the reply form preselects what was signed off (approval_chain.approved_reply)
        "signed_reply": signed.code if signed is not None else "",
        # and the extension form what its draft proposed and who approved it last
        "signed_extension": _extension_defaults(approved_extension(states)),
        "may_draft": app.is_open,
        "office_user": user.role in (Role.ADMIN.value, Role.CLERK.value),
        "reviews": list_cases(session, number=app.number),
    }
