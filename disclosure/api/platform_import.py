"""Importing the provincial online platform's export (xlsx or csv): each row registered once.

The platform's own column names are mapped to the register's fields (`DEFAULT_COLUMNS`,
overridden by config.toml's `[platform.columns]`, then by a JSON file of `{"field": "列名"}`
given with `--columns`). Like the ledger import, it is all or nothing: every row is read and
checked first — values (`registration.parse_create`), dates and departments
(`registration.check_dates`, `find_department`) — and every problem is reported with its row
and column; only a file without problems is written, in one
transaction, through `registration.register_many` (new, gapless numbers). A row whose
`external_ref` this source already pushed (through the API or an earlier import) is skipped:
importing the same export twice registers nothing twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from disclosure.api.models import ApiExternalRef
from disclosure.errors import DisclosureError, InvalidInput
from disclosure.office_file import office_file
from disclosure.report.ledger_file import read_ledger_file, text, to_date
from disclosure.schemas import ApplicationCreate
from disclosure.services.context import Context
from disclosure.services.departments import find_department
from disclosure.services.registration import check_dates, parse_create, register_many
from disclosure.vocabulary import ApplicantType, Channel
from rules.errors import RulesError

# field → the platform's column names accepted for it (first found wins)
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "external_ref": ("平台编号", "申请编号", "受理编号"),
    "received": ("收到日期", "提交日期", "申请日期"),
    "arrived": ("送达日期",),
    "channel": ("渠道", "申请方式"),
    "applicant": ("申请人", "申请人姓名", "申请人名称"),
    "applicant_type": ("申请人类型",),
    "content": ("申请内容", "所需信息内容描述", "所需政府信息"),
    "email": ("电子邮箱", "邮箱"),
    "phone": ("联系电话", "电话"),
    "address": ("通讯地址", "地址"),
    "id_number": ("证件号码", "身份证号码"),
    "form": ("获取方式", "获取信息的方式"),
    "department": ("主办部门",),
    "note": ("备注",),
}
REQUIRED = ("external_ref", "applicant", "applicant_type", "content")
_TYPES = {m.label: m.value for m in ApplicantType}
_CHANNELS = {m.label: m.value for m in Channel}


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行「{self.column}」：{self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class PlatformReport:
    rows: int = 0
    imported: int = 0
    skipped: int = 0  # already pushed by this source
    numbers: list[str] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "imported": self.imported,
            "skipped": self.skipped,
            "numbers": self.numbers,
            "errors": [e.as_dict() for e in self.errors],
        }


def mapped(
    given: dict[str, Any], *, field: str, base: dict[str, tuple[str, ...]] | None = None
) -> dict[str, tuple[str, ...]]:
    """`base` (default: the built-in names) with each field's column named in `given`."""
    columns = dict(base or DEFAULT_COLUMNS)
    for key, name in given.items():
        if key not in DEFAULT_COLUMNS:
            known = "、".join(DEFAULT_COLUMNS)
            raise InvalidInput(f"未知字段 {key!r}（可用：{known}）", field=field)
        if not isinstance(name, str) or not name.strip():
            raise InvalidInput(f"字段 {key} 的列名应为非空文字，收到 {name!r}", field=field)
        columns[key] = (name.strip(),)
    return columns


def load_columns(
    path: Path | None, base: dict[str, tuple[str, ...]] | None = None
) -> dict[str, tuple[str, ...]]:
    """`base` overridden by a JSON file of `{"field": "列名"}` (`--columns`)."""
    if path is None:
        return dict(base or DEFAULT_COLUMNS)
    try:
        given = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"无法读取列名对照文件：{exc}", field="columns") from exc
    if not isinstance(given, dict):
        raise InvalidInput('列名对照文件应为 JSON 对象 {"字段": "列名"}', field="columns")
    return mapped(given, field="columns", base=base)


