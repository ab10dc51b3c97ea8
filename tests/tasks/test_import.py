"""The seed plan (穗应急〔2021〕22号) imported from Word and Excel: every task, every unit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.tasks.conftest import PLAN_DOCX, PLAN_XLSX, tasks_json

XW = ["新闻宣传处"]  # 新闻处 (alias in the config)
FG = ["政策法规处"]  # 法规处 (matched by the end of the name)
ALL = True
# Written by hand from the seed text: (section number, 工作任务, start of 具体要求, leads,
# every department leads, cooperating, every department cooperates, due date).
EXPECTED = [
    ("一", "做好各类规划主动公开。", "县级以上各级政府", ["综合处"], False, [], ALL, None),
    (
        "二",
        "持续加强重大政策发布解读。",
        "重点围绕做好",
        [
            *FG,
            "审批处",
            "指挥处",
            "综合处",
            "预案处",
            "减灾处",
            "防火处",
            "三防处",
            "危化处",
            "执法处",
        ],
        False,
        [],
        False,
        None,
    ),
    ("二", "持续加强重大政策发布解读。", "结合全市新闻发布会", XW, False, [], ALL, None),
    ("二", "不断改进政策解读工作方式。", "按照《广东省", [], ALL, FG, False, None),  # 起草处室牵头
    ("二", "不断改进政策解读工作方式。", "加强政策咨询服务", [], ALL, [], False, None),
    ("二", "不断改进政策解读工作方式。", "各级政务公开工作机构", XW, False, [], ALL, None),
    ("二", "切实增强回应关切效果。", "紧紧围绕政务舆情", XW, False, [], ALL, None),
    ("二", "切实增强回应关切效果。", "加强舆情回应台账", XW, False, [], ALL, None),
    ("二", "切实增强回应关切效果。", "提前做好重大政策", XW, False, [], ALL, None),
    ("二", "切实增强回应关切效果。", "密切关注涉及疫情", XW, False, [], ALL, None),
    ("三", "做好政务信息管理工作。", "对照中国政府法制", FG, False, [], False, None),
    ("三", "做好政务信息管理工作。", "推进部门规范性文件", FG, False, [], ALL, "2021-12-31"),
    ("三", "推进基层政务公开标准化规范化。", "对国家出台基层", XW, False, [], False, None),
    ("四", "提高依申请公开工作质量。", "强化服务理念", XW, False, [], ALL, None),
    ("四", "提高依申请公开工作质量。", "认真按照政府信息", XW, False, [], ALL, None),
    ("四", "提高依申请公开工作质量。", "正确适用《政府信息", XW, False, [], ALL, None),
    ("四", "加强配套制度建设。", "各级行政机关要严格", XW, False, [], ALL, None),
    ("五", "加强工作指导。", "市直各部门、各区政府", XW, False, [], False, None),
    ("五", "加强工作指导。", "加强队伍建设", XW, False, [], False, None),
    ("五", "加强工作指导。", "依法规范开展", XW, False, [], ALL, None),
    ("五", "狠抓任务落实。", "建立本系统2021年", XW, False, [], ALL, None),
    ("五", "狠抓任务落实。", "对上一年度工作要点", [], ALL, [], False, None),  # 各处室落实
    ("五", "狠抓任务落实。", "将本要点落实情况", XW, False, [], ALL, None),
]


def _as_expected(t: dict) -> tuple:  # type: ignore[type-arg]
    section = t["section"].split("、", 1)[0]
    start = next(e[2] for e in EXPECTED if t["requirement"].startswith(e[2]))
    return (section, t["title"], start, t["leads"], t["lead_all"], t["cooperating"],
            t["cooperating_all"], t["due_on"])  # fmt: skip


@pytest.mark.parametrize("plan", [PLAN_DOCX, PLAN_XLSX], ids=["word", "excel"])
def test_seed_plan_every_task_with_its_departments(plan_cli, plan: Path) -> None:  # type: ignore[no-untyped-def]
    r = plan_cli("tasks", "import", str(plan), "--year", "2021", "--today", "2021-07-20")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert "已导入 23 项重点任务" in r.stdout
    tasks = tasks_json(plan_cli)
    assert [_as_expected(t) for t in tasks] == EXPECTED
    assert [t["seq"] for t in tasks] == list(range(1, 24))
    # Continuing tasks report quarterly from the import; the dated one has no report period.
    assert tasks[0]["review_every"] == "quarterly" and tasks[0]["next_report_due"] == "2021-09-30"
    assert tasks[11]["review_every"] is None
    assert tasks[0]["work"] == "公开应急管理规划"
    assert tasks[0]["section"] == "一、紧扣“十四五” 开好局起好步深化政务公开"
    assert tasks[12]["requirement"].endswith("进行跟踪评估。")  # the cell's broken line joined


def test_department_filter_counts_lead_cooperating_and_all(plan_cli) -> None:  # type: ignore[no-untyped-def]
    assert plan_cli("tasks", "import", str(PLAN_DOCX), "--year", "2021").exit_code == 0
    # Tasks for 各处室 (leading or cooperating): every row but 2, 11, 13, 18 and 19.
    every = [1, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 15, 16, 17, 20, 21, 22, 23]
    # 政策法规处 leads rows 2, 11 and 12, and cooperates on row 4 (already in `every`).
    mine = tasks_json(plan_cli, "--department", "fgc")
    assert [t["seq"] for t in mine] == sorted([*every, 2, 11])
    # 审批处 is named once (row 2); it is one of 各处室 everywhere else.
    approvals = tasks_json(plan_cli, "--department", "审批处")
    assert [t["seq"] for t in approvals] == sorted([*every, 2])
    # 新闻宣传处 leads rows 3, 6–10, 13–20, 22 (新闻处牵头) and is one of 各处室 on 4, 5, 21.
    press = tasks_json(plan_cli, "--department", "新闻宣传处")
    assert [t["seq"] for t in press] == sorted({*every, 13, 18, 19})
    assert tasks_json(plan_cli, "--status", "done") == []
    bad = plan_cli("tasks", "list", "--status", "finished")
    assert bad.exit_code == 2 and "status" in bad.stderr


def test_dry_run_and_second_import(plan_cli) -> None:  # type: ignore[no-untyped-def]
    r = plan_cli("tasks", "import", str(PLAN_XLSX), "--year", "2021", "--dry-run", "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["ok"] and len(out["tasks"]) == 23 and out["imported"] == 0
    assert tasks_json(plan_cli) == []
    assert plan_cli("tasks", "import", str(PLAN_XLSX), "--year", "2021").exit_code == 0
    again = plan_cli("tasks", "import", str(PLAN_DOCX), "--year", "2021")
    assert again.exit_code == 5 and "已导入 23 项" in again.stderr
    assert len(tasks_json(plan_cli)) == 23


def test_due_date_in_another_year_is_refused(plan_cli) -> None:  # type: ignore[no-untyped-def]
    # The seed plan's only dated task (2021 年底前) does not belong to a 2022 plan.
    r = plan_cli("tasks", "import", str(PLAN_DOCX), "--year", "2022", "--json")
    assert r.exit_code == 2
    problems = json.loads(r.stdout)["problems"]
    assert problems == [
        {"row": 19, "column": "具体要求", "problem": "完成时限 2021-12-31 不在 2022 年度内"}
    ]
    assert tasks_json(plan_cli) == []
