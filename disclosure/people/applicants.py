"""The applicant register: who applied, how often this month, and what they asked before.

An applicant is keyed (`applicant.key`) by, in this order: the unified social credit code of
an organisation (统一社会信用代码), the resident ID number of a person (居民身份证; other
identity documents are kept as written), or else the name with the phone's digits. An
application with none of these is not linked (its fees need the clerk's count).

The numbers are checked on input by the registration schema (`disclosure.people.id_documents`);
registration (`disclosure.services.registration.register_many`) links or creates the
applicant (`link`).
`month_position` is the application's place among the applicant's applications received in
the same calendar month — the n of the per-item fee (Fees art. 5(1), rulebook §7).
`possible_duplicates` lists the applicant's earlier applications with a similar request
(Reg. Art. 36(6) needs a person's judgement: this only warns; `duplicate_warning` words one).
`registered_already` finds the same registration made twice (a form sent again after going
back, two clerks registering one letter): the web form asks before registering it again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import and_, func, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select
from stdnum.cn import uscc

from disclosure.errors import InvalidInput
from disclosure.models import Applicant, Application
from disclosure.outcomes import OUTCOMES
from disclosure.people.id_documents import RESIDENT_ID
from disclosure.schemas import ApplicationCreate
from disclosure.vocabulary import ApplicantKey
from rules import fees

# A fee notice's basis with no n: counted here when the notice is recorded (FeeNotice.record).
ITEM_FEE_COUNTED = {"fee_basis": "item"}
DUPLICATE_THRESHOLD = 80  # similarity (0–100) from which an earlier request is shown
DUPLICATE_LOOKBACK = 200  # the applicant's latest applications compared
# Words every request repeats; left out before comparing (they say nothing about the what).
_FILLER = re.compile(
    r"申请|要求|请求|请|公开|获取|提供|查阅|复制|关于|有关|相关|的|文件|信息|政府|贵局|贵单位|本人|我"
)
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Identity:
    """What identifies the applicant of one registration (None: not identifiable)."""

    kind: ApplicantKey
    key: str
    id_number: str = ""
    credit_code: str = ""


def _name_key(name: str) -> str:
    return _NOT_WORD.sub("", name.casefold())


def identity(
    name: str, *, id_number: str, credit_code: str, phone: str, natural: bool = True
) -> Identity | None:
    """The applicant's key from validated values (see the module doc). An organisation's
    credit code written as its document number (the web form and the API have no field of
    its own) is its credit code."""
    if not credit_code and not natural and uscc.is_valid(id_number):
        credit_code = id_number
    if credit_code:
        return Identity(ApplicantKey.CREDIT_CODE, f"uscc:{credit_code}", credit_code=credit_code)
    if id_number:
        prefix = "ric" if RESIDENT_ID.fullmatch(id_number) else "id"
        return Identity(ApplicantKey.ID_NUMBER, f"{prefix}:{id_number}", id_number=id_number)
    digits = re.sub(r"\D", "", phone)
    if digits and _name_key(name):
        return Identity(ApplicantKey.NAME_PHONE, f"np:{_name_key(name)}|{digits}")
    return None


def link(
    session: Session, people: Sequence[tuple[str, str, Identity | None]], now: datetime
) -> list[int | None]:
    """The applicant id of each (name, phone, identity), created when new. Two registrations
    creating the same applicant at once both end up with the one row (ON CONFLICT)."""
    wanted = {i.key: (name, phone, i) for name, phone, i in people if i is not None}
    if wanted:
        dialect = session.get_bind().dialect.name
        make = postgresql.insert if dialect == "postgresql" else sqlite.insert
        rows = [
            {
                "key": key,
                "key_kind": i.kind.value,
                "name": name,
                "id_number": i.id_number,
                "credit_code": i.credit_code,
                "phone": phone,
                "created_at": now,
            }
            for key, (name, phone, i) in wanted.items()
        ]
        table = Applicant.__table__  # type: ignore[attr-defined]
        # The rows as parameters, not `.values(rows)`: a statement with its values inside
        # cannot be cached, so every registration compiled it anew.
        session.execute(make(table).on_conflict_do_nothing(index_elements=["key"]), rows)
    stmt = select(Applicant.key, Applicant.id).where(col(Applicant.key).in_(list(wanted)))
    ids = {key: row_id for key, row_id in session.connection().execute(stmt).all()}
    return [ids[i.key] if i is not None else None for _n, _p, i in people]


def month_position(session: Session, app: Application) -> int | None:
    """The application's n among its applicant's applications received in its calendar
    month (registration order within a day); None when the applicant is not known."""
    day = app.received_on or app.arrived_on
    if app.applicant_id is None or day is None:
        return None
    first = day.replace(day=1)
    received = col(Application.received_on)
    stmt = select(func.count()).where(
        Application.applicant_id == app.applicant_id,
        received >= first,
        or_(received < day, and_(received == day, col(Application.id) <= app.id)),
    )
    n = int(session.exec(stmt).one())
    return n if app.received_on is not None else n + 1


class UncountedApplicant(InvalidInput):
    """`item_fee` finds no n: the applicant is not known, so the clerk gives the amount. The
    message asks only for the amount, which every edge that gets here has (`fee-notice`
    --amount); `disclosure letter` adds its other ways (--pages, --nth)."""


def item_fee(session: Session, app: Application) -> tuple[int, dict[str, Any]]:
    """The per-item fee of `app` from its applicant's month (Fees art. 5(1), rulebook §7)."""
    nth = month_position(session, app)
    if nth is None:
        raise UncountedApplicant(
            "无法识别申请人（无身份证件号码、统一社会信用代码或联系电话），"
            "不能自动计数本月申请件数，请给出收费金额",
            field="amount",
        )
    amount = fees.fee_per_item(nth)
    if amount == 0:
        raise InvalidInput(
            f"该申请是申请人本月第 {nth} 件，按件计收不超过 {fees.ITEM_FREE_UP_TO} 件的免费，"
            "无需收费",
            field="amount",
        )
    return amount, {**ITEM_FEE_COUNTED, "nth": nth}


