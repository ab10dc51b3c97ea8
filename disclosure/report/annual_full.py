"""The whole annual report (国办公开办函〔2021〕30号): six sections for one year.

一 总体情况 (text), 二 主动公开政府信息情况 (entered figures), 三 and 四 (counted from the
register, `annual.compute_annual`, balance-checked), 五 存在的主要问题及改进情况 (text), 六
其他需要报告的事项 (text, plus fees and key tasks computed from the register). `as_json` keeps
the keys of tables 三 and 四 as they were (year, columns, rows, review_litigation) and adds
the other sections beside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from disclosure.report.annual import AnnualReport, compute_annual
from disclosure.report.annual_extra import Fees, TaskSummary, fee_figures, task_summary
from disclosure.report.annual_inputs import FIGURES, current_values

INTRO = (
    "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息"
    "与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》"
    "（国办公开办函〔2021〕30号）要求编制。本报告中所列数据的统计期限自{year}年1月1日起至"
    "{year}年12月31日止。"
)


@dataclass(frozen=True)
class Change:
    path: str
    label: str
    published: Any
    current: Any


@dataclass(frozen=True)
class Corrected:
    """The earlier publication a corrected one replaces (its lock stays as it was)."""

    lock_id: int
    locked_at: str
    locked_on: str
    sha256: str

    def as_json(self) -> dict[str, Any]:
        return {"lock_id": self.lock_id, "locked_at": self.locked_at, "sha256": self.sha256}


@dataclass(frozen=True)
class Publication:
    """The lock in force for the year and what changed since (empty: nothing).

    `locked_at` is the moment (ISO 8601, UTC) for machines; `locked_on` the office's date of
    it (YYYY-MM-DD in `[office] timezone`), the one a person reads: 本报告于…锁定发布.
    A corrected publication (`report lock --republish`) names the one it corrects
    (`corrects`: that lock, kept as it was); `correction_note` says so in a sentence.
    """

    lock_id: int
    locked_at: str
    locked_on: str
    locked_by: str
    sha256: str
    changes: tuple[Change, ...]
    corrects: Corrected | None = None

    @property
    def correction_note(self) -> str | None:
        """本报告于 2026-12-04 更正发布，更正 2026-03-01 发布的版本（SHA-256 …）。 or None."""
        if self.corrects is None:
            return None
        return (
            f"本报告于 {self.locked_on} 更正发布，更正 {self.corrects.locked_on} "
            f"发布的版本（SHA-256 {self.corrects.sha256}）。"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "lock_id": self.lock_id,
            "locked_at": self.locked_at,
            "locked_by": self.locked_by,
            "sha256": self.sha256,
            "changed": bool(self.changes),
            "changes": [c.__dict__ for c in self.changes],
            "corrects": self.corrects.as_json() if self.corrects else None,
        }


@dataclass
class FullReport:
    base: AnnualReport
    agency: str
    values: dict[str, str]
    fees: Fees
    tasks: TaskSummary
    publication: Publication | None = None

    @property
    def year(self) -> int:
        return self.base.year

    def figure(self, key: str) -> str | None:
        return self.values.get(key)

    @property
    def missing(self) -> list[str]:
        return [k.key for k in FIGURES if k.key not in self.values]

    @property
    def missing_labels(self) -> list[str]:
        """The figures not yet entered, as the form names them (规章：本年制发件数 …)."""
        return [k.label for k in FIGURES if k.key not in self.values]

    def text(self, key: str) -> str:
        return self.values.get(key, "")

    def _int(self, key: str) -> int | None:
        v = self.values.get(key)
        return int(v) if v is not None else None

    def proactive_json(self) -> dict[str, Any]:
        return {
            "rules": {p: self._int(f"rules_{p}") for p in ("issued", "repealed", "in_force")},
            "normative": {
                p: self._int(f"normative_{p}") for p in ("issued", "repealed", "in_force")
            },
            "licensing": {"decisions": self._int("licensing_decisions")},
            "punishment": {"decisions": self._int("punishment_decisions")},
            "coercion": {"decisions": self._int("coercion_decisions")},
            "fees": {"amount_wan": self.values.get("fees_amount")},
        }

    def snapshot_json(self) -> dict[str, Any]:
        """What a lock freezes: every section, without the publication status itself."""
        out = self.base.as_json()
        out.update(
            {
                "agency": self.agency,
                "overview": self.text("overview"),
                "proactive": self.proactive_json(),
                "problems": self.text("problems"),
                "other": {
                    "text": self.text("other"),
                    "fees": self.fees.as_json(),
                    "key_tasks": self.tasks.as_json(),
                },
                "missing": self.missing,
            }
        )
        return out

    def as_json(self) -> dict[str, Any]:
        out = self.snapshot_json()
        out["publication"] = self.publication.as_json() if self.publication else None
        return out

    def other_paragraphs(self) -> list[str]:
        """Section 六 as printed: the office's text, then the computed fee and task lines."""
        parts = [p for p in self.text("other").splitlines() if p.strip()]
        parts.append(self.fees.sentence())
        if line := self.tasks.sentence(self.year):
            parts.append(line)
        return parts


def compute_full(session: Session, *, year: int, agency: str) -> FullReport:
    """Every section for `year` (raises `BalanceError` before anything is written)."""
    base = compute_annual(session, year=year)
    return FullReport(
        base=base,
        agency=agency,
        values=current_values(session, year),
        fees=fee_figures(session, year),
        tasks=task_summary(session, year),
    )


def default_year(today: date) -> int:
    """The year a report is made for when none is given: the last full calendar year."""
    return today.year - 1
