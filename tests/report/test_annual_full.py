"""The whole annual report: sections 二 and 六 against hand counts, docx read back, PDF, lock."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

from disclosure.db import transaction
from disclosure.report import reviews
from tests.report import test_annual as base
from tests.report.conftest import NOW, TODAY
from tests.report.test_annual import EXPECTED_2025, EXPECTED_REVIEWS_2025

synthetic_year = base.synthetic_year  # the register whose tables 三 and 四 are hand-counted

FIGURES = {  # section 二 as the office enters it
    "rules_issued": "2", "rules_repealed": "1", "rules_in_force": "15",
    "normative_issued": "7", "normative_repealed": "3", "normative_in_force": "42",
    "licensing_decisions": "1280", "punishment_decisions": "356", "coercion_decisions": "12",
    "fees_amount": "0.35",
}  # fmt: skip
PLAN = (
    "工作任务,具体要求,落实单位,完成时限\n"
    "做好规划公开,公开发展规划,政策法规处牵头，各处室配合,2025-06-30\n"
    ",公开专项规划,环境保护处牵头,持续推进\n"
    "加强解读,做好政策解读,政策法规处牵头,2025-12-31\n"
)


@pytest.fixture
def full_year(cli, reg, synthetic_year, tmp_path: Path):  # type: ignore[no-untyped-def]
    """`synthetic_year` plus fees, section 二 figures, texts and three key tasks (2025)."""
    # Fees. 2025: the 6.2 application's notice (200 元, unpaid) is in synthetic_year; P1 is
    # billed 300 元 and pays (amount not recorded: the notice's 300); P2 was billed 150 元 in
    # 2024 and pays in 2025 (amount recorded: 150). Both are closed with outcome 1 / 2.
    p1 = reg.app("natural", "2025-04-01")
    reg.event(p1, "fee_notice_sent", "2025-04-03", amount_yuan=300)
    reg.event(p1, "fee_paid", "2025-04-10")
    reg.reply(p1, "1", "2025-04-20")
    p2 = reg.app("business", "2024-12-10")
    reg.event(p2, "fee_notice_sent", "2024-12-12", amount_yuan=150)
    reg.event(p2, "fee_paid", "2025-01-06", amount_yuan=150)
    reg.reply(p2, "2", "2025-01-15")
    for key, value in FIGURES.items():
        assert cli("report", "set", "--year", "2025", key, value).exit_code == 0
    cli("report", "set", "--year", "2025", "overview", "2025年，本局全面贯彻《条例》。")
    cli("report", "set", "--year", "2025", "problems", "依申请公开答复质量有待提高。")
    cli("report", "set", "--year", "2025", "other", "本年度未发生其他需要报告的事项。")
    plan = tmp_path / "plan.csv"
    plan.write_text(PLAN, encoding="utf-8")
    assert (
        cli("tasks", "import", str(plan), "--year", "2025", "--today", "2025-03-01").exit_code == 0
    )
    assert cli("tasks", "done", "3", "--date", "2025-11-30", "--today", "2026-01-10").exit_code == 0
    r = cli("tasks", "progress", "2", "--note", "已公开专项规划2项", "--date", "2025-09-01",
            "--today", "2026-01-10")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    return synthetic_year


def _json(cli, year: str = "2025") -> dict:  # type: ignore[no-untyped-def,type-arg]
    r = cli("report", "annual", "--year", year, "--format", "json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


# Hand count of table 三 after `full_year`: P1 natural new, closed 1; P2 business carried in,
# closed 2 (every other cell as in EXPECTED_2025).
def _expected_rows() -> dict[str, list[int]]:
    rows = {k: list(v) for k, v in EXPECTED_2025.items()}
    for key, col in (("new", 0), ("outcome:1", 0), ("total", 0),
                     ("carried_in", 1), ("outcome:2", 1), ("total", 1)):  # fmt: skip
        rows[key][col] += 1
        rows[key][6] += 1
    return rows


def test_every_section_against_hand_counts(cli, full_year) -> None:  # type: ignore[no-untyped-def]
    out = _json(cli)
    assert out["rows"] == _expected_rows()
    assert out["review_litigation"]["rows"] == EXPECTED_REVIEWS_2025
    assert out["proactive"] == {
        "rules": {"issued": 2, "repealed": 1, "in_force": 15},
        "normative": {"issued": 7, "repealed": 3, "in_force": 42},
        "licensing": {"decisions": 1280},
        "punishment": {"decisions": 356},
        "coercion": {"decisions": 12},
        "fees": {"amount_wan": "0.35"},
    }
    assert out["overview"] == "2025年，本局全面贯彻《条例》。" and out["missing"] == []
    # 六: notices in 2025: the 6.2 one (200) and P1 (300); collected: P1 300 + P2 150.
    assert out["other"]["fees"] == {
        "notices": 2, "billed_yuan": 500, "collected_yuan": 450,
        "billed_wan": "0.05", "collected_wan": "0.045",
    }  # fmt: skip
    tasks = out["other"]["key_tasks"]
    # Task 1 due 06-30 not done (overdue), task 2 continuing with a report, task 3 done.
    assert (tasks["total"], tasks["done"], tasks["in_progress"], tasks["open"],
            tasks["overdue"]) == (3, 1, 1, 1, 1)  # fmt: skip
    assert out["publication"] is None
    fees24 = _json(cli, "2024")["other"]["fees"]
    assert (fees24["notices"], fees24["billed_yuan"], fees24["collected_yuan"]) == (1, 150, 0)


def test_bad_figures_are_refused_by_key(cli) -> None:  # type: ignore[no-untyped-def]
    for key, value in (("rules_issued", "-1"), ("licensing_decisions", "1.5"),
                       ("coercion_decisions", "许多"), ("fees_amount", "1.23456"),
                       ("fees_amount", "-0.5")):  # fmt: skip
        r = cli("report", "set", "--year", "2025", key, value)
        assert r.exit_code == 2 and f"{key}:" in r.stderr, (key, value, r.stderr)
    r = cli("report", "set", "--year", "2025", "no_such_key", "1")
    assert r.exit_code == 2 and "key" in r.stderr
    assert json.loads(cli("report", "values", "--year", "2025", "--json").stdout)["values"] == {}


def _cells(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[c.text for c in row.cells] for row in table.rows]


def test_docx_tables_read_back(cli, full_year, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "annual.docx"
    r = cli("report", "annual", "--year", "2025", "--out", str(out))
    assert r.exit_code == 0, r.stderr
    d = docx.Document(str(out))
    texts = [p.text for p in d.paragraphs]
    assert texts[0] == "某市生态环境局2025年政府信息公开工作年度报告"
    assert "2025年，本局全面贯彻《条例》。" in texts and "依申请公开答复质量有待提高。" in texts
    assert any("发出收费通知2件，收费通知总金额0.05万元，实际收取信息处理费0.045万元" in t
               for t in texts)  # fmt: skip
    assert any("共明确重点任务3项，已完成1项" in t for t in texts)
    s2, s3, s4, tasks = d.tables[:4]
    rows2 = _cells(s2)
    assert rows2[0] == ["第二十条第（一）项"] * 4  # merged across the table
    assert rows2[2] == ["规章", "2", "1", "15"] and rows2[3] == ["行政规范性文件", "7", "3", "42"]
    assert rows2[6] == ["行政许可", "1280", "1280", "1280"]  # value merged over three columns
    assert rows2[9] == ["行政处罚", "356", "356", "356"] and rows2[10][1] == "12"
    assert rows2[13] == ["行政事业性收费", "0.35", "0.35", "0.35"]
    rows3 = _cells(s3)
    assert rows3[0][3:] == ["申请人情况"] * 7 and rows3[1][4:9] == ["法人或其他组织"] * 5
    assert rows3[2][4:9] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    expected = _expected_rows()
    assert [int(x) for x in rows3[3][3:]] == expected["new"]
    assert [int(x) for x in rows3[4][3:]] == expected["carried_in"]
    assert (
        rows3[5][1] == "（一）予以公开" and [int(x) for x in rows3[5][3:]] == expected["outcome:1"]
    )
    assert rows3[7][1] == "（三）不予公开" and rows3[7][2] == "1.属于国家秘密"
    assert rows3[26][1] == "（七）总计" and [int(x) for x in rows3[26][3:]] == expected["total"]
    assert [int(x) for x in rows3[27][3:]] == expected["carried_forward"]
    rows4 = _cells(s4)
    assert rows4[0][:5] == ["行政复议"] * 5 and rows4[0][5:] == ["行政诉讼"] * 10
    assert [int(x) for x in rows4[3]] == [1, 1, 1, 1, 4, 0, 1, 0, 1, 2, 1, 0, 1, 0, 2]
    assert [r[3] for r in _cells(tasks)[1:]] == ["未开始", "推进中", "已完成（2025-11-30）"]
    fonts = {r.font.name for p in d.paragraphs for r in p.runs}
    assert {"方正小标宋简体", "仿宋_GB2312", "黑体"} <= fonts


def test_headings_and_table_four_keep_with_what_follows(cli, full_year, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "annual.docx"
    assert cli("report", "annual", "--year", "2025", "--out", str(out)).exit_code == 0
    d = docx.Document(str(out))
    headings = [
        p for p in d.paragraphs if p.text[:2] in {"一、", "二、", "三、", "四、", "五、", "六、"}
    ]
    assert len(headings) == 6 and all(p.paragraph_format.keep_with_next for p in headings)
    body = [p for p in d.paragraphs if p.text and p.text[:2] not in {h.text[:2] for h in headings}]
    assert not any(p.paragraph_format.keep_with_next for p in body)  # only headings
    four = next(t for t in d.tables if "行政复议" in t.rows[0].cells[0].text)
    kept = [all(p.paragraph_format.keep_with_next for c in r.cells for p in c.paragraphs)
            for r in four.rows]  # fmt: skip
    assert kept == [True] * (len(four.rows) - 1) + [False]  # Word: the table on one page


def test_pdf_through_libreoffice(cli, full_year, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "annual.pdf"
    r = cli("report", "annual", "--year", "2025", "--out", str(out))
    assert r.exit_code == 0, r.stderr
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True
    ).stdout
    flat = "".join(text.split())
    for words in ("2025年政府信息公开工作年度报告", "一、总体情况", "二、主动公开政府信息情况",
                  "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
                  "五、存在的主要问题及改进情况", "六、其他需要报告的事项", "行政事业性收费0.35",
                  "一、本年新收政府信息公开申请数量",
                  "实际收取信息处理费0.045万元"):  # fmt: skip
        assert words in flat, words
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert "CJK" in fonts  # the named fallback (Noto CJK), not a Latin substitute


def test_lock_then_change_is_shown(cli, full_year) -> None:  # type: ignore[no-untyped-def]
    r = cli("report", "lock", "--year", "2025")
    assert r.exit_code == 0, r.stderr
    assert _json(cli)["publication"]["changed"] is False
    again = cli("report", "lock", "--year", "2025")
    assert again.exit_code == 5 and "数据未变" in again.stderr
    # After publication: one more reconsideration filed in 2025, and a corrected figure.
    cli("report", "set", "--year", "2025", "licensing_decisions", "1290")
    out = _json(cli)
    changes = {c["label"]: (c["published"], c["current"]) for c in out["publication"]["changes"]}
    assert changes == {"二、行政许可：本年处理决定数量": (1280, 1290)}
    md = cli("report", "annual", "--year", "2025")
    assert "发布后数据变动情况" in md.stdout and "此后有 1 处数据变动" in md.stderr
    locked = cli("report", "lock", "--year", "2025")
    assert locked.exit_code == 5 and "--republish" in locked.stderr
    assert cli("report", "lock", "--year", "2025", "--republish").exit_code == 0
    assert _json(cli)["publication"]["changed"] is False


def test_review_case_after_lock_changes_table4(cli, full_year, engine) -> None:  # type: ignore[no-untyped-def]
    assert cli("report", "lock", "--year", "2025").exit_code == 0
    with transaction(engine) as session:
        reviews.add_case(session, number=full_year["1"], kind="reconsideration",
                         result="maintained", filed_on=date(2025, 12, 1),
                         decided_on=date(2025, 12, 20), note="", today=TODAY, actor="t",
                         now=NOW)  # fmt: skip
    changes = _json(cli)["publication"]["changes"]
    assert {c["label"]: (c["published"], c["current"]) for c in changes} == {
        "表四 行政复议（结果维持）": (1, 2),
        "表四 行政复议（总计）": (4, 5),
    }


def test_year_defaults_to_last_year_and_says_so(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("report", "annual", "--format", "json")
    assert r.exit_code == 0
    year = json.loads(r.stdout)["year"]
    assert f"未指定 --year，按上一年度（{year} 年度）处理" in r.stderr


def test_missing_figures_are_named_as_the_form_names_them(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("report", "annual", "--year", "2025")
    assert r.exit_code == 0, r.stderr
    said = [line for line in r.stdout.splitlines() if "尚未填写的第二部分数据" in line]
    assert len(said) == 1 and "规章：本年制发件数" in said[0]
    assert "rules_issued" not in r.stdout and "fees_amount" not in r.stdout
    assert "规章：本年制发件数" in r.stderr and "rules_issued" not in r.stderr


def test_report_text_with_a_control_character_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("report", "set", "overview", "本年度\x0b工作", "--year", "2025")
    assert r.exit_code == 2 and "overview" in r.stderr and "控制字符" in r.stderr, r.stderr
    out = tmp_path / "r.xlsx"  # nothing was stored: the workbook is written as before
    r = cli("report", "annual", "--year", "2025", "--format", "xlsx", "--out", str(out))
    assert r.exit_code == 0, r.stderr
    cells = [c.value for ws in openpyxl.load_workbook(out) for row in ws.iter_rows() for c in row]
    assert not any(isinstance(v, str) and "\x0b" in v for v in cells)


def test_a_template_with_two_bad_cells_names_both_and_stores_neither(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    template = tmp_path / "t.xlsx"
    assert cli("report", "template", "--year", "2025", "--out", str(template)).exit_code == 0
    wb = openpyxl.load_workbook(template)
    ws = wb.worksheets[0]
    bad = {"rules_issued": "-1", "punishment_decisions": "三件", "licensing_decisions": "7"}
    for row in ws.iter_rows(min_row=3):
        if row[0].value in bad:
            row[2].value = bad[row[0].value]
    wb.save(template)
    r = cli("report", "load", str(template), "--year", "2025")
    assert r.exit_code == 2, r.stdout
    assert "共 2 项有误" in r.stderr
    assert "规章：本年制发件数应为非负整数" in r.stderr
    assert "行政处罚：本年处理决定数量应为非负整数" in r.stderr
    values = json.loads(cli("report", "values", "--year", "2025", "--json").stdout)["values"]
    assert "licensing_decisions" not in values  # the good cell waits too