def normalised(content: str) -> str:
    return _FILLER.sub("", _NOT_WORD.sub("", content.casefold()))


def similarity(a: str, b: str) -> float:
    """0–100: how alike two requests are, word order aside (character pairs compared)."""
    x, y = normalised(a), normalised(b)
    if not x or not y:
        return 0.0
    pairs_x = " ".join(x[i : i + 2] for i in range(len(x) - 1)) or x
    pairs_y = " ".join(y[i : i + 2] for i in range(len(y) - 1)) or y
    return max(fuzz.ratio(x, y), fuzz.token_set_ratio(pairs_x, pairs_y))


def possible_duplicates(session: Session, app: Application) -> list[dict[str, Any]]:
    """The applicant's other applications asking much the same, most alike first. An
    applicant who cannot be identified (no ID, credit code or phone: many at the counter) is
    compared by name, and each entry says so (`matched_by`: "applicant" or "name")."""
    by_name = app.applicant_id is None
    same = (
        Application.applicant_name == app.applicant_name
        if by_name
        else Application.applicant_id == app.applicant_id
    )
    stmt = (
        select(Application)
        .where(same, Application.id != app.id)
        .order_by(col(Application.id).desc())
        .limit(DUPLICATE_LOOKBACK)
    )
    found = []
    for other in session.exec(stmt):
        score = similarity(app.content, other.content)
        if score >= DUPLICATE_THRESHOLD:
            found.append((score, other))
    found.sort(key=lambda pair: -pair[0])
    return [
        {
            "number": o.number,
            "received_on": _iso(o.received_on or o.arrived_on),
            "outcome": o.outcome,
            "outcome_label": OUTCOMES[o.outcome].label if o.outcome in OUTCOMES else None,
            "closed_on": _iso(o.closed_on),
            "similarity": round(score),
            "matched_by": "name" if by_name else "applicant",
        }
        for score, o in found
    ]


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def duplicate_warning(d: dict[str, Any]) -> str:
    """One entry of `possible_duplicates` in the clerk's words (CLI stderr, the web page)."""
    answer = f"已答复：{d['outcome']} {d['outcome_label']}" if d["outcome"] else "尚未答复"
    who = (
        "同名申请人（未登记证件号码、统一社会信用代码或电话，无法确认是否同一人）"
        if d.get("matched_by") == "name"
        else "该申请人"
    )
    return (
        f"注意：{who}此前提出过相似的申请 {d['number']}（{d['received_on']}，{answer}，"
        f"相似度 {d['similarity']}%），是否属于重复申请请人工判断（条例第三十六条第六项）"
    )


def registered_already(session: Session, data: ApplicationCreate) -> Application | None:
    """The application registered before with the same applicant name, channel, dates and
    request (letter for letter, spacing and punctuation aside), if any: the latest."""
    received = data.received_on
    stmt = select(Application).where(
        Application.applicant_name == data.applicant_name,
        Application.channel == data.channel.value,
        col(Application.received_on).is_(None)
        if received is None
        else Application.received_on == received,
        # registration keeps the receipt as the arrival when none is given
        Application.arrived_on == (data.arrived_on or received),
    )
    same = _NOT_WORD.sub("", data.content.casefold())
    found = [a for a in session.exec(stmt) if _NOT_WORD.sub("", a.content.casefold()) == same]
    return max(found, key=lambda a: a.id or 0) if found else None
