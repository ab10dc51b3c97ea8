"""The timeline (办理经过) of an application: each event's row and its facts in words, one
wording for `show`, the application page and the case file's event log.

An event's `approver` column holds the person the step names, whose role depends on the
step: the extension's 批准人 (Reg. Art. 33), the drafter of a sign-off draft, the approver
who agreed or sent it back, the department user who signed for or returned a case, the one
who answered for a cooperating department. The row says which, by the person's name when
the step recorded it (`data.by_name`), and a department by its name, not its code.
"""

from __future__ import annotations

from typing import Any

from disclosure.models import EventRecord
from disclosure.outcomes import OUTCOMES
from disclosure.vocabulary import AMENDABLE_LABELS, Channel, EventKind, Stage

CHANNEL_LABELS = Channel.labels()

PERSON_LABELS = {
    EventKind.EXTENSION_GRANTED.value: "批准人",
    EventKind.DRAFTED.value: "拟办人",
    EventKind.APPROVED.value: "审批人",
    EventKind.SENT_BACK.value: "退回人",
    EventKind.ACCEPTED.value: "签收人",
    EventKind.RETURNED.value: "退回人",
    EventKind.COOPERATION_ANSWERED.value: "回复人",
}
OTHER_PERSON = "经办人"

# Steps whose `party` is a department's code (分办, 签收, 退回, 协办回复).
DEPARTMENT_PARTIES = frozenset(
    {
        EventKind.ASSIGNED.value,
        EventKind.ACCEPTED.value,
        EventKind.RETURNED.value,
        EventKind.COOPERATION_ANSWERED.value,
    }
)


# Steps whose `data.changes` holds the old and new values: {field: {old, new}}.
CHANGE_KINDS = frozenset({EventKind.AMENDED.value, EventKind.RECEIPT_CORRECTED.value})


def _value(field: str, value: str) -> str:
    if not value:
        return "（空）"
    return CHANNEL_LABELS.get(value, value) if field == "channel" else value


def event_label(record: EventRecord) -> str:
    """The timeline's words for one event (a stage move names its stage)."""
    try:
        kind = EventKind(record.kind)
    except ValueError:
        return record.kind  # a kind this version does not know (kept as recorded)
    if kind is EventKind.STAGE_MOVED:
        return "转入“" + Stage((record.data or {}).get("to", "")).label + "”阶段"
    if kind is EventKind.RECEIPT_CORRECTED:  # 更正提交方式、送达日期: what it corrected
        fields = [f for f in (record.data or {}).get("changes") or {} if f in AMENDABLE_LABELS]
        return "更正" + "、".join(AMENDABLE_LABELS[f] for f in fields) if fields else kind.label
    return kind.label


def outcome_words(code: str | None) -> str:
    """`1 （一）予以公开`, `3.1 （三）不予公开：属于国家秘密` (a label never twice)."""
    if not code:
        return ""
    o = OUTCOMES.get(code)
    if o is None:
        return code
    if o.group.endswith(o.label):
        return f"{code} {o.group}"
    return f"{code} {o.group}：{o.label}"


def entry(r: EventRecord, department_names: dict[str, str]) -> dict[str, Any]:
    """One row of the timeline (JSON of `show --json`, the page's table)."""
    data = r.data or {}
    party = r.party
    if party and r.kind in DEPARTMENT_PARTIES:
        party = department_names.get(party, party)
    row: dict[str, Any] = {
        "kind": r.kind,
        "label": event_label(r),
        "on": r.on.isoformat(),
        "end_on": r.end_on.isoformat() if r.end_on else None,
        "due_on": r.due_on.isoformat() if r.due_on else None,
        "days": r.days,
        "party": r.party,
        "party_name": party,
        "approver": r.approver,
        "person": data.get("by_name") or r.approver or "",
        "person_label": PERSON_LABELS.get(r.kind, OTHER_PERSON),
        "outcome": r.outcome,
        "amount_yuan": r.amount_yuan,
        "note": r.note,
        "changes": data.get("changes") if r.kind in CHANGE_KINDS else None,
        "actor": r.actor,
        "recorded_at": r.recorded_at.isoformat(),
    }
    row["facts"] = facts(row)
    return row


def facts(row: dict[str, Any]) -> str:
    """The row's facts in one line: 20 个工作日；批准人：王五；期限：…；结果：…；备注."""
    bits = []
    if row["days"]:
        bits.append(f"{row['days']} 个工作日")
    if row["party_name"]:
        bits.append(str(row["party_name"]))
    if row["person"]:
        bits.append(f"{row['person_label']}：{row['person']}")
    if row["due_on"]:
        bits.append(f"期限：{row['due_on']}")
    if row["outcome"]:
        bits.append(f"结果：{outcome_words(row['outcome'])}")
    if row["amount_yuan"] is not None:
        bits.append(f"{row['amount_yuan']} 元")
    for f, change in (row["changes"] or {}).items():
        label = AMENDABLE_LABELS.get(f, f)
        bits.append(f"{label}：{_value(f, change['old'])} → {_value(f, change['new'])}")
    if row["note"]:
        bits.append(str(row["note"]))
    return "；".join(bits)
