"""Loading, previewing and reverting a year's holiday notices.

Every change goes in two steps. `plan_load` / `plan_revert` read the file or the history,
run every check (`rules.notice_file`, `rules.notice_checks`, `rules.notice_roles`) and build
the calendar the office would have — writing nothing. `preview` recomputes the open
applications with it and reports what would move, still writing nothing; `apply` does the
same and writes: the changed application rows and one new `calendar_version` per year, in
the caller's transaction. The web's confirm step and the CLI's `--dry-run` are these two.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from disclosure import audit
from disclosure.calendar_source import builtin_notices, config_notices, make_calendar
from disclosure.errors import Conflict, InvalidInput, NotFound
from disclosure.notices.recompute import Recomputed, recompute_open
from disclosure.notices.versions import (
    add_version,
    entries_toml,
    find_version,
    in_force,
    stored_entries,
)
from disclosure.services.office import Office, load_office
from disclosure.settings import Settings
from disclosure.vocabulary import AuditAction, CalendarAction
from rules.calendar import WorkingCalendar
from rules.errors import CalendarDataError
from rules.notice_checks import Bounds, NoticeRefused, bounds_from, check_year
from rules.notice_file import MAX_FILE_BYTES, NoticeEntry, parse_notice_file
from rules.notice_roles import merged, with_roles, year_after_load

MAX_SHOWN = 200  # moved clocks listed on a page or a terminal; JSON always has all


@cache
def shipped_bounds() -> Bounds:
    """The largest figures of the notices shipped with the product (rules/data)."""
    return bounds_from(builtin_notices())


@dataclass(frozen=True, eq=False)
class Plan:
    """A checked change, not yet written: each year's loaded notices after it."""

    action: CalendarAction
    states: dict[int, list[NoticeEntry]]
    basis: str  # the versions in force when planned ("2027:1"): the confirm step checks it
    old: Office
    new: Office
    source_name: str = ""
    source_sha256: str = ""
    reverts_to: int | None = None
    unusual: tuple[str, ...] = ()  # figures beyond the published notices', confirmed

    @property
    def years(self) -> list[int]:
        return sorted(self.states)


@dataclass
class Report:
    """What a load, preview or revert did (or would do) to the open applications."""

    plan: Plan
    dry_run: bool
    result: Recomputed
    versions: dict[int, int]  # year → the version written (or that would be)

    def as_dict(self) -> dict[str, Any]:
        r = self.result
        return {
            "action": self.plan.action.value,
            "dry_run": self.dry_run,
            "years": self.plan.years,
            "versions": [
                {"year": y, "version": v, "reverts_to": self.plan.reverts_to}
                for y, v in sorted(self.versions.items())
            ],
            "basis": self.plan.basis,
            "recomputed": r.recomputed,
            "changed": r.changed,
            "moved_applications": r.moved_applications,
            "moved": [m.as_dict() for m in r.moved],
            "unusual": list(self.plan.unusual),
        }


def describe(report: Report) -> str:
    """One line saying what the report is about, e.g. "载入 2027 年节假日安排（第 2 版）"."""
    plan = report.plan
    years = "、".join(str(y) for y in plan.years)
    numbers = "、".join(f"第 {v} 版" for _, v in sorted(report.versions.items()))
    if plan.action is CalendarAction.REVERT:
        target = (
            "未载入任何通知时（第 0 版）" if plan.reverts_to == 0 else f"第 {plan.reverts_to} 版"
        )
        return f"将 {years} 年节假日安排恢复为{target}的内容（记为{numbers}）"
    return f"载入 {years} 年节假日安排（{numbers}）"


def decode_file(raw: bytes) -> str:
    """A notice file's bytes as text: UTF-8 (with or without BOM), bounded in size."""
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidInput(f"文件过大（上限 {MAX_FILE_BYTES // 1024} KB）", field="file")
    if b"\x00" in raw:
        raise InvalidInput("不是文本文件（含有空字节）", field="file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"文件须为 UTF-8 编码（第 {exc.start + 1} 个字节无法识别）", field="file"
        ) from exc


def basis_of(session: Session, years: Sequence[int]) -> str:
    current = in_force(session)
    return ",".join(f"{y}:{current[y].version if y in current else 0}" for y in sorted(years))


def _stored_by_year(session: Session) -> dict[int, list[NoticeEntry]]:
    return {y: stored_entries(v.notices_text) for y, v in in_force(session).items()}


def _office_with(settings: Settings, by_year: dict[int, list[NoticeEntry]]) -> Office:
    notices = [e.notice for y in sorted(by_year) for e in by_year[y]]
    return Office(settings, make_calendar(settings, notices))


def plan_load(
    session: Session,
    *,
    settings: Settings,
    raw: bytes,
    source_name: str,
    today: date,
    allow_example: bool = False,
    accept_unusual: bool = False,
) -> Plan:
    """Read and check a notice file; the plan of loading it (nothing written). A figure
    beyond the published notices' refuses unless `accept_unusual` (rulebook §1.8)."""
    text = decode_file(raw)
    source_name = "".join(ch for ch in source_name if unicodedata.category(ch) not in ("Cc", "Cf"))
    try:
        file = parse_notice_file(text)
        if file.example and not allow_example:
            raise NoticeRefused(
                "该文件标明为示例（example = true），其中日期是虚构的，不能载入。"
                "请按国务院办公厅正式通知填写，并删去 example 一行"
            )
        return _plan_entries(
            session, settings, file.entries, today, source_name, text, accept_unusual
        )
    except CalendarDataError as exc:
        raise InvalidInput(str(exc), field="file") from exc


