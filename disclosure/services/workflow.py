"""Workflow stages (Reg. Art. 45): the allowed transitions live here and nowhere else."""

from __future__ import annotations

from disclosure.errors import Conflict
from disclosure.vocabulary import EventKind, Stage

TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    Stage.REGISTERED: frozenset({Stage.REVIEW, Stage.HANDLING, Stage.REPLIED}),
    Stage.REVIEW: frozenset({Stage.HANDLING, Stage.REPLIED}),
    Stage.HANDLING: frozenset({Stage.REPLIED}),
    Stage.REPLIED: frozenset({Stage.ARCHIVED}),
    Stage.ARCHIVED: frozenset(),
}

ORDER = list(Stage)

# Recording an event implies the application has reached at least this stage.
IMPLIED_STAGE: dict[EventKind, Stage] = {
    EventKind.CORRECTION_REQUESTED: Stage.REVIEW,
    EventKind.CORRECTION_RECEIVED: Stage.REVIEW,
    EventKind.EXTENSION_GRANTED: Stage.HANDLING,
    EventKind.CONSULTATION_SENT: Stage.HANDLING,
    EventKind.CONSULTATION_ANSWERED: Stage.HANDLING,
    EventKind.FEE_NOTICE_SENT: Stage.HANDLING,
    EventKind.FEE_PAID: Stage.HANDLING,
    EventKind.LATE_PAYMENT_ACCEPTED: Stage.HANDLING,
    EventKind.DEFERRED: Stage.HANDLING,
    EventKind.REPLIED: Stage.REPLIED,
    EventKind.WITHDRAWN: Stage.REPLIED,
    EventKind.ABANDONED: Stage.REPLIED,
}


def check_transition(current: Stage, target: Stage, *, field: str = "to") -> None:
    if target not in TRANSITIONS[current]:
        raise Conflict(f"不能从“{current.label}”转到“{target.label}”", field=field)


def advanced(current: Stage, kind: EventKind) -> Stage:
    """The stage after recording an event of `kind` (never moves backwards)."""
    implied = IMPLIED_STAGE.get(kind)
    if implied is None or ORDER.index(implied) <= ORDER.index(current):
        return current
    if current is Stage.ARCHIVED or current is Stage.REPLIED:
        raise Conflict("申请已办结，不能再记录", field="number")
    return implied
