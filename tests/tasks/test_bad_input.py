"""A bad 分工方案 names the row, the column and the problem, and nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

from tests.tasks.conftest import tasks_json

HEADER = "工作任务,具体要求,落实单位,完成时限\n"


def _csv(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "plan.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def _problems(run, path: Path, *extra: str) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    r = run("tasks", "import", str(path), "--year", "2021", "--json", *extra)
    assert r.exit_code == 2, r.stdout
    return json.loads(r.stdout)["problems"]


def test_missing_column(plan_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _csv(tmp_path, "加强工作指导,听取汇报\n", header="工作任务,具体要求\n")
    assert _problems(plan_cli, path) == [
        {"row": 1, "column": "落实单位",
         "problem": "缺少该列（表头应有：工作任务、具体要求、落实单位）"}
    ]  # fmt: skip
    assert tasks_json(plan_cli) == []


def test_unit_cell_naming_no_department_and_foreign_year(plan_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _csv(
        tmp_path,
        "一、紧扣抓保障促落实深化政务公开,,,\n"
        "加强工作指导,听取政务公开工作汇报,新闻处牵头,2021-06-30\n"
        ",组织培训,待定,\n"
        "狠抓任务落实,建立重点任务台账,新闻处牵头，各处室配合,2020年底前\n"
        ",开展回头看,各处室落实,2021年13月底前\n",
    )
    assert _problems(plan_cli, path) == [
        {"row": 4, "column": "落实单位",
         "problem": "未能识别出任何落实单位：待定（“待定”不是单位名称）"},
        {"row": 5, "column": "完成时限", "problem": "完成时限 2020-12-31 不在 2021 年度内"},
        {"row": 6, "column": "完成时限", "problem": "月份不存在：13"},
    ]  # fmt: skip
    assert tasks_json(plan_cli) == []


def test_unknown_unit_listed_or_created(plan_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _csv(tmp_path, "加强保障,落实经费,财务处牵头，审批处配合,\n")
    assert _problems(plan_cli, path) == [
        {"row": 2, "column": "落实单位",
         "problem": "未配置的部门：财务处"
                    "（请在配置中增加该部门，或使用 --create-departments 自动创建）"}
    ]  # fmt: skip
    assert tasks_json(plan_cli) == []
    r = plan_cli("tasks", "import", str(path), "--year", "2021", "--create-departments")
    assert r.exit_code == 0, r.stdout
    assert "已创建部门：财务处" in r.stdout
    [task] = tasks_json(plan_cli)
    assert (task["leads"], task["cooperating"]) == (["财务处"], ["审批处"])


def test_unsupported_file_and_empty_requirement(plan_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    odd = tmp_path / "plan.txt"
    odd.write_text("x", encoding="utf-8")
    r = plan_cli("tasks", "import", str(odd), "--year", "2021")
    assert r.exit_code == 2 and "文件:" in r.stderr and "不支持的文件类型" in r.stderr
    path = _csv(tmp_path, "加强工作指导,,新闻处牵头,\n")
    assert _problems(plan_cli, path) == [
        {"row": 2, "column": "具体要求", "problem": "具体要求为空"}
    ]
