"""Reading a ledger row: header check, the office's number pattern, cells → typed values.

Everything here is about the file itself (formats, codes, names the office knows); the rules
that the services and the engine apply come afterwards, in `ledger_plan`.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from disclosure.outcomes import OUTCOMES
from disclosure.report import ledger_file as lf
from disclosure.report.ledger_columns import BY_HEADER, BY_KEY, COLUMNS, LIST_SEPARATORS
from disclosure.services.numbering import number_year_fits
from disclosure.vocabulary import ApplicantType, Channel, Stage

# Channel labels written by ledgers of earlier versions (before one vocabulary).
_OLD_CHANNEL_LABELS = {
    "邮寄（需签收）": Channel.POST_SIGNED.value,
    "邮寄（需签收：挂号/快递）": Channel.POST_SIGNED.value,
    "邮寄（平信）": Channel.POST_UNSIGNED.value,
    "网络": Channel.ONLINE.value,
    "网上申请": Channel.ONLINE.value,
}
_CHANNELS = {
    **_OLD_CHANNEL_LABELS,
    **{c.label: c.value for c in Channel},
    **{c.value: c.value for c in Channel},
}
_TYPES = {**{t.label: t.value for t in ApplicantType}, **{t.value: t.value for t in ApplicantType}}
_CHANNEL_CHOICES = "、".join(c.label for c in Channel)
_TYPE_CHOICES = "、".join(t.label for t in ApplicantType)
_STAGES = {**{s.label: s for s in Stage}, **{s.value: s for s in Stage}}


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row (the header is row 1)
    column: str
    problem: str


@dataclass
class Row:
    row: int
    number: str
    year: int
    seq: int
    values: dict[str, Any]  # ApplicationCreate fields
    history: dict[str, Any]  # dated steps, keyed as ledger_columns
    stage: Stage | None
    stated: dict[str, Any] | None = None  # the old ledger's own 答复期限 and 是否按期


def stated_figures(cell: dict[str, Any]) -> dict[str, Any]:
    """The old ledger's figures the import recomputes (not imported; compared, see
    `ledger_import.disagreements`): a value that cannot be read is simply not compared."""
    try:
        due = lf.to_date(cell.get("reply_due"))
    except ValueError:
        due = None
    return {"reply_due": due, "on_time": lf.text(cell.get("on_time"))}


def number_parser(pattern: str) -> Callable[[str], tuple[int | None, int] | None]:
    """(year, seq) of a number in the office's pattern, or None when it does not match."""
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if name == "year":
            parts.append(r"(?P<year>\d{4})")
        elif name == "seq":
            parts.append(r"(?P<seq>\d+)")
        elif name is not None:
            parts.append(".+?")
    regex = re.compile("^" + "".join(parts) + "$")

    def parse(number: str) -> tuple[int | None, int] | None:
        m = regex.match(number)
        if not m or "seq" not in m.groupdict():
            return None
        year = int(m["year"]) if "year" in m.groupdict() else None
        seq = int(m["seq"])
        if year is not None and pattern.format(year=year, seq=seq) != number:
            return None
        return year, seq

    return parse


def unlisted_problem(steps: str) -> str:
    """Why a row whose case has steps the ledger cannot hold is not imported."""
    return (
        f"此件有台账不能载明的步骤（{steps}），按台账导入会缺少这些步骤，期限也会随之不同；"
        "如确要只按台账所列步骤导入并重新计算期限，请先清空此格"
    )


def check_header(header: list[str]) -> list[RowError]:
    errors = []
    seen: set[str] = set()
    for h in header:
        if not h:
            errors.append(RowError(1, "（空）", "表头有空列名"))
        elif h not in BY_HEADER:
            errors.append(RowError(1, h, "未知的列名"))
        elif h in seen:
            errors.append(RowError(1, h, "列名重复"))
        seen.add(h)
    for c in COLUMNS:
        if c.required and c.header not in seen:
            errors.append(RowError(1, c.header, "缺少必需的列"))
    return errors


