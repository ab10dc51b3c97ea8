"""AR tables 三 and 四 from a synthetic register, every cell checked against a hand count."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from disclosure.db import transaction
from disclosure.report import reviews
from tests.report.conftest import NOW, TODAY

# Outcome code → applicant type of the one 2025 application closed with it (2025-03-03 → 03-10).
ONE_PER_CODE = [
    ("1", "natural"),
    ("2", "business"),
    ("3.1", "research"),
    ("3.2", "public_interest"),
    ("3.3", "legal_services"),
    ("3.4", "other"),
    ("3.5", "natural"),
    ("3.6", "business"),
    ("3.7", "research"),
    ("3.8", "public_interest"),
    ("4.1", "legal_services"),
    ("4.2", "other"),
    ("4.3", "natural"),
    ("5.1", "business"),
    ("5.2", "research"),
    ("5.3", "public_interest"),
    ("5.4", "legal_services"),
    ("5.5", "other"),
    ("6.1", "natural"),
    ("6.2", "business"),
    ("6.3", "research"),
]

Z = [0, 0, 0, 0, 0, 0, 0]
# Hand count (columns: 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计).
EXPECTED_2025 = {
    # 21 one-per-code + N1 natural + F1 public_interest + F2 natural + F3 other
    "new": [6, 4, 4, 4, 3, 4, 25],
    # C1 natural (closed 2025), C2 business (open), C4 legal_services (unconfirmed arrival)
    "carried_in": [1, 1, 0, 0, 1, 0, 3],
    "outcome:1": [3, 0, 0, 0, 0, 0, 3],  # one-per-code, N1, C1
    "outcome:2": [0, 1, 0, 0, 0, 0, 1],  # F3 closes in 2026: not here
    "outcome:3.1": [0, 0, 1, 0, 0, 0, 1],
    "outcome:3.2": [0, 0, 0, 1, 0, 0, 1],
    "outcome:3.3": [0, 0, 0, 0, 1, 0, 1],
    "outcome:3.4": [0, 0, 0, 0, 0, 1, 1],
    "outcome:3.5": [1, 0, 0, 0, 0, 0, 1],
    "outcome:3.6": [0, 1, 0, 0, 0, 0, 1],
    "outcome:3.7": [0, 0, 1, 0, 0, 0, 1],
    "outcome:3.8": [0, 0, 0, 1, 0, 0, 1],
    "outcome:4.1": [0, 0, 0, 0, 1, 0, 1],
    "outcome:4.2": [0, 0, 0, 0, 0, 1, 1],
    "outcome:4.3": [1, 0, 0, 0, 0, 0, 1],
    "outcome:5.1": [0, 1, 0, 0, 0, 0, 1],
    "outcome:5.2": [0, 0, 1, 0, 0, 0, 1],
    "outcome:5.3": [0, 0, 0, 1, 0, 0, 1],
    "outcome:5.4": [0, 0, 0, 0, 1, 0, 1],
    "outcome:5.5": [0, 0, 0, 0, 0, 1, 1],
    "outcome:6.1": [1, 0, 0, 0, 0, 0, 1],
    "outcome:6.2": [0, 1, 0, 0, 0, 0, 1],
    "outcome:6.3": [0, 0, 1, 0, 0, 0, 1],
    "total": [6, 4, 4, 3, 3, 3, 23],
    # C2 business, C4 legal_services, F1 public_interest, F2 natural, F3 other
    "carried_forward": [1, 1, 0, 1, 1, 1, 5],
}
EXPECTED_2024 = {
    "new": [1, 1, 1, 0, 1, 0, 4],  # C1, C2, C3, C4
    "carried_in": list(Z),
    "outcome:1": [0, 0, 1, 0, 0, 0, 1],  # C3
    "total": [0, 0, 1, 0, 0, 0, 1],
    "carried_forward": [1, 1, 0, 0, 1, 0, 3],  # C1, C2, C4
}
# Table 四, 2025: [维持, 纠正, 其他, 尚未审结, 总计] (cases R1–R10 in `synthetic_year`).
EXPECTED_REVIEWS_2025 = {
    "reconsideration": [1, 1, 1, 1, 4],  # R1 maintained, R2 corrected, R4 other, R3 pending
    "litigation_direct": [0, 1, 0, 1, 2],  # R6 corrected; R7 decided 2026 → pending in 2025
    "litigation_after_review": [1, 0, 1, 0, 2],  # R8 maintained, R9 other (on 12-31)
}
EXPECTED_REVIEWS_2024 = {
    "reconsideration": [1, 0, 0, 1, 2],  # R5 maintained; R4 filed 2024-12, decided 2025
    "litigation_direct": [0, 0, 0, 0, 0],
    "litigation_after_review": [0, 0, 0, 0, 0],
}


@pytest.fixture
def synthetic_year(reg, engine):  # type: ignore[no-untyped-def]
    """The register described by the comments of the EXPECTED_* tables."""
    c1 = reg.app("natural", "2024-12-20")
    reg.reply(c1, "1", "2025-01-10")
    reg.app("business", "2024-12-23")  # C2: still open
    c3 = reg.app("research", "2024-11-04")
    reg.reply(c3, "1", "2024-11-20")
    reg.app("legal_services", None, arrived="2024-12-30", channel="online")  # C4: unconfirmed
    numbers = {}
    for code, atype in ONE_PER_CODE:
        n = reg.app(atype, "2025-03-03")
        numbers[code] = n
        if code == "6.1":
            reg.event(n, "correction_requested", "2025-03-05")
            reg.reply(n, code, "2025-04-30")
        elif code == "6.2":
            reg.event(n, "fee_notice_sent", "2025-03-05", amount_yuan=200)
            reg.reply(n, code, "2025-04-20")
        else:
            reg.reply(n, code, "2025-03-10")
    n1 = reg.app("natural", "2025-06-02")
    reg.event(n1, "extension_granted", "2025-06-20", days=10, approver="李四")
    reg.reply(n1, "1", "2025-07-10")
    reg.app("public_interest", "2025-12-22")  # F1
    reg.app("natural", "2025-12-29")  # F2
    f3 = reg.app("other", "2025-12-15")
    reg.reply(f3, "2", "2026-01-08")
    reg.app("business", "2026-01-05")  # G1: next year

    cases = [  # (application, kind, result, filed, decided)
        (numbers["1"], "reconsideration", "maintained", "2025-04-01", "2025-06-01"),  # R1
        (numbers["3.1"], "reconsideration", "corrected", "2025-05-01", "2025-07-01"),  # R2
        (numbers["4.1"], "reconsideration", "pending", "2025-11-01", None),  # R3
        (c3, "reconsideration", "other", "2024-12-25", "2025-02-01"),  # R4
        (c3, "reconsideration", "maintained", "2024-12-01", "2024-12-20"),  # R5
        (numbers["5.1"], "litigation_direct", "corrected", "2025-03-20", "2025-09-01"),  # R6
        (numbers["5.2"], "litigation_direct", "maintained", "2025-08-01", "2026-02-01"),  # R7
        (numbers["2"], "litigation_after_review", "maintained", "2025-07-15", "2025-10-10"),
        (numbers["3.2"], "litigation_after_review", "other", "2025-09-01", "2025-12-31"),
        (numbers["3.3"], "litigation_after_review", "pending", "2026-01-10", None),  # R10
    ]
    from datetime import date

    with transaction(engine) as session:
        for number, kind, result, filed, decided in cases:
            reviews.add_case(
                session,
                number=number,
                kind=kind,
                result=result,
                filed_on=date.fromisoformat(filed),
                decided_on=date.fromisoformat(decided) if decided else None,
                note="",
                today=TODAY,
                actor="t",
                now=NOW,
            )
    return numbers


def _annual(cli, year: int, *extra: str) -> dict:  # type: ignore[no-untyped-def]
    r = cli("report", "annual", "--year", str(year), "--format", "json", *extra)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_table3_every_cell_matches_hand_count(cli, synthetic_year):  # type: ignore[no-untyped-def]
    out = _annual(cli, 2025)
    assert out["columns"] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    assert out["rows"] == EXPECTED_2025
    assert list(out["rows"]) == list(EXPECTED_2025)  # the fixed key order


def test_previous_year_and_table4(cli, synthetic_year):  # type: ignore[no-untyped-def]
    out24 = _annual(cli, 2024)
    expected = {k: EXPECTED_2024.get(k, list(Z)) for k in out24["rows"]}
    assert out24["rows"] == expected
    assert out24["review_litigation"]["rows"] == EXPECTED_REVIEWS_2024
    out25 = _annual(cli, 2025)
    assert out25["review_litigation"]["columns"] == [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
    ]
    assert out25["review_litigation"]["rows"] == EXPECTED_REVIEWS_2025


def _merged(ws) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(r) for r in ws.merged_cells.ranges}


def test_xlsx_official_layout(cli, synthetic_year, tmp_path: Path):  # type: ignore[no-untyped-def]
    out = tmp_path / "annual.xlsx"
    r = cli("report", "annual", "--year", "2025", "--out", str(out))
    assert r.exit_code == 0, r.stderr
    wb = openpyxl.load_workbook(out)
    try:
        ws = wb.worksheets[0]
        merged = _merged(ws)
        # Two-level header: 申请人情况 → 自然人 | 法人或其他组织 (5) | 总计
        assert {"A2:C4", "D2:J2", "D3:D4", "E3:I3", "J3:J4"} <= merged
        assert ws["D2"].value == "申请人情况"
        assert ws["D3"].value == "自然人"
        assert ws["E3"].value == "法人或其他组织"
        assert [ws.cell(4, c).value for c in range(5, 10)] == [
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
        ]
        assert ws["J3"].value == "总计"
        assert ws["A5"].value == "一、本年新收政府信息公开申请数量"
        assert [ws.cell(5, c).value for c in range(4, 11)] == [6, 4, 4, 4, 3, 4, 25]
        assert ws["A6"].value == "二、上年结转政府信息公开申请数量"
        assert [ws.cell(6, c).value for c in range(4, 11)] == [1, 1, 0, 0, 1, 0, 3]
        assert ws["A7"].value == "三、本年度办理结果" and "A7:A28" in merged
        assert ws["B7"].value == "（一）予以公开" and "B7:C7" in merged
        assert ws["B9"].value == "（三）不予公开" and "B9:B16" in merged
        assert ws["C9"].value == "1.属于国家秘密"
        assert ws["C16"].value == "8.属于行政查询事项"
        assert ws["B17"].value == "（四）无法提供" and "B17:B19" in merged
        assert ws["B20"].value == "（五）不予处理" and "B20:B24" in merged
        assert ws["B25"].value == "（六）其他处理" and "B25:B27" in merged
        assert ws["C27"].value == "3.其他"
        assert [ws.cell(7, c).value for c in range(4, 11)] == [3, 0, 0, 0, 0, 0, 3]
        assert ws["B28"].value == "（七）总计"
        assert [ws.cell(28, c).value for c in range(4, 11)] == [6, 4, 4, 3, 3, 3, 23]
        assert ws["A29"].value == "四、结转下年度继续办理"
        assert [ws.cell(29, c).value for c in range(4, 11)] == [1, 1, 0, 1, 1, 1, 5]
        t4 = wb.worksheets[1]
        assert {"A2:E3", "F2:O2", "F3:J3", "K3:O3"} <= _merged(t4)
        assert (t4["A2"].value, t4["F2"].value) == ("行政复议", "行政诉讼")
        assert (t4["F3"].value, t4["K3"].value) == ("未经复议直接起诉", "复议后起诉")
        assert [t4.cell(5, c).value for c in range(1, 16)] == [
            *[1, 1, 1, 1, 4],
            *[0, 1, 0, 1, 2],
            *[1, 0, 1, 0, 2],
        ]
    finally:
        wb.close()


def test_markdown_has_every_row(cli, synthetic_year):  # type: ignore[no-untyped-def]
    r = cli("report", "annual", "--year", "2025")
    assert r.exit_code == 0, r.stderr
    assert "| 一、本年新收政府信息公开申请数量 | 6 | 4 | 4 | 4 | 3 | 4 | 25 |" in r.stdout
    assert "| 三、本年度办理结果 （七）总计 | 6 | 4 | 4 | 3 | 3 | 3 | 23 |" in r.stdout
    assert "| 行政复议 | 1 | 1 | 1 | 1 | 4 |" in r.stdout


def test_unbalanced_register_writes_nothing(cli, synthetic_year, engine, tmp_path):  # type: ignore[no-untyped-def]
    broken = synthetic_year["3.4"]
    with engine.begin() as conn:
        conn.execute(text("UPDATE application SET outcome = NULL WHERE number = :n"), {"n": broken})
    out = tmp_path / "annual.xlsx"
    r = cli("report", "annual", "--year", "2025", "--out", str(out))
    assert r.exit_code != 0
    assert "其他" in r.stderr and broken in r.stderr
    assert not out.exists()
    assert list(tmp_path.glob("*.part")) == []


def test_review_commands(cli, reg):  # type: ignore[no-untyped-def]
    n = reg.app("natural", "2025-03-03")
    r = cli("review", "add", n, "--kind", "reconsideration", "--filed", "2025-04-01",
            "--today", "2026-01-05", "--json")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    case_id = json.loads(r.stdout)["id"]
    bad = cli("review", "add", n, "--kind", "appeal", "--filed", "2025-04-01")
    assert bad.exit_code != 0 and "--kind" in bad.stderr
    bad = cli("review", "add", n, "--kind", "reconsideration", "--filed", "2025-04-01",
              "--result", "corrected", "--today", "2026-01-05")  # fmt: skip
    assert bad.exit_code != 0 and "--decided" in bad.stderr
    r = cli("review", "decide", str(case_id), "--result", "corrected", "--decided", "2025-03-01",
            "--today", "2026-01-05")  # fmt: skip
    assert r.exit_code != 0 and "--decided" in r.stderr  # before it was filed
    r = cli("review", "decide", str(case_id), "--result", "corrected", "--decided", "2025-06-01",
            "--today", "2026-01-05")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    rows = json.loads(cli("review", "list", "--json").stdout)
    assert [(x["number"], x["result"], x["decided_on"]) for x in rows] == [
        (n, "corrected", "2025-06-01")
    ]
    out = _annual(cli, 2025)
    assert out["review_litigation"]["rows"]["reconsideration"] == [0, 1, 0, 0, 1]
