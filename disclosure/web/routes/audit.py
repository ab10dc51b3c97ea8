"""The audit log for administrators: filters, pages, and the same selection as CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from math import ceil
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import iterate_in_threadpool

from disclosure import audit
from disclosure.db import transaction
from disclosure.errors import InvalidInput
from disclosure.timefmt import day_end, day_start, local_time
from disclosure.vocabulary import AuditAction, AuditChannel
from disclosure.web.deps import AdminUser, client_address, web
from disclosure.web.forms import optional_int
from disclosure.web.render import render

router = APIRouter()
PAGE_SIZE = 100
KEYS = ("since", "until", "user", "action", "personal")
CSV_COLUMNS = ["时间", "用户", "操作", "对象", "地址", "来源", "含个人信息", "详情"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _day(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"日期格式应为 YYYY-MM-DD，收到 {value!r}", field=field) from exc


def _filter(
    request: Request, limit: int | None, offset: int = 0
) -> tuple[audit.AuditFilter, dict[str, str]]:
    tz = web(request).settings.office.timezone
    chosen = {k: request.query_params.get(k, "").strip() for k in KEYS}
    since, until = _day(chosen["since"], "since"), _day(chosen["until"], "until")
    if chosen["action"] and chosen["action"] not in AuditAction.labels():
        raise InvalidInput(f"未知的操作类型 {chosen['action']!r}", field="action")
    flt = audit.AuditFilter(
        since=day_start(since, tz) if since else None,
        until=day_end(until, tz) if until else None,
        actor=chosen["user"] or None,
        actions=[chosen["action"]] if chosen["action"] else [],
        personal_data_only=chosen["personal"] == "1",
        limit=limit,
        offset=offset,
    )
    return flt, chosen


@router.get("/admin/audit")
def audit_page(request: Request, user: AdminUser) -> Response:
    page = optional_int(request.query_params.get("page"), "page", minimum=1) or 1
    flt, chosen = _filter(request, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    with transaction(web(request).engine, write=False) as session:
        total = audit.count(session, flt)
        rows = audit.entries(session, flt)
    return render(
        request,
        "audit.html",
        {
            "rows": rows,
            "details_text": audit.details_text,
            "total": total,
            "page": page,
            "pages": max(1, ceil(total / PAGE_SIZE)),
            "chosen": chosen,
            "query": urlencode({k: v for k, v in chosen.items() if v}),
            "actions": list(AuditAction),
            "action_labels": AuditAction.labels(),
            "via_labels": AuditChannel.labels(),
        },
    )


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: a leading = + - @ would start a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_lines(request: Request, flt: audit.AuditFilter) -> Iterator[str]:
    tz = web(request).settings.office.timezone
    out = io.StringIO()
    writer = csv.writer(out)
    out.write("\ufeff")  # Excel opens UTF-8 CSV with a byte-order mark as UTF-8
    writer.writerow(CSV_COLUMNS)
    with transaction(web(request).engine, write=False) as session:
        for entry in audit.stream(session, flt):
            row = [
                local_time(entry.at, tz, "%Y-%m-%d %H:%M:%S"),
                entry.actor,
                AuditAction(entry.action).label,
                entry.target,
                entry.address,
                AuditChannel(entry.via).label,
                "是" if entry.personal_data else "",
                json.dumps(entry.details, ensure_ascii=False) if entry.details else "",
            ]
            writer.writerow([safe_cell(v) for v in row])
            yield out.getvalue()
            out.seek(0)
            out.truncate()


@router.get("/admin/audit.csv")
def audit_csv(request: Request, user: AdminUser) -> Response:
    flt, chosen = _filter(request, None)
    audit.record_now(
        web(request).engine,
        actor=user.username,
        action=AuditAction.AUDIT_EXPORTED,
        target="audit.csv",
        address=client_address(request),
        details={k: v for k, v in chosen.items() if v},
    )
    stamp = web(request).today().isoformat()
    return StreamingResponse(
        iterate_in_threadpool(_csv_lines(request, flt)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="audit-{stamp}.csv"'},
    )
