"""Workflow stages (Reg. Art. 45): the allowed transitions live here and nowhere else."""

from __future__ import annotations

from disclosure.errors import Conflict
from disclosure.models import Stage

TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    Stage.REGISTERED: frozenset({Stage.REVIEW, Stage.HANDLING, Stage.REPLIED}),
    Stage.REVIEW: frozenset({Stage.HANDLING, Stage.REPLIED}),
    Stage.HANDLING: frozenset({Stage.REPLIED}),
    Stage.REPLIED: frozenset({Stage.ARCHIVED}),
    Stage.ARCHIVED: frozenset(),
}

ORDER = list(Stage)

STAGE_LABELS = {
    Stage.REGISTERED: "登记",
    Stage.REVIEW: "审核",
    Stage.HANDLING: "办理",
    Stage.REPLIED: "答复",
    Stage.ARCHIVED: "归档",
}

# Recording an event implies the application has reached at least this stage.
IMPLIED_STAGE: dict[str, Stage] = {
    "correction_requested": Stage.REVIEW,
    "correction_received": Stage.REVIEW,
    "extension_granted": Stage.HANDLING,
    "consultation_sent": Stage.HANDLING,
    "consultation_answered": Stage.HANDLING,
    "fee_notice_sent": Stage.HANDLING,
    "fee_paid": Stage.HANDLING,
    "deferred": Stage.HANDLING,
    "replied": Stage.REPLIED,
    "withdrawn": Stage.REPLIED,
    "abandoned": Stage.REPLIED,
}


def check_transition(current: Stage, target: Stage) -> None:
    if target not in TRANSITIONS[current]:
        raise Conflict(
            f"不能从“{STAGE_LABELS[current]}”转到“{STAGE_LABELS[target]}”"
            f" / cannot move from {current} to {target}",
            field="stage",
        )


def advanced(current: Stage, kind: str) -> Stage:
    """The stage after recording an event of `kind` (never moves backwards)."""
    implied = IMPLIED_STAGE.get(kind)
    if implied is None or ORDER.index(implied) <= ORDER.index(current):
        return current
    if current is Stage.ARCHIVED or current is Stage.REPLIED:
        raise Conflict("申请已办结，不能再记录 / application already closed", field="stage")
    return implied