def _plan_entries(
    session: Session,
    settings: Settings,
    entries: Sequence[NoticeEntry],
    today: date,
    source_name: str,
    text: str,
    accept_unusual: bool,
) -> Plan:
    shipped = [NoticeEntry(n) for n in (*builtin_notices(), *config_notices(settings))]
    first, last = min(n.year for n in builtin_notices()), today.year + 1
    for e in entries:
        if not first <= e.notice.year <= last:
            raise NoticeRefused(
                f"只能载入 {first} 至 {last} 年的安排（国务院每年公布下一年度的安排）",
                entry=e,
                key="year",
            )
    stored = _stored_by_year(session)
    after = dict(stored)
    years = sorted({e.notice.year for e in entries})
    for year in years:
        year_after_load(year, merged(shipped, stored.get(year, [])), entries)  # roles
        after[year] = merged(stored.get(year, []), [e for e in entries if e.notice.year == year])
    if all(entries_toml(after[y]) == entries_toml(stored.get(y, [])) for y in years):
        raise Conflict("文件内容与现行安排相同，无需载入", field="file")
    everything = merged(shipped, *(after[y] for y in sorted(after)))
    check_cal = WorkingCalendar([e.notice for e in everything], horizon_years=0)
    unusual: list[str] = []
    for year in years:
        in_year = with_roles([e for e in everything if e.notice.year == year])
        fig = check_year(check_cal, in_year, year, shipped_bounds(), accept_unusual=accept_unusual)
        unusual += fig.unusual
    return Plan(
        action=CalendarAction.LOAD,
        states={y: after[y] for y in years},
        basis=basis_of(session, years),
        old=load_office(session, settings),
        new=_office_with(settings, after),
        source_name=source_name,
        source_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),  # of the text
        unusual=tuple(unusual),
    )


def plan_revert(session: Session, *, settings: Settings, year: int, to: int) -> Plan:
    """The plan of returning `year` to the notices of version `to` (0: none loaded)."""
    current = in_force(session).get(year)
    if current is None:
        raise NotFound(f"{year} 年没有载入过节假日安排，无可恢复", field="year")
    if to == current.version:
        raise Conflict(f"第 {to} 版就是 {year} 年现行的版本", field="revert_to")
    target = "" if to == 0 else None
    if to != 0:
        row = find_version(session, year, to) if 0 < to < current.version else None
        if row is None:
            raise NotFound(
                f"{year} 年没有第 {to} 版（现行为第 {current.version} 版）", field="revert_to"
            )
        target = row.notices_text
    assert target is not None
    if target == current.notices_text:
        raise Conflict(f"第 {to} 版与现行版本内容相同，无需恢复", field="revert_to")
    after = _stored_by_year(session)
    after[year] = stored_entries(target)
    return Plan(
        action=CalendarAction.REVERT,
        states={year: after[year]},
        basis=basis_of(session, [year]),
        old=load_office(session, settings),
        new=_office_with(settings, after),
        reverts_to=to,
    )


def preview(session: Session, plan: Plan) -> Report:
    """What `apply` would move; writes nothing (the caller's transaction can be read-only)."""
    result = recompute_open(session, old=plan.old, new=plan.new, write=False)
    current = in_force(session)
    versions = {y: (current[y].version if y in current else 0) + 1 for y in plan.years}
    return Report(plan, True, result, versions)


def apply(
    session: Session,
    plan: Plan,
    *,
    actor: str,
    now: datetime,
    basis: str | None = None,
    address: str = "",
) -> Report:
    """Write `plan`: recompute and store every open application, add the versions; the audit
    entry names the web client's `address` (none: the command line)."""
    if basis is not None and basis != basis_of(session, plan.years):
        raise Conflict("预览之后节假日安排已被他人更改，请重新预览后再确认", field="basis")
    if plan.basis != basis_of(session, plan.years):
        raise Conflict("节假日安排刚被他人更改，请重试", field="basis")
    result = recompute_open(session, old=plan.old, new=plan.new, write=True)
    versions: dict[int, int] = {}
    counts = (result.recomputed, len(result.moved), result.moved_applications)
    try:
        for year in plan.years:
            row = add_version(
                session,
                year=year,
                action=plan.action,
                text=entries_toml(plan.states[year]),
                source_name=plan.source_name,
                source_sha256=plan.source_sha256,
                reverts_to=plan.reverts_to,
                counts=counts,
                now=now,
                actor=actor,
            )
            versions[year] = row.version
    except IntegrityError as exc:  # another load of the same year committed meanwhile
        raise Conflict("节假日安排刚被他人更改，请重试", field="basis") from exc
    audit.record(
        session,
        actor=actor,
        action=AuditAction.CALENDAR_REVERTED
        if plan.action is CalendarAction.REVERT
        else AuditAction.CALENDAR_LOADED,
        target=plan.source_name or "",
        details={
            "years": sorted(plan.years),
            "versions": {str(y): v for y, v in versions.items()},
            **({"unusual": list(plan.unusual)} if plan.unusual else {}),
        },
        address=address,
        now=now,
    )
    return Report(plan, False, result, versions)
