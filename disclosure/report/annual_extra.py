"""Section 六 figures computed from the register: information-processing fees and key tasks.

Fees (国办公开办函〔2021〕30号, 六: 发出收费通知的件数和总金额以及实际收取的总金额), year Y:
- notices: fee notices (`fee_notice_sent` events) dated in Y; billed: the sum of their amounts.
- collected: payments (`fee_paid` events) dated in Y, each for its own amount when recorded,
  else for the amount of the latest fee notice of that application on or before the payment.
Amounts are kept in 元 (integers); the report prints 万元 as the form asks.

Key tasks: the tasks of Y's plan (and Y's 整改 tasks) by status, with those past their due
date and not done counted apart.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from disclosure.models import EventRecord
from disclosure.tasks import service as tasks
from disclosure.vocabulary import EventKind, TaskOrigin, TaskStatus

FEE_KINDS = (EventKind.FEE_NOTICE_SENT.value, EventKind.FEE_PAID.value)


def wan(yuan: int) -> str:
    """元 → 万元 as the form prints it: 12,500 → "1.25"; 0 → "0"."""
    return format((Decimal(yuan) / 10_000).normalize(), "f")


@dataclass(frozen=True)
class Fees:
    notices: int
    billed_yuan: int
    collected_yuan: int

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "billed_wan": wan(self.billed_yuan),
                "collected_wan": wan(self.collected_yuan)}  # fmt: skip

    def sentence(self) -> str:
        return (
            f"本年度依据《政府信息公开信息处理费管理办法》发出收费通知{self.notices}件，"
            f"收费通知总金额{wan(self.billed_yuan)}万元，"
            f"实际收取信息处理费{wan(self.collected_yuan)}万元。"
        )


def fee_figures(session: Session, year: int) -> Fees:
    end = date(year, 12, 31)
    stmt = (
        select(
            col(EventRecord.application_id),
            col(EventRecord.kind),
            col(EventRecord.on),
            col(EventRecord.amount_yuan),
        )
        .where(col(EventRecord.kind).in_(FEE_KINDS), col(EventRecord.on) <= end)
        .order_by(col(EventRecord.application_id), col(EventRecord.on), col(EventRecord.id))
    )
    notices = billed = collected = 0
    last_notice: dict[int, int] = defaultdict(int)
    for app_id, kind, on, amount in session.exec(stmt):
        in_year = on.year == year
        if kind == EventKind.FEE_NOTICE_SENT.value:
            last_notice[app_id] = amount or 0
            if in_year:
                notices += 1
                billed += amount or 0
        elif in_year:
            collected += amount if amount is not None else last_notice[app_id]
    return Fees(notices, billed, collected)


@dataclass
class TaskSummary:
    total: int = 0
    done: int = 0
    in_progress: int = 0
    open: int = 0
    overdue: int = 0  # dated, not done, due before the year ended
    rectification: int = 0
    items: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def sentence(self, year: int) -> str:
        if not self.total:
            return ""
        text = (
            f"本年度政务公开工作要点分工方案共明确重点任务{self.total}项，"
            f"已完成{self.done}项，正在推进{self.in_progress}项，尚未启动{self.open}项"
        )
        if self.overdue:
            text += f"，其中超过完成时限未完成{self.overdue}项，将在{year + 1}年“回头看”中督促整改"
        if self.rectification:
            text += f"；上一年度“回头看”转入本年度整改任务{self.rectification}项"
        return text + "。"


def task_summary(session: Session, year: int) -> TaskSummary:
    out = TaskSummary()
    end = date(year, 12, 31)
    for t in tasks.list_tasks(session, year=year):
        out.total += 1
        status = t["status"]
        out.done += status == TaskStatus.DONE.value
        out.in_progress += status == TaskStatus.IN_PROGRESS.value
        out.open += status == TaskStatus.OPEN.value
        late = (
            status != TaskStatus.DONE.value
            and t["due_on"]
            and date.fromisoformat(t["due_on"]) <= end
        )
        out.overdue += bool(late)
        out.rectification += t["origin"] == TaskOrigin.RECTIFICATION.value
        out.items.append(
            {
                "code": t["code"],
                "title": t["title"],
                "requirement": t["requirement"],
                "lead": t["lead_label"],
                "due_on": t["due_on"],
                "status": status,
                "status_label": t["status_label"],
                "done_on": t["done_on"],
                "last_report_on": t["last_report_on"],
            }
        )
    return out
