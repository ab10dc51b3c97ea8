"""Counting AR tables 三 and 四 for one year (rulebook §8). Reads only; writes nothing.

Conventions (practice; each is one function below so a change is one edit):

- An application's *year of receipt* is its legal receipt date, or its arrival date while the
  receipt is unconfirmed (`_basis`).
- Table 三, for year Y, per applicant-type column:
  一 new: received in Y. 二 carried in: received before Y and not closed before 1 January Y.
  三 outcomes: closed (`closed_on`) in Y, one row per outcome code; （七）total = their sum.
  四 carried forward: received on or before 31 December Y and still open at its end.
  So 一 + 二 = 三（七） + 四 in every column; `check_balance` verifies it before anything is
  written, and names the applications that break it (e.g. closed with no known outcome code).
- Table 四, for year Y (`review_counts`): a review or lawsuit is counted when it was pending at
  some time in Y: filed on or before 31 December Y and not decided before 1 January Y. Its
  column is its result if decided by 31 December Y, else 尚未审结. A case filed in Y-1 and
  decided in Y is thus 尚未审结 in Y-1's report and counted with its result in Y's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, or_
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from disclosure.errors import Conflict
from disclosure.models import Application
from disclosure.outcomes import OUTCOMES
from disclosure.report.labels import APPLICANT_COLUMNS, COLUMN_NAMES, REVIEW_COLUMNS
from disclosure.report.models import ReviewCase, ReviewKind, ReviewResult

OUTCOME_KEYS = [f"outcome:{code}" for code in OUTCOMES]
ROW_KEYS = ["new", "carried_in", *OUTCOME_KEYS, "total", "carried_forward"]
NCOLS = len(APPLICANT_COLUMNS) + 1  # the six types and 总计
_COLUMN_INDEX = {t.value: i for i, t in enumerate(APPLICANT_COLUMNS)}
REVIEW_KINDS = [k.value for k in ReviewKind]
REVIEW_RESULTS = [r.value for r in ReviewResult]


class BalanceError(Conflict):
    """一 + 二 ≠ 三（七） + 四 in some column: the register holds something the form cannot."""


@dataclass(frozen=True)
class AppFacts:
    number: str
    applicant_type: str
    basis: date  # legal receipt, or arrival while unconfirmed
    closed_on: date | None
    outcome: str | None


@dataclass
class AnnualReport:
    year: int
    rows: dict[str, list[int]]
    reviews: dict[str, list[int]]
    unclassified: list[str] = field(default_factory=list)  # closed in Y, unknown outcome

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "columns": list(COLUMN_NAMES),
            "rows": {k: list(self.rows[k]) for k in ROW_KEYS},
            "review_litigation": {
                "columns": list(REVIEW_COLUMNS),
                "rows": {k: list(self.reviews[k]) for k in REVIEW_KINDS},
            },
        }


def _add(row: list[int], applicant_type: str) -> None:
    row[_COLUMN_INDEX[applicant_type]] += 1
    row[-1] += 1


def count_table3(facts: Iterable[AppFacts], year: int) -> tuple[dict[str, list[int]], list[str]]:
    """Table 三 rows (each `NCOLS` long) and the numbers closed in `year` with no known outcome."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    rows = {k: [0] * NCOLS for k in ROW_KEYS}
    unclassified: list[str] = []
    for f in facts:
        if f.basis > end or (f.closed_on is not None and f.closed_on < start):
            continue
        _add(rows["new" if f.basis >= start else "carried_in"], f.applicant_type)
        if f.closed_on is None or f.closed_on > end:
            _add(rows["carried_forward"], f.applicant_type)
        elif f.outcome in OUTCOMES:
            _add(rows[f"outcome:{f.outcome}"], f.applicant_type)
        else:
            unclassified.append(f.number)
    rows["total"] = [sum(rows[k][i] for k in OUTCOME_KEYS) for i in range(NCOLS)]
    return rows, unclassified


def check_balance(rows: dict[str, list[int]], unclassified: list[str]) -> None:
    """Raise `BalanceError` unless 一 + 二 = 三（七） + 四 in every column."""
    for i, name in enumerate(COLUMN_NAMES):
        left = rows["new"][i] + rows["carried_in"][i]
        right = rows["total"][i] + rows["carried_forward"][i]
        if left != right:
            shown = "、".join(unclassified[:5]) + ("…" if len(unclassified) > 5 else "")
            raise BalanceError(
                f"“{name}”列不平衡：一+二={left}，三（七）+四={right}"
                + (f"；办结但无有效办理结果的申请：{shown}" if shown else "")
                + " / table 三 does not balance",
                field=name,
            )


def review_counts(
    cases: Iterable[tuple[str, str, date, date | None]], year: int
) -> dict[str, list[int]]:
    """Table 四: per kind, [维持, 纠正, 其他, 尚未审结, 总计] (convention in the module doc)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    out = {k: [0] * (len(REVIEW_RESULTS) + 1) for k in REVIEW_KINDS}
    for kind, result, filed_on, decided_on in cases:
        if filed_on > end or (decided_on is not None and decided_on < start):
            continue
        decided = decided_on is not None and decided_on <= end
        column = result if decided else ReviewResult.PENDING.value
        out[kind][REVIEW_RESULTS.index(column)] += 1
        out[kind][-1] += 1
    return out


def _basis(received_on: date | None, arrived_on: date | None) -> date | None:
    return received_on or arrived_on


def load_facts(session: Session, year: int) -> list[AppFacts]:
    """The applications that can appear in `year`'s table 三 (one query, five columns)."""
    basis = func.coalesce(col(Application.received_on), col(Application.arrived_on))
    # SQLAlchemy's own `select`: SQLModel's is typed for at most four columns.
    stmt = core_select(
        col(Application.number),
        col(Application.applicant_type),
        col(Application.received_on),
        col(Application.arrived_on),
        col(Application.closed_on),
        col(Application.outcome),
    ).where(
        basis <= date(year, 12, 31),
        or_(col(Application.closed_on).is_(None), col(Application.closed_on) >= date(year, 1, 1)),
    )
    out = []
    for number, atype, received, arrived, closed, outcome in session.execute(stmt):
        b = _basis(received, arrived)
        if b is not None:
            out.append(AppFacts(number, atype, b, closed, outcome))
    return out


def load_cases(session: Session, year: int) -> list[tuple[str, str, date, date | None]]:
    stmt = select(
        col(ReviewCase.kind),
        col(ReviewCase.result),
        col(ReviewCase.filed_on),
        col(ReviewCase.decided_on),
    ).where(col(ReviewCase.filed_on) <= date(year, 12, 31))
    return [(kind, result, filed, decided) for kind, result, filed, decided in session.exec(stmt)]


def compute_annual(session: Session, *, year: int) -> AnnualReport:
    """Both tables for `year`, balance-checked (raises `BalanceError`)."""
    rows, unclassified = count_table3(load_facts(session, year), year)
    check_balance(rows, unclassified)
    reviews = review_counts(load_cases(session, year), year)
    return AnnualReport(year, rows, reviews, unclassified)
