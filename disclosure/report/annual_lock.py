"""Period lock: the published annual report frozen as a snapshot with its SHA-256.

`lock_year` stores the report's JSON (canonical: sorted keys, no spaces) and the SHA-256 of
that text. A lock is never rewritten; publishing a corrected report makes a new lock naming
the one it supersedes (`republish`), and the earlier lock stays as it was. Each lock is
audited in the lock's transaction (发布年度报告 / 更正发布年度报告). Later changes to the
register are allowed (the register is the truth): `publication` compares the current report
with the latest lock and lists what changed, cell by cell, so the report and the dashboard
can say so.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from disclosure import audit
from disclosure.errors import ConfigError, Conflict
from disclosure.models import Application, EventRecord
from disclosure.report import labels as L
from disclosure.report.annual import OUTCOME_KEYS, REVIEW_KINDS
from disclosure.report.annual_full import (
    Change,
    Corrected,
    FullReport,
    Publication,
    compute_full,
)
from disclosure.report.annual_inputs import KEYS
from disclosure.report.annual_models import ReportLock, ReportValue
from disclosure.report.models import ReviewCase
from disclosure.tasks.models import Task, TaskProgress
from disclosure.timefmt import local_time
from disclosure.vocabulary import AuditAction

SKIPPED = ("other.key_tasks.items", "publication")
DAY = "%Y-%m-%d"
# `[office] timezone`'s default, for a caller that does not pass the office's zone.
DEFAULT_TZ = "Asia/Shanghai"
_FEE_LABELS = {
    "notices": "收费通知件数",
    "billed_yuan": "收费通知总金额（元）",
    "collected_yuan": "实际收取金额（元）",
}
_TASK_LABELS = {
    "total": "重点任务数",
    "done": "已完成任务数",
    "in_progress": "正在推进任务数",
    "open": "尚未启动任务数",
    "overdue": "超期未完成任务数",
    "rectification": "整改任务数",
}


def canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def latest_lock(session: Session, year: int) -> ReportLock | None:
    stmt = select(ReportLock).where(ReportLock.year == year).order_by(col(ReportLock.id).desc())
    return session.exec(stmt.limit(1)).first()


def locked_years(session: Session) -> list[int]:
    stmt = select(ReportLock.year).group_by(col(ReportLock.year)).order_by(col(ReportLock.year))
    return list(session.exec(stmt).all())


def published(lock: ReportLock) -> dict[str, Any]:
    """The frozen report, after checking it still has the digest it was locked with."""
    if sha256(lock.content) != lock.sha256:
        raise ConfigError(
            f"{lock.year} 年度已发布报告的快照与其 SHA-256 不符"
            f"（锁定记录 #{lock.id}），可能已被改动",
            field="report_lock",
        )
    data: dict[str, Any] = json.loads(lock.content)
    return data


def lock_year(
    session: Session,
    *,
    report: FullReport,
    actor: str,
    now: datetime,
    tz: str,
    republish: bool = False,
    address: str = "",
) -> ReportLock:
    """Freeze `report` as published. A second lock needs `republish` (a corrected report):
    a new lock naming the earlier one, which is kept. The audit entry (who, year, SHA-256,
    which lock it replaces) is written in the same transaction; `address` is the web
    client's (none: the command line).

    `tz` is the office's time zone, in which a refusal names the earlier lock's date.
    """
    previous = latest_lock(session, report.year)
    content = canonical(report.snapshot_json())
    if previous is not None:
        locked_on = local_time(previous.locked_at, tz, DAY)
        if previous.content == content:
            raise Conflict(
                f"{report.year} 年度报告已于 {locked_on} 锁定，数据未变",
                field="year",
            )
        if not republish:
            raise Conflict(
                f"{report.year} 年度报告已于 {locked_on} 锁定；"
                "如需发布更正后的报告，请加 --republish",
                field="year",
            )
    lock = ReportLock(
        year=report.year,
        content=content,
        sha256=sha256(content),
        locked_at=now,
        locked_by=actor,
        supersedes_id=previous.id if previous else None,
    )
    session.add(lock)
    session.flush()
    details: dict[str, Any] = {"year": report.year, "lock": lock.id, "sha256": lock.sha256}
    if previous is not None:
        details.update({"replaces": previous.id, "replaces_sha256": previous.sha256})
    audit.record(
        session,
        actor=actor,
        action=AuditAction.REPORT_REPUBLISHED if previous else AuditAction.REPORT_PUBLISHED,
        target=f"{report.year} 年度报告",
        details=details,
        address=address,
        now=now,
    )
    return lock


def published_text(session: Session, year: int) -> str | None:
    """The latest publication of `year` exactly as frozen (its SHA-256 checked), or None."""
    lock = latest_lock(session, year)
    if lock is None:
        return None
    published(lock)
    return lock.content


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if prefix in SKIPPED:
        return {}
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(data, list) and data and all(not isinstance(v, dict | list) for v in data):
        return {f"{prefix}[{i}]": v for i, v in enumerate(data)}
    return {prefix: data}


def _row_label(key: str) -> str:
    fixed = {
        "new": L.ROW_NEW,
        "carried_in": L.ROW_CARRIED_IN,
        "total": f"{L.ROW_RESULTS}{L.ROW_TOTAL}",
        "carried_forward": L.ROW_CARRIED_FORWARD,
    }
    if key in fixed:
        return fixed[key]
    if key in OUTCOME_KEYS:
        group, item = L.outcome_row_labels(key.split(":", 1)[1])
        return f"{L.ROW_RESULTS}{group}{item or ''}"
    return key


def label(path: str) -> str:
    """A reader's name for a flattened path of the report's JSON."""
    head, _, rest = path.partition(".")
    if head.startswith("rows"):
        key, _, idx = rest.partition("[")
        return f"表三 {_row_label(key)}（{L.COLUMN_NAMES[int(idx.rstrip(']'))]}）"
    if head == "review_litigation" and rest.startswith("rows."):
        key, _, idx = rest.removeprefix("rows.").partition("[")
        if key in REVIEW_KINDS:
            return f"表四 {L.REVIEW_KIND_LABELS[key]}（{L.REVIEW_COLUMNS[int(idx.rstrip(']'))]}）"
    if head == "proactive":
        group, _, part = rest.partition(".")
        key = "fees_amount" if group == "fees" else f"{group}_{part}"
        return f"二、{KEYS[key].label}" if key in KEYS else path
    if path.startswith("other.fees."):
        return "六、" + _FEE_LABELS.get(path.removeprefix("other.fees."), path)
    if path.startswith("other.key_tasks."):
        return "六、" + _TASK_LABELS.get(path.removeprefix("other.key_tasks."), path)
    if path in ("overview", "problems", "other.text"):
        return KEYS[path.removeprefix("other.")].label + "（文字）"
    return path


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    a, b = _flatten(before), _flatten(after)
    out = []
    for path in [*a, *(p for p in b if p not in a)]:
        if a.get(path) != b.get(path) and not path.endswith("_wan") and path != "missing":
            out.append(Change(path, label(path), a.get(path), b.get(path)))
    return out


def attach_publication(session: Session, report: FullReport, *, tz: str = DEFAULT_TZ) -> FullReport:
    """Set `report.publication` from the latest lock of its year (if any); its `locked_on`
    is the lock's date in the office's time zone `tz`."""
    lock = latest_lock(session, report.year)
    if lock is None:
        return report
    changes = diff(published(lock), report.snapshot_json())
    earlier = session.get(ReportLock, lock.supersedes_id) if lock.supersedes_id else None
    corrects = None
    if earlier is not None:
        corrects = Corrected(
            lock_id=earlier.id,  # type: ignore[arg-type]
            locked_at=earlier.locked_at.isoformat(),
            locked_on=local_time(earlier.locked_at, tz, DAY),
            sha256=earlier.sha256,
        )
    report.publication = Publication(
        lock_id=lock.id,  # type: ignore[arg-type]
        locked_at=lock.locked_at.isoformat(),
        locked_on=local_time(lock.locked_at, tz, DAY),
        locked_by=lock.locked_by,
        sha256=lock.sha256,
        changes=tuple(changes),
        corrects=corrects,
    )
    return report


def lock_count(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(ReportLock)).one())


# Changes since publication, for the dashboard: recomputed only when the register moved.
_CHANGES: dict[tuple[Any, ...], int] = {}


def _fingerprint(session: Session) -> tuple[Any, ...]:
    """Cheap aggregates that move whenever anything a report counts changes."""
    parts = (
        select(func.count(), func.max(Application.updated_at)).select_from(Application),
        select(func.max(EventRecord.id)),
        select(func.count(), func.max(ReviewCase.id), func.count(col(ReviewCase.decided_on))),
        select(func.max(ReportValue.id)),
        select(func.max(Task.id), func.count(col(Task.done_on))),
        select(func.max(TaskProgress.id)),
    )
    return tuple(tuple(session.execute(p).one()) for p in parts)


def report_changes(session: Session, *, agency: str, years: list[int]) -> list[tuple[int, int]]:
    """(year, number of changes since publication) for the locked `years` that changed."""
    out = []
    bind = str(session.get_bind().engine.url)
    fingerprint = None
    for year in years:
        lock = latest_lock(session, year)
        if lock is None:
            continue
        fingerprint = fingerprint or _fingerprint(session)
        key = (bind, year, lock.id, fingerprint)
        if key not in _CHANGES:
            if len(_CHANGES) > 64:
                _CHANGES.clear()
            report = compute_full(session, year=year, agency=agency)
            _CHANGES[key] = len(diff(published(lock), report.snapshot_json()))
        if _CHANGES[key]:
            out.append((year, _CHANGES[key]))
    return out
