"""Retention: personal data of cases past `[retention] years` removed; statistics intact."""

from __future__ import annotations

import json

from tests.casefile.conftest import register

PERSONAL = {
    "phone": "13800138000",
    "email": "zhang@example.cn",
    "id_number": "110101199001011237",
    "address": "某市某区某路2号",
}


def _archived_case(desk, **extra: str) -> str:  # type: ignore[no-untyped-def]
    number = register(desk, **{**PERSONAL, **extra})
    desk.ok(
        "reply",
        number,
        "--outcome",
        "2",
        "--date",
        "2026-03-10",
        "--today",
        "2026-03-10",
        "--note",
        "已电话告知 13800138000",
    )
    desk.ok("archive", number, "--today", "2026-03-12")
    return number


def test_retention_removes_personal_data_and_keeps_the_annual_report(desk) -> None:  # type: ignore[no-untyped-def]
    old = _archived_case(desk)
    kept = register(desk, phone="13900000000")  # open: never touched
    annual = desk.ok("report", "annual", "--year", "2026", "--format", "json").stdout

    dry = json.loads(
        desk.ok("retention", "run", "--dry-run", "--today", "2036-03-13", "--json").stdout
    )
    assert [c["number"] for c in dry["cases"]] == [old]
    assert dry["cases"][0]["retention_ends"] == "2036-03-12"
    assert set(dry["cases"][0]["fields"]) == set(PERSONAL)
    assert json.loads(desk.ok("show", old, "--json").stdout)["phone"] == PERSONAL["phone"]
    # the retention period's last day: not yet
    assert (
        json.loads(desk.ok("retention", "run", "--today", "2036-03-12", "--json").stdout)["cases"]
        == []
    )

    done = json.loads(desk.ok("retention", "run", "--today", "2036-03-13", "--json").stdout)
    assert [c["number"] for c in done["cases"]] == [old] and done["cases"][0][
        "events_scrubbed"
    ] == 1
    shown = json.loads(desk.ok("show", old, "--json").stdout)
    assert (
        all(shown[f] == "" for f in ("phone", "email", "address")) and not shown["id_number_masked"]
    )
    assert shown["applicant"] == "张三" and shown["outcome"] == "2"
    text = json.dumps(shown["timeline"], ensure_ascii=False)
    assert PERSONAL["phone"] not in text and "已电话告知 ［已删除］" in text
    log = [e for e in shown["timeline"] if e["kind"] == "personal_data_removed"]
    assert len(log) == 1 and "证件号码" in log[0]["note"] and log[0]["on"] == "2036-03-13"
    assert json.loads(desk.ok("show", kept, "--json").stdout)["phone"] == "13900000000"
    assert desk.ok("report", "annual", "--year", "2026", "--format", "json").stdout == annual
    # a second run finds nothing left to remove
    again = json.loads(desk.ok("retention", "run", "--today", "2036-04-01", "--json").stdout)
    assert again["cases"] == []


def test_retention_years_come_from_the_config(desk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    number = _archived_case(desk)
    monkeypatch.setenv("DISCLOSURE_RETENTION__YEARS", "3")
    out = json.loads(
        desk.ok("retention", "run", "--dry-run", "--today", "2029-03-13", "--json").stdout
    )
    assert [c["number"] for c in out["cases"]] == [number]


def test_retention_also_forgets_the_person_in_the_applicant_register(desk, engine) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import Session, select

    from disclosure.models import Applicant

    old = _archived_case(desk)

    def people() -> list[tuple[str, str, str]]:
        with Session(engine) as s:
            return [(a.key, a.id_number, a.phone) for a in s.exec(select(Applicant))]

    assert any(PERSONAL["id_number"] in key for key, _i, _p in people())
    desk.ok("retention", "run", "--today", "2036-03-13", "--json")
    assert old and all(
        PERSONAL["id_number"] not in key and not idn and not phone for key, idn, phone in people()
    )