class Parser:
    """Turns one row's cells into a `Row`, collecting every problem it finds."""

    def __init__(  # type: ignore[no-untyped-def]
        self, header: list[str], deps: dict[str, str], numbers, case_types: dict[str, str]
    ) -> None:
        self.keys = [BY_HEADER[h].key for h in header]
        self.deps = deps
        self.case_types = case_types  # a case type's name (as exported) → its key
        self.parse_number = numbers
        self.first_seen: dict[str, int] = {}

    def parse(self, row: int, cells: list[Any]) -> tuple[Row | None, list[RowError]]:
        cell = {k: (cells[i] if i < len(cells) else None) for i, k in enumerate(self.keys)}
        errors: list[RowError] = []

        def err(key: str, problem: str) -> None:
            errors.append(RowError(row, BY_KEY[key].header, problem))

        def date_of(key: str) -> date | None:
            try:
                return lf.to_date(cell.get(key))
            except ValueError as exc:
                err(key, str(exc))
                return None

        def int_of(key: str) -> int | None:
            try:
                return lf.to_int(cell.get(key))
            except ValueError as exc:
                err(key, str(exc))
                return None

        t = {k: lf.text(cell.get(k)) for k in self.keys}
        number = t.get("number", "")
        year = seq = 0
        parsed = self.parse_number(number) if number else None
        if not number:
            err("number", "登记编号不能为空")
        elif number in self.first_seen:
            err("number", f"与第 {self.first_seen[number]} 行编号重复")
        elif parsed is None:
            err("number", f"编号 {number!r} 不符合本机关的编号格式")
        else:
            self.first_seen[number] = row
        channel = _CHANNELS.get(t.get("channel", ""))
        if channel is None:
            err("channel", f"未知的提交方式 {t.get('channel', '')!r}；可用：{_CHANNEL_CHOICES}")
        atype = _TYPES.get(t.get("applicant_type", ""))
        if atype is None:
            err(
                "applicant_type",
                f"未知的申请人类型 {t.get('applicant_type', '')!r}；可用：{_TYPE_CHOICES}",
            )
        arrived, received = date_of("arrived_on"), date_of("received_on")
        dep = t.get("department", "")
        if dep and dep not in self.deps:
            err("department", f"未知的部门 {dep!r}")
        coop = []
        raw = t.get("cooperating", "")
        for sep in LIST_SEPARATORS:
            raw = raw.replace(sep, "、")
        for name in filter(None, (s.strip() for s in raw.split("、"))):
            if name not in self.deps:
                err("cooperating", f"未知的部门 {name!r}")
            else:
                coop.append(self.deps[name])
        history: dict[str, Any] = {
            k: date_of(k)
            for k in (
                "correction_requested_on",
                "correction_served_on",
                "correction_received_on",
                "fee_notice_on",
                "fee_notice_served_on",
                "fee_paid_on",
                "extension_on",
                "closed_on",
            )
        }
        history["fee_amount"] = int_of("fee_amount")
        history["extension_days"] = int_of("extension_days")
        history["extension_approver"] = t.get("extension_approver", "")
        outcome = t.get("outcome", "")
        if outcome and outcome not in OUTCOMES:
            err("outcome", f"未知的结果代码 {outcome!r}；可用：{'、'.join(OUTCOMES)}")
        if bool(outcome) != bool(history["closed_on"]) and not any(
            e.column in ("结果代码", "办结日期") for e in errors
        ):
            err("outcome" if not outcome else "closed_on", "办结日期与结果代码须同时填写")
        history["outcome"] = outcome
        if history["extension_on"] and not history["extension_days"]:
            err("extension_days", "填写了延期日期但没有延期工作日数")
        if history["fee_notice_on"] and not history["fee_amount"]:
            err("fee_amount", "填写了收费通知日期但没有收费金额")
        if unlisted := t.get("unlisted_steps", ""):
            err("unlisted_steps", unlisted_problem(unlisted))
        stage_text = t.get("stage", "")
        stage = _STAGES.get(stage_text) if stage_text else None
        if stage_text and stage is None:
            err("stage", f"未知的阶段 {stage_text!r}")
        if parsed is not None:
            basis = received or arrived
            year = parsed[0] if parsed[0] is not None else (basis.year if basis else 0)
            seq = parsed[1]
            if basis is not None and not number_year_fits(year, basis):
                err("number", f"编号年份 {year} 与收到日期 {basis} 不一致")
        if errors:
            return None, errors
        values = {
            "channel": channel,
            "received_on": received,
            "arrived_on": arrived,
            "applicant_name": t.get("applicant_name", ""),
            "applicant_type": atype,
            "content": t.get("content", ""),
            "email": t.get("email", ""),
            "phone": t.get("phone", ""),
            "address": t.get("address", ""),
            "id_number": t.get("id_number", ""),
            "form_wanted": t.get("form_wanted", ""),
            "case_type": self.case_types.get(t.get("case_type", ""), t.get("case_type", "")),
            "department": self.deps[dep] if dep else None,
            "cooperating": coop,
        }
        return Row(row, number, year, seq, values, history, stage, stated_figures(cell)), []
