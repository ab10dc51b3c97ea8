"""Following a task up: progress with evidence (files, web pages), done, export, 回头看."""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from tests.casefile.conftest import pdf_bytes
from tests.notifier.conftest import free_port
from tests.tasks.conftest import PLAN_DOCX, tasks_json

PAGE = "<html><head><title>我局主动公开应急管理规划</title></head><body>规划全文</body></html>"


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path != "/plan.html":
            self.send_error(404)
            return
        body = PAGE.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def web_page() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _imported(run) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    r = run("tasks", "import", str(PLAN_DOCX), "--year", "2021", "--today", "2021-07-20")
    assert r.exit_code == 0, r.stderr
    return tasks_json(run)


def _stored(tmp_path: Path) -> list[Path]:
    root = tmp_path / "store"
    return [p for p in root.rglob("*") if p.is_file() and p.parent.name != "tmp"]


def test_progress_with_file_and_page_snapshot(plan_cli, tmp_path: Path, web_page: str) -> None:  # type: ignore[no-untyped-def]
    first = _imported(plan_cli)[0]
    minutes = tmp_path / "会议纪要.pdf"
    minutes.write_bytes(pdf_bytes("minutes"))
    r = plan_cli("tasks", "progress", str(first["id"]), "--note", "规划已在门户网站公开",
                 "--evidence", str(minutes), "--evidence", f"{web_page}/plan.html",
                 "--evidence", f"{web_page}/gone.html", "--date", "2021-08-02",
                 "--today", "2021-08-03")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert "gone.html 未能保存网页快照：网页返回错误 404" in r.stderr
    view = json.loads(plan_cli("tasks", "show", str(first["id"]), "--json").stdout)
    assert view["status"] == "in_progress"
    [note] = view["progress"]
    assert (note["on"], note["note"], note["author"]) == (
        "2021-08-02",
        "规划已在门户网站公开",
        "联络员甲",
    )
    file_ev, page_ev, gone_ev = note["evidence"]
    assert file_ev["name"] == "会议纪要.pdf"
    assert file_ev["sha256"] == hashlib.sha256(minutes.read_bytes()).hexdigest()
    assert file_ev["media_type"] == "application/pdf"
    assert page_ev["name"] == "我局主动公开应急管理规划" and page_ev["media_type"] == "text/html"
    assert page_ev["sha256"] == hashlib.sha256(PAGE.encode("utf-8")).hexdigest()
    assert gone_ev["sha256"] is None and "404" in gone_ev["fetch_error"]
    assert sorted(p.name for p in _stored(tmp_path)) == sorted(
        [file_ev["sha256"], page_ev["sha256"]]
    )
    # Reported in Q3: the next quarterly report is due at the end of Q4.
    assert view["next_report_due"] == "2021-12-31"


