"""The audit log: what is not an application event, kept append-only.

Sign-ins and failures, user and department changes, calendar loads, exports (flagged when
they carry ID numbers), document downloads, API token use, backups and restores. Call
`record` inside the transaction of the change it describes, so the change and its record
are written together or not at all; `record_now` is for actions that write nothing else
(an export, a download), in a short transaction of its own.

There is deliberately no function here that changes or deletes an entry, and the database
refuses it too (triggers of migration 0008).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.ops.models import AuditEntry
from disclosure.timefmt import as_utc, local_time
from disclosure.vocabulary import ApprovalRole, AuditAction, AuditChannel, Role

__all__ = [
    "AuditAction",
    "AuditChannel",
    "AuditEntry",
    "AuditFilter",
    "as_dict",
    "clean",
    "count",
    "entries",
    "last_backup",
    "record",
    "record_now",
    "stream",
]

# Bidirectional overrides and isolates reorder how a line is displayed (Trojan Source).
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def clean(text: object, limit: int) -> str:
    """One line of at most `limit` characters: control and bidi characters become U+FFFD.

    What the log keeps is shown on terminals and in spreadsheets: nothing in it may move the
    cursor, recolour a terminal or reorder a line.
    """
    chars = ("\ufffd" if unicodedata.category(c) == "Cc" or c in _BIDI else c for c in str(text))
    return "".join(chars)[:limit]


def record(
    session: Session,
    *,
    actor: str,
    action: AuditAction | str,
    target: str = "",
    details: dict[str, Any] | None = None,
    address: str = "",
    via: AuditChannel | str | None = None,
    personal_data: bool = False,
    now: datetime | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction.

    `via` defaults to the web when an `address` is given and to the command line otherwise;
    `now` to the moment of the call.
    """
    chosen = AuditAction(action)
    channel = AuditChannel(via) if via else (AuditChannel.WEB if address else AuditChannel.CLI)
    entry = AuditEntry(
        at=now or now_utc(),
        actor=clean(actor, 100),
        action=chosen.value,
        target=clean(target, 200),
        address=clean(address, 64),
        via=channel.value,
        personal_data=personal_data,
        details=dict(details or {}),
    )
    session.add(entry)
    session.flush()
    return entry


def record_now(engine: Engine, **values: Any) -> None:
    """`record` in a short write transaction of its own (see the module docstring)."""
    with transaction(engine) as session:
        record(session, **values)


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to list: a time range (UTC, `until` exclusive), a user, an action."""

    since: datetime | None = None
    until: datetime | None = None
    actor: str | None = None
    actions: Sequence[str] = ()
    personal_data_only: bool = False
    limit: int | None = 100
    offset: int = 0


def _where(stmt, flt: AuditFilter):  # type: ignore[no-untyped-def]
    if flt.since is not None:
        stmt = stmt.where(AuditEntry.at >= flt.since)
    if flt.until is not None:
        stmt = stmt.where(AuditEntry.at < flt.until)
    if flt.actor:
        stmt = stmt.where(AuditEntry.actor == flt.actor)
    if flt.actions:
        stmt = stmt.where(col(AuditEntry.action).in_(list(flt.actions)))
    if flt.personal_data_only:
        stmt = stmt.where(col(AuditEntry.personal_data).is_(True))
    return stmt


def entries(session: Session, flt: AuditFilter) -> list[AuditEntry]:
    """Matching entries, newest first."""
    stmt = _where(select(AuditEntry), flt).order_by(
        col(AuditEntry.at).desc(), col(AuditEntry.id).desc()
    )
    if flt.limit is not None:
        stmt = stmt.limit(flt.limit)
    if flt.offset:
        stmt = stmt.offset(flt.offset)
    return list(session.exec(stmt).all())


def stream(session: Session, flt: AuditFilter, batch: int = 1000) -> Iterator[AuditEntry]:
    """Like `entries`, fetched `batch` rows at a time (exports of any size in flat memory)."""
    stmt = _where(select(AuditEntry), flt).order_by(
        col(AuditEntry.at).desc(), col(AuditEntry.id).desc()
    )
    yield from session.exec(stmt.execution_options(yield_per=batch))


def count(session: Session, flt: AuditFilter) -> int:
    stmt = _where(select(func.count()).select_from(AuditEntry), flt)
    return int(session.exec(stmt).one())


def last_backup(session: Session) -> AuditEntry | None:
    """The newest backup that was written and verified (`disclosure backup`)."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.action == AuditAction.BACKUP_CREATED.value)
        .order_by(col(AuditEntry.at).desc())
        .limit(1)
    )
    return session.exec(stmt).first()


