"""Key tasks and the annual report on the web: department scope, progress, import, lock."""

from __future__ import annotations

import re

from tests.casefile.conftest import image_bytes
from tests.web.conftest import csrf_of, post_form

PLAN = (
    "工作任务,具体要求,落实单位,完成时限\n"
    "做好政务信息管理,更新行政法规文本,政策法规处牵头,2026-06-30\n"
    "加强政策解读,做好环保政策解读,环境保护处牵头，政策法规处配合,持续推进\n"
    ",开展环保执法公开,环境保护处牵头,持续推进\n"
)


def _import(clerk) -> None:  # type: ignore[no-untyped-def]
    token = csrf_of(clerk.get("/tasks").text)
    r = clerk.post("/tasks/import", data={"year": "2026", "csrf_token": token},
                   files={"file": ("plan.csv", PLAN.encode("utf-8"), "text/csv")})  # fmt: skip
    assert r.status_code == 303, r.text


def _codes(html: str) -> list[str]:
    return re.findall(r'<a href="/tasks/\d+">(2026-\d\d)</a>', html)


def test_department_sees_and_updates_only_its_tasks(client_for) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    _import(clerk)
    assert _codes(clerk.get("/tasks").text) == ["2026-01", "2026-02", "2026-03"]
    zcfg, hbc = client_for("zcfg_user"), client_for("hbc_user")
    assert _codes(zcfg.get("/tasks").text) == ["2026-01", "2026-02"]  # leads 1, cooperates on 2
    assert _codes(hbc.get("/tasks").text) == ["2026-02", "2026-03"]
    assert zcfg.get("/tasks/3").status_code == 404  # another department's: as if missing
    assert zcfg.get("/tasks/2026-02").status_code == 200
    r = post_form(zcfg, "/tasks/2", "/tasks/2/progress", {"note": "已配合起草解读材料"})
    assert r.status_code == 303
    page = zcfg.get("/tasks/2").text
    assert "已配合起草解读材料" in page and "政策法规处" in page and "推进中" in page
    token = csrf_of(zcfg.get("/tasks/2").text)
    r = zcfg.post("/tasks/3/progress", data={"note": "越权", "csrf_token": token})
    assert r.status_code == 404
    assert "越权" not in clerk.get("/tasks/3").text
    assert zcfg.get("/tasks/export.xlsx").status_code == 403  # export is the office's
    assert clerk.get("/tasks/export.xlsx").content[:2] == b"PK"


def test_progress_with_file_and_done(client_for) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    _import(clerk)
    zcfg = client_for("zcfg_user")
    token = csrf_of(zcfg.get("/tasks/1").text)
    r = zcfg.post("/tasks/1/progress", data={"note": "已更新", "date": "2026-03-04",
                                            "csrf_token": token},
                  files={"file": ("截图.png", b"just text", "image/png")})  # fmt: skip
    assert r.status_code == 400 and "不支持的文件类型" in r.text  # known by its bytes
    assert "截图.png" not in zcfg.get("/tasks/1").text  # nothing recorded
    shot = image_bytes("PNG", (200, 100))
    token = csrf_of(zcfg.get("/tasks/1").text)
    r = zcfg.post("/tasks/1/progress", data={"note": "已更新", "done": "1", "date": "2026-03-04",
                                            "csrf_token": token},
                  files={"file": ("网页截图.png", shot, "application/octet-stream")})  # fmt: skip
    assert r.status_code == 303, r.text
    page = zcfg.get("/tasks/1").text
    assert "已完成" in page and "网页截图.png" in page
    link = re.search(r'href="(/tasks/evidence/\d+)"', page)
    assert link is not None
    evidence = zcfg.get(link.group(1))
    assert evidence.content == shot and evidence.headers["content-type"] == "image/png"
    assert client_for("hbc_user").get(link.group(1)).status_code == 404


def test_import_problems_shown_nothing_written(client_for) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    token = csrf_of(clerk.get("/tasks").text)
    bad = "工作任务,具体要求,落实单位\n加强指导,听取汇报,待定\n"
    r = clerk.post("/tasks/import", data={"year": "2026", "csrf_token": token},
                   files={"file": ("plan.csv", bad.encode("utf-8"), "text/csv")})  # fmt: skip
    assert r.status_code == 422
    assert "未能识别出任何落实单位：待定" in r.text
    assert _codes(clerk.get("/tasks").text) == []


def test_annual_form_lock_and_dashboard(client_for) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    page = clerk.get("/annual")
    assert page.status_code == 200 and "未指定年度，显示上一年度（2025 年度）" in page.text
    r = post_form(clerk, "/annual?year=2025", "/annual/2025", {"rules_issued": "-3"})
    assert r.status_code == 400 and "规章：本年制发件数应为非负整数" in r.text
    r = post_form(clerk, "/annual?year=2025", "/annual/2025",
                  {"rules_issued": "4", "overview": "2025年总体情况。"})  # fmt: skip
    assert r.status_code == 303
    docx = clerk.get("/annual/2025/report.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "2025年总体情况。" in clerk.get("/annual/2025/report.md").text
    assert post_form(clerk, "/annual?year=2025", "/annual/2025/lock", {}).status_code == 303
    assert "此后台账数据有" not in clerk.get("/").text
    post_form(clerk, "/annual?year=2025", "/annual/2025", {"rules_issued": "5"})
    assert "2025 年度报告已锁定发布，此后台账数据有 1 处变动" in clerk.get("/").text
    assert "二、规章：本年制发件数：发布时 4，现在 5" in clerk.get("/annual?year=2025").text
    # 2026's form offers 2025's text as a start.
    assert "2025年总体情况。" in clerk.get("/annual?year=2026").text
    assert client_for("zcfg_user").get("/annual").status_code == 403


def test_a_refused_upload_is_named_as_the_person_chose_it(client_for) -> None:  # type: ignore[no-untyped-def]
    """A renamed text file uploaded as the year's plan or the annual form: the refusal names
    the file the clerk picked, not the server's temporary copy."""
    clerk = client_for("clerk")
    token = csrf_of(clerk.get("/tasks").text)
    renamed = b"not a workbook"
    r = clerk.post("/tasks/import", data={"year": "2026", "csrf_token": token},
                   files={"file": ("2026年分工方案.xlsx", renamed, "text/plain")})  # fmt: skip
    assert r.status_code == 400 and "不是有效的 xlsx 文件（2026年分工方案.xlsx）" in r.text, r.text
    token = csrf_of(clerk.get("/annual?year=2025").text)
    r = clerk.post("/annual/2025/template", data={"csrf_token": token},
                   files={"file": ("..\\填报表.xlsx", renamed, "text/plain")})  # fmt: skip
    assert r.status_code == 400 and "不是有效的 xlsx 文件（填报表.xlsx）" in r.text, r.text