def test_failed_progress_leaves_no_file(plan_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = _imported(plan_cli)[0]
    small, big = tmp_path / "a.pdf", tmp_path / "big.pdf"
    small.write_bytes(pdf_bytes("small evidence"))
    big.write_bytes(b"x" * ((1 << 20) + 1))  # [documents] max_mb = 1 in this config
    r = plan_cli("tasks", "progress", str(first["id"]), "--note", "进展", "--evidence", str(small),
                 "--evidence", str(big), "--today", "2021-08-03")  # fmt: skip
    assert r.exit_code == 2 and "--evidence" in r.stderr and "超过大小限制" in r.stderr
    assert _stored(tmp_path) == []  # the first file went with the rolled-back transaction
    # evidence is known by its bytes, as a case file's documents are (casefile.detect)
    fake, program = tmp_path / "纪要.pdf", tmp_path / "截图.png"
    fake.write_bytes(b"%PDF-1.4 not really")
    program.write_bytes(b"MZ\x90\x00" + b"\x00" * 64)
    for path, said in ((fake, "无法作为 PDF 打开"), (program, "可执行程序")):
        r = plan_cli("tasks", "progress", str(first["id"]), "--note", "进展", "--evidence",
                     str(small), "--evidence", str(path), "--today", "2021-08-03")  # fmt: skip
        assert r.exit_code == 2 and said in r.stderr and path.name in r.stderr, r.stderr
        assert _stored(tmp_path) == []
    view = json.loads(plan_cli("tasks", "show", str(first["id"]), "--json").stdout)
    assert view["progress"] == [] and view["status"] == "open"
    future = plan_cli("tasks", "progress", str(first["id"]), "--note", "x", "--date", "2021-09-01",
                      "--today", "2021-08-03")  # fmt: skip
    assert future.exit_code == 2 and "date" in future.stderr
    missing = plan_cli("tasks", "progress", "999", "--note", "x")
    assert missing.exit_code == 4
    # a task by its code as the ledger and the reminders show it, or by its #
    code = first["code"]
    shown = json.loads(plan_cli("tasks", "show", code, "--json").stdout)
    assert shown["id"] == first["id"]
    r = plan_cli("tasks", "progress", f"重点任务{code}", "--note", "按编号报送",
                 "--today", "2021-08-03")  # fmt: skip
    assert r.exit_code == 0 and f"任务 #{first['id']}" in r.stdout, r.stderr
    missing = plan_cli("tasks", "show", "2021-99")
    assert missing.exit_code == 4 and "2021-07" in missing.stderr
    missing = plan_cli("tasks", "progress", "999", "--note", "x")
    assert missing.exit_code == 4


def test_done_export_and_review(plan_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tasks = _imported(plan_cli)
    dated = next(t for t in tasks if t["due_on"])  # 规范性文件 2021 年底前, 法规处牵头
    r = plan_cli("tasks", "done", str(tasks[0]["id"]), "--date", "2021-09-30",
                 "--today", "2021-10-08")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    again = plan_cli("tasks", "done", str(tasks[0]["id"]), "--date", "2021-10-01",
                     "--today", "2021-10-08")  # fmt: skip
    assert again.exit_code == 5
    done = tasks_json(plan_cli, "--status", "done")
    assert [(t["id"], t["done_on"]) for t in done] == [(tasks[0]["id"], "2021-09-30")]
    out = tmp_path / "台账.xlsx"
    assert plan_cli("tasks", "export", "--out", str(out), "--year", "2021").exit_code == 0
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    assert ws["A1"].value == "广州市应急管理局2021年度政务公开工作重点任务台账"
    assert [c.value for c in ws[2]] == ["序号", "工作任务", "具体要求", "牵头单位", "配合单位",
                                        "完成时限", "状态", "最近进展"]  # fmt: skip
    assert ws["A3"].value.startswith("一、") and ws["A4"].value == "2021-01"
    assert ws["G4"].value == "已完成\n2021-09-30" and ws["H4"].value == "2021-09-30 任务已完成"
    wb.close()
    # 回头看 in 2022: of 2021's tasks only the dated one with a named lead was not done.
    r = plan_cli("tasks", "review", "--year", "2022", "--today", "2022-02-10", "--json")
    assert r.exit_code == 0, r.stderr
    result = json.loads(r.stdout)
    assert (result["checked"], result["done"], result["not_clear"]) == (23, 1, 21)
    [new_id] = result["created"]
    [carried] = tasks_json(plan_cli, "--year", "2022")
    assert carried["id"] == new_id and carried["carried_from_id"] == dated["id"]
    assert carried["title"] == "整改：" + dated["title"] and carried["origin"] == "rectification"
    assert (carried["leads"], carried["cooperating_all"]) == (["政策法规处"], True)
    assert carried["due_on"] == "2022-12-31"
    rerun = json.loads(plan_cli("tasks", "review", "--year", "2022", "--json").stdout)
    assert rerun["created"] == [] and rerun["already"] == [new_id]
