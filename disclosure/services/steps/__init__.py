"""The catalogue of steps: every line an application's event log can gain.

Each step is a small typed object with its checks (`base.Step`); `step.record(session, ctx,
number)` appends its event, recomputes the stored deadlines once and returns the appended
event. The CLI, the web actions, the letter service and the ledger import are adapters that
build a step from their own input and call `record` (or, for the import, `plan`).

Adding a step: a `Step` subclass here, its `EventKind` with its label in
`disclosure.vocabulary`, and one adapter line per edge.
"""

from __future__ import annotations

from disclosure.services.steps.applicant_steps import DuplicateDecision
from disclosure.services.steps.approval_steps import Approval, Draft, SendBack
from disclosure.services.steps.base import CaseState, Planned, Recorded, Step, plan, record
from disclosure.services.steps.clock_steps import (
    ConsultationAnswered,
    ConsultationSent,
    CorrectionReceived,
    CorrectionRequested,
    Deferral,
    Extension,
    FeeNotice,
    FeePaid,
)
from disclosure.services.steps.closing_steps import (
    ABANDON_OUTCOMES,
    Abandonment,
    Reply,
    Withdrawal,
    check_abandon,
    parse_reason,
)
from disclosure.services.steps.handoff_steps import (
    Acceptance,
    CooperationAnswer,
    HandledAssignment,
    Return,
)
from disclosure.services.steps.office_steps import (
    Amendment,
    Assignment,
    Confirmation,
    Note,
    StageMove,
)
from disclosure.services.steps.receipt_steps import ReceiptCorrection
from disclosure.vocabulary import EventKind

# Every step, by the kind of event it appends.
CATALOGUE: dict[EventKind, type[Step]] = {
    s.kind: s
    for s in (
        Confirmation,
        CorrectionRequested,
        CorrectionReceived,
        Extension,
        ConsultationSent,
        ConsultationAnswered,
        FeeNotice,
        FeePaid,
        Deferral,
        Reply,
        Withdrawal,
        Abandonment,
        HandledAssignment,  # an `Assignment` that may name the handler
        StageMove,
        Note,
        Amendment,
        ReceiptCorrection,
        Draft,
        Approval,
        SendBack,
        DuplicateDecision,
        Acceptance,
        Return,
        CooperationAnswer,
    )
}

__all__ = [
    "ABANDON_OUTCOMES",
    "CATALOGUE",
    "Abandonment",
    "Acceptance",
    "Amendment",
    "Approval",
    "Assignment",
    "CaseState",
    "Confirmation",
    "ConsultationAnswered",
    "ConsultationSent",
    "CooperationAnswer",
    "CorrectionReceived",
    "CorrectionRequested",
    "Deferral",
    "Draft",
    "DuplicateDecision",
    "Extension",
    "FeeNotice",
    "FeePaid",
    "HandledAssignment",
    "Note",
    "Planned",
    "ReceiptCorrection",
    "Recorded",
    "Reply",
    "Return",
    "SendBack",
    "StageMove",
    "Step",
    "Withdrawal",
    "check_abandon",
    "parse_reason",
    "plan",
    "record",
]