def configured_columns(settings_columns: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """The built-in names overridden by config.toml's `[platform.columns]`."""
    return mapped(dict(settings_columns), field="[platform.columns]")


def _positions(header: list[str], columns: dict[str, tuple[str, ...]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for key, names in columns.items():
        for name in names:
            if name in header:
                found[key] = header.index(name)
                break
    missing = [columns[k][0] for k in REQUIRED if k not in found]
    if "received" not in found and "arrived" not in found:
        missing.append(columns["received"][0])
    if missing:
        raise InvalidInput(f"缺少列：{'、'.join(missing)}", field="FILE")
    return found


def _values(cells: list[Any], at: dict[str, int]) -> dict[str, Any]:
    return {k: (cells[i] if i < len(cells) else None) for k, i in at.items()}


def _day(v: dict[str, Any], key: str) -> Any:
    """A date cell, its error naming the field (so the report names its column)."""
    try:
        return to_date(v.get(key))
    except ValueError as exc:
        raise InvalidInput(str(exc), field=key) from exc


def _create(v: dict[str, Any]) -> ApplicationCreate:
    kind = text(v.get("applicant_type"))
    channel = text(v.get("channel")) or Channel.ONLINE.value
    return parse_create(
        {
            "channel": _CHANNELS.get(channel, channel),
            "received_on": _day(v, "received"),
            "arrived_on": _day(v, "arrived"),
            "applicant_name": text(v.get("applicant")),
            "applicant_type": _TYPES.get(kind, kind),
            "content": text(v.get("content")),
            "email": text(v.get("email")),
            "phone": text(v.get("phone")),
            "address": text(v.get("address")),
            "id_number": text(v.get("id_number")),
            "department": text(v.get("department")) or None,
            "form_wanted": text(v.get("form")),
            "note": text(v.get("note")),
        }
    )


def import_platform(
    session: Session,
    *,
    ctx: Context,
    path: Path,
    source: str,
    columns: dict[str, tuple[str, ...]] | None = None,
    dry_run: bool = False,
) -> PlatformReport:
    """Check the whole file, then (unless `dry_run` or a problem) register its new rows."""
    chosen = columns or DEFAULT_COLUMNS
    if path.suffix.lower() == ".xlsx":
        office_file(path, "FILE", "xlsx")  # before calamine, whose messages are English
    table = read_ledger_file(path)
    at = _positions(table.header, chosen)
    header_of = {k: table.header[i] for k, i in at.items()}
    report = PlatformReport(rows=len(table.rows))
    pushed = set(
        session.exec(
            select(ApiExternalRef.external_ref).where(ApiExternalRef.source == source)
        ).all()
    )
    seen: dict[str, int] = {}
    items: list[tuple[str, ApplicationCreate]] = []
    for row, cells in table.rows:
        v = _values(cells, at)
        ref = text(v.get("external_ref"))
        try:
            if not ref or len(ref) > 100:
                raise InvalidInput("须为 1 至 100 个字符", field="external_ref")
            if ref in seen:
                raise InvalidInput(f"与第 {seen[ref]} 行重复", field="external_ref")
            seen[ref] = row
            data = _create(v)
            check_dates(ctx.office, data, ctx.today)
            if data.department:
                find_department(session, data.department, field="department")
        except (DisclosureError, RulesError, ValueError) as exc:
            key = getattr(exc, "field", "") or ""
            message = getattr(exc, "message", None) or str(exc)
            column = header_of.get(key, key if key else "—")
            if key == "received" and "received" not in header_of:
                column = header_of.get("arrived", column)
            report.errors.append(RowProblem(row, column, message))
            continue
        if ref in pushed:
            report.skipped += 1
            continue
        items.append((ref, data))
    if report.errors or dry_run:
        return report
    apps = register_many(session, ctx=ctx, items=[d for _ref, d in items])
    for (ref, _data), app in zip(items, apps, strict=True):
        assert app.id is not None
        session.add(
            ApiExternalRef(
                source=source,
                external_ref=ref,
                application_id=app.id,
                created_at=ctx.now,
                created_by=ctx.actor,
            )
        )
    session.flush()
    report.imported = len(apps)
    report.numbers = [a.number for a in apps]
    return report


__all__ = [
    "DEFAULT_COLUMNS",
    "PlatformReport",
    "RowProblem",
    "configured_columns",
    "import_platform",
    "load_columns",
]