def as_dict(entry: AuditEntry, tz: str) -> dict[str, Any]:
    """An entry for JSON output and exports: UTC time and the office's local time."""
    return {
        "id": entry.id,
        "at": as_utc(entry.at).isoformat(),
        "at_local": local_time(entry.at, tz),
        "actor": entry.actor,
        "action": entry.action,
        "action_label": AuditAction(entry.action).label,
        "target": entry.target,
        "address": entry.address,
        "via": entry.via,
        "via_label": AuditChannel(entry.via).label,
        "personal_data": entry.personal_data,
        "details": entry.details,
        "details_text": details_text(entry.details),
    }


# The details' keys as the audit page and `audit list` say them (the JSON keeps the keys).
DETAIL_LABELS = {
    "active": "启用",
    "applications": "申请数",
    "approval_role": "审批角色",
    "backup_created_at": "备份时间",
    "changes": "修改",
    "contact": "联系人",
    "phone": "电话",
    "department": "部门",
    "departments_changed": "变动的部门",
    "documents": "材料数",
    "email": "电子邮箱",
    "error": "错误",
    "events": "事件数",
    "file": "文件",
    "first_admin": "首个管理员",
    "format": "格式",
    "generated_password": "系统生成密码",
    "id_numbers": "含证件号码",
    "kind": "种类",
    "known_browser": "常用浏览器",
    "lock": "发布记录",
    "name": "名称",
    "one_time": "一次性密码",
    "pruned": "清理的旧备份",
    "replaced_copy": "被替换数据的留存副本",
    "replaces": "更正的发布记录",
    "replaces_sha256": "被更正版本的 SHA-256",
    "reset": "重置",
    "role": "角色",
    "rows": "行数",
    "sha256": "SHA-256",
    "size": "大小（字节）",
    "unusual": "确认的超常安排",
    "versions": "版本",
    "year": "年度",
    "years": "年份",
}


def details_text(details: dict[str, Any] | None) -> str:
    """`details` in words: 年份：2027；版本：2027 年第 3 版 (booleans 是/否, lists with 、)."""
    return "；".join(
        f"{DETAIL_LABELS.get(k, k)}：{_value(k, v)}"
        for k, v in (details or {}).items()
        if v not in ("", None, [], {})
    )


_VALUE_LABELS = {"role": Role, "approval_role": ApprovalRole}


def _value(key: str, v: Any) -> str:
    if key in _VALUE_LABELS and isinstance(v, str):
        try:
            return _VALUE_LABELS[key](v).label
        except ValueError:
            return v
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, list | tuple):
        return "、".join(_value(key, x) for x in v)
    if isinstance(v, dict):
        if key == "versions":
            return "、".join(f"{y} 年第 {n} 版" for y, n in v.items())
        if set(v) == {"old", "new"}:
            return f"{v['old'] or '（空）'} → {v['new'] or '（空）'}"
        if key == "changes":  # {field: [old, new]}
            return "，".join(
                f"{DETAIL_LABELS.get(k, k)} {x[0] or '（空）'} → {x[1] or '（空）'}"
                for k, x in v.items()
            )
        return "，".join(f"{DETAIL_LABELS.get(k, k)} {_value(k, x)}" for k, x in v.items())
    return str(v)
