"""Every fact an auditor needs to recount an application's dates (`show --json` "facts").

Built from the engine's result (`rules.deadlines.Deadlines`) on a given day; the schema is
documented with an example in docs/show-json.md (a stable contract: keys are only added).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from disclosure.vocabulary import DeadlineState
from rules.calendar import Pause
from rules.clocks import ClockStatus
from rules.deadlines import Deadlines
from rules.explain import CLOCK_LABELS, FLAG_LABELS, explain_flag
from rules.facts import Count

STATUS_LABELS = {"running": "计时中", "not_started": "尚未起算", "finished": "已结束"}
PAUSED_LABEL = DeadlineState.PAUSED.label  # the case's own word for it


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _pause(p: Pause) -> dict[str, Any]:
    return {
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "causes": [
            {
                "kind": c.kind.value,
                "label": c.label,
                "start": c.start.isoformat(),
                "end": c.end.isoformat(),
                "open": c.open,  # not ended yet: `end` assumes the full length (a projection)
                "served_known": c.served_known,
            }
            for c in p.causes
        ],
    }


def _count(c: Count, today: date) -> dict[str, Any]:
    # A running clock inside one of its pauses on `today` reads as the case does (暂停计时).
    paused = c.status is ClockStatus.RUNNING and any(p.start <= today <= p.end for p in c.pauses)
    return {
        "clock": c.clock.value,
        "label": CLOCK_LABELS[c.clock],
        "status": c.status.value,
        "status_label": PAUSED_LABEL if paused else STATUS_LABELS[c.status.value],
        "paused": paused,
        "runs_from": _iso(c.start),
        "runs_from_label": c.start_label,
        "sent": _iso(c.sent),
        "working_days": c.days,
        "counted_backwards": c.backwards,
        "due": _iso(c.end),
        "basis": c.basis,
        "party": c.party or None,
        "replaced_by": _iso(c.replaced_by),
        "finished_on": _iso(c.finished_on),
        "finished_by": c.finished_by.value if c.finished_by else None,
        "provisional": c.provisional,
        "projection": c.projection,
        "pauses": [_pause(p) for p in c.pauses],
    }


def deadline_facts(d: Deadlines, today: date) -> dict[str, Any]:
    """The facts of `d` on `today` (see the module docstring)."""
    ext, deferral = d.extension, d.deferral
    return {
        "as_of": today.isoformat(),
        "received": d.received.isoformat(),
        "reply_period_runs_from": d.period_start.isoformat(),
        "reply_period_runs_from_label": d.period_start_label,
        "reply_due": _iso(d.reply_due),
        "statutory_reply_due": _iso(d.statutory_reply_due),
        "projection": d.projection,
        "provisional": d.provisional,
        "overdue": d.overdue(today),
        "working_days_late": d.working_days_late(today) if d.overdue(today) else 0,
        "extension": None
        if ext is None
        else {
            "days": ext.days,
            "approver": ext.approver,
            "decided_on": ext.decided_on.isoformat(),
            "original_due": _iso(ext.original_due),
            "due_at_decision": _iso(ext.due_at_decision),
            "due": _iso(ext.due),
        },
        "deferral": None
        if deferral is None
        else {
            "decided_on": deferral.decided_on.isoformat(),
            "due": deferral.due.isoformat(),
            "statutory_due": _iso(deferral.statutory_due),
            "statutory_due_at_decision": _iso(deferral.statutory_due_at_decision),
        },
        "pauses": [_pause(p) for p in d.pauses],
        "clocks": [_count(c, today) for c in d.counts],
        "flags": [
            {
                "kind": f.kind.value,
                "label": FLAG_LABELS[f.kind],
                "step": f.step.value,
                "on": f.on.isoformat(),
                "limit": _iso(f.limit),
                "note": f.note,
                "text": explain_flag(f),
            }
            for f in d.flags
        ],
        "correction_notice_late": d.correction_notice_late,
        "closed_on": _iso(d.closed_on),
        "closed_on_time": d.closed_on_time,
    }
