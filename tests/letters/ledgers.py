"""Ledgers that let every letter be issued: each outcome with the facts it presupposes.

Received Mon 2026-03-02, in person. March 2026 has no public holiday, so working days run
Mon–Fri: a correction served Tue 3/3 gives 15 working days 3/4–3/24 (expired on 3/25); a fee
notice served Tue 3/3 gives 20 working days 3/4–3/31 (expired on 4/1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from disclosure.db import transaction
from disclosure.outcomes import CITATIONS
from disclosure.services import steps
from disclosure.services.context import Context
from disclosure.services.office import load_office
from disclosure.services.registration import parse_create, register_application
from tests.conftest import NOW
from tests.letters.conftest import Desk

RECEIVED = date(2026, 3, 2)
REPLIED = date(2026, 3, 20)
AFTER_CORRECTION = date(2026, 3, 25)  # the correction period served 3/3 ran to 3/24
AFTER_FEE = date(2026, 4, 1)  # the payment period served 3/3 ran to 3/31
THIRD_PARTY = "某化工有限公司"
NATURAL = "张三丰"  # a natural person: never named to another party
NATURAL_REQUEST = "请公开贵局对我家附近某化工有限公司2025年度的检查记录。"


@dataclass
class Case:
    """One letter to issue: the application, the kind, its options, the day it is issued."""

    name: str
    number: str
    kind: str
    on: date
    options: dict[str, Any] = field(default_factory=dict)
    code: str = ""
    variant: str = ""
    setup: list[tuple[date, Callable[[], object]]] = field(default_factory=list)


def register_natural(desk: Desk, content: str = NATURAL_REQUEST) -> str:
    data = parse_create(
        {
            "channel": "in_person",
            "received_on": RECEIVED,
            "applicant_name": NATURAL,
            "applicant_type": "natural",
            "content": content,
        }
    )
    with transaction(desk.engine) as s:
        office = load_office(s, desk.settings)
        return register_application(s, data=data, ctx=Context(office, RECEIVED, "t", NOW)).number


Setup = list[tuple[date, Callable[[], object]]]


def _correction(desk: Desk, number: str, received: bool) -> Setup:
    d, got = date(2026, 3, 3), date(2026, 3, 10)
    out: Setup = [
        (d, lambda: desk.issue(number, "correction", on=d, served=d, today=d, items=("请写明",)))
    ]
    if received:
        out.append((got, lambda: desk.record(number, steps.CorrectionReceived(on=got), got)))
    return out


def _fee(desk: Desk, number: str) -> Setup:
    d = date(2026, 3, 3)
    return [(d, lambda: desk.issue(number, "fee", pages=250, on=d, served=d, today=d))]


def _art35(desk: Desk, number: str) -> Setup:
    d = date(2026, 3, 5)
    return [(d, lambda: desk.issue(number, "art35", due=date(2026, 3, 13), on=d, today=d))]


def _consulted(desk: Desk, number: str) -> Setup:
    d, answered = date(2026, 3, 4), date(2026, 3, 10)
    step = steps.ConsultationAnswered(on=answered, party=THIRD_PARTY)
    return [
        (d, lambda: desk.issue(number, "consultation", party=THIRD_PARTY, on=d, served=d, today=d)),
        (answered, lambda: desk.record(number, step, answered)),
    ]


# The clerk's entries each variant needs (rulebook §8.2).
CLERK: dict[tuple[str, str], dict[str, Any]] = {
    ("1", "already_public"): {"where": "本机关门户网站“法定主动公开内容”栏目（2026年1月15日发布）"},
    ("4.1", "not_exist"): {"reasons": "检索范围：本机关公文管理系统和档案室，关键词“检查记录”"},
    ("4.1", "not_ours"): {"responsible_agency": "广州市市场监督管理局", "contact": "020-83339999"},
    ("6.3", "other"): {"reasons": "经核实，该申请系他人冒用申请人名义提出"},
    **{
        ("2", v): {"withheld": "检查记录第3页", "reasons": "该页载有依法不予公开的内容"}
        for (c, v) in CITATIONS
        if c == "2"
    },
}


def reply_case(desk: Desk, code: str, variant: str) -> Case:
    """An application whose ledger allows the reply `code` in `variant`, ready to issue."""
    number = desk.register()
    on = REPLIED
    opts: dict[str, Any] = {"outcome": code, **CLERK.get((code, variant), {})}
    if variant:
        opts["variant_code"] = variant
    setup: Setup = []
    if code == "4.3":
        setup = _correction(desk, number, received=True)
    elif code == "5.2":
        earlier, d = desk.register(), date(2026, 3, 10)
        setup = [(d, lambda: desk.record(earlier, steps.Reply(on=d, code="1"), d))]
        opts["repeats"] = earlier
    elif code == "5.4":
        setup = _art35(desk, number)
    elif code == "6.1":
        setup, on = _correction(desk, number, received=False), AFTER_CORRECTION
    elif code == "6.2":
        setup, on = _fee(desk, number), AFTER_FEE
    elif (code, variant) == ("3.4", "refused"):
        setup = _consulted(desk, number)
    elif (code, variant) == ("6.3", "withdrawn"):
        on = date(2026, 3, 6)  # the letter takes the recorded withdrawal's date
        setup = [(on, lambda: desk.record(number, steps.Withdrawal(on=on), on))]
        opts.pop("outcome")
    opts["on"] = on
    name = f"reply-{code}-{variant or 'only'}"
    return Case(name, number, "reply", on, opts, code, variant, setup)


def procedural_cases(desk: Desk) -> list[Case]:
    """Every kind other than the reply, each on a ledger that allows it."""
    d3, d4, d5 = date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 5)
    natural, other = register_natural(desk), register_natural(desk)
    deferred, dropped, unpaid = desk.register(), desk.register(), desk.register()
    return [
        Case("receipt", desk.register(), "receipt", d3, {"on": d3}),
        Case("correction", desk.register(), "correction", d3, {"on": d3, "items": ("请写明对象",)}),
        Case(
            "extension",
            desk.register(),
            "extension",
            date(2026, 3, 27),
            {"on": date(2026, 3, 27), "days": 10, "approver": "李主任"},
        ),
        Case("consultation", natural, "consultation", d4, {"on": d4, "party": THIRD_PARTY}),
        Case("consultation_notice", natural, "consultation_notice", d4, {"on": d4}),
        Case(
            "consultation_agency",
            other,
            "consultation_agency",
            d4,
            {"on": d4, "party": "广州市生态环境局"},
        ),
        Case("fee", desk.register(), "fee", d3, {"on": d3, "pages": 250}),
        Case("art35", desk.register(), "art35", d5, {"on": d5, "due": date(2026, 3, 13)}),
        Case(
            "deferred",
            deferred,
            "deferred",
            date(2026, 3, 16),
            {"on": date(2026, 3, 16), "due": date(2026, 5, 29)},
            setup=_art35(desk, deferred),
        ),
        Case(
            "abandoned-correction",
            dropped,
            "abandoned",
            AFTER_CORRECTION,
            {"on": AFTER_CORRECTION, "reason": "correction"},
            setup=_correction(desk, dropped, received=False),
        ),
        Case(
            "abandoned-fee",
            unpaid,
            "abandoned",
            AFTER_FEE,
            {"on": AFTER_FEE, "reason": "fee"},
            setup=_fee(desk, unpaid),
        ),
    ]


def issue_all(desk: Desk, cases: list[Case]) -> dict[str, tuple[bytes, str]]:
    """Run every case's steps and letters in date order (文号 follow the letters' dates)."""
    out: dict[str, tuple[bytes, str]] = {}

    def final(case: Case) -> Callable[[], object]:
        def run() -> None:
            issued, text = desk.issue(case.number, case.kind, today=case.on, **case.options)
            out[case.name] = (issued.render(), text)

        return run

    actions = [a for c in cases for a in c.setup] + [(c.on, final(c)) for c in cases]
    for _, action in sorted(actions, key=lambda a: a[0]):  # stable: each case's order kept
        action()
    return out
