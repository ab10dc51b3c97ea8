"""Key-task reminders through a real SMTP server, in the same digests as applications."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from disclosure.db import make_engine, transaction
from disclosure.services.setup import ensure_database
from disclosure.storage import file_store
from disclosure.tasks.importer import import_plan
from disclosure.tasks.reminders import task_reminders
from disclosure.tasks.service import add_progress
from notifier.scan import run_once
from tests.conftest import base_settings
from tests.notifier.conftest import SmtpServer, register, text_of

NOW = datetime(2026, 3, 26, 1, 0, tzinfo=UTC)
THU_0326 = date(2026, 3, 26)
DEPARTMENTS = [
    {"code": "fgc", "name": "法规处", "email": "fgc@example.gov.cn"},
    {"code": "xwc", "name": "新闻宣传处", "email": "xwc@example.gov.cn"},
    {"code": "zcfg", "name": "政策研究室", "email": "zcfg@example.gov.cn"},
]
PLAN = (
    "工作任务,具体要求,落实单位,完成时限\n"
    # Due Fri 03-27: one working day left on Thu 03-26.
    "做好政务信息管理工作,集中公开现行有效规范性文件,法规处牵头,2026-03-27\n"
    # Continuing, started 03-02: its first quarterly report is due Tue 03-31 (3 working days).
    "提高依申请公开工作质量,规范答复文书,新闻处牵头，各处室配合,持续推进\n"
    # Continuing, but reported in this quarter already: next report due 06-30, nothing now.
    ",正确计收信息处理费,新闻处牵头,持续推进\n"
)


def _settings(tmp_path: Path, db_url: str, server: SmtpServer):  # type: ignore[no-untyped-def]
    return base_settings(
        tmp_path,
        db_url,
        departments=DEPARTMENTS,
        smtp={"host": "127.0.0.1", "port": server.port, "sender": "gk@example.gov.cn"},
        office={"agency_name": "某市应急管理局", "web_base_url": "http://10.0.0.5:8000"},
        tasks={"aliases": {"新闻处": "xwc"}},
        documents={"dir": str(tmp_path / "store")},
    )


def test_task_reminders_reach_the_lead_departments(tmp_path: Path, db_url, smtp_server) -> None:  # type: ignore[no-untyped-def]
    settings = _settings(tmp_path, db_url, smtp_server)
    engine = make_engine(settings)
    ensure_database(engine, settings)
    plan = tmp_path / "plan.csv"
    plan.write_text(PLAN, encoding="utf-8")
    with transaction(engine) as s:
        result = import_plan(s, path=plan, year=2026, settings=settings, today=date(2026, 3, 2),
                             actor="t", now=NOW)  # fmt: skip
        assert result.ok, result.problems
    with transaction(engine) as s:
        add_progress(s, store=file_store(settings), task_id=3, note="已按标准计收",
                     on=date(2026, 3, 20), author="t", today=THU_0326, now=NOW,
                     max_bytes=1 << 20)  # fmt: skip
    # A plan is reminded in its year and the next; an older one is a record (2021's in 2026).
    with transaction(engine, write=False) as s:
        clocks = {"task_due", "task_progress_due"}
        assert task_reminders(s, wanted=clocks, today=date(2027, 1, 5))
        assert task_reminders(s, wanted=clocks, today=date(2028, 1, 5)) == []
    # An application due in the same days, for the same digests.
    number = register(engine, settings, received=date(2026, 3, 2), department="fgc")
    try:
        out = run_once(engine, settings, now=NOW, today=THU_0326)
        assert out.errors == []
        again = run_once(engine, settings, now=NOW, today=THU_0326)
        assert again.queued == 0 and again.messages == 0  # each reminder once
    finally:
        engine.dispose()
    mail = smtp_server.by_recipient()
    assert sorted(mail) == ["fgc@example.gov.cn", "office@example.gov.cn", "xwc@example.gov.cn"]
    fgc = text_of(mail["fgc@example.gov.cn"][0])
    assert "【重点任务完成时限】1 项" in fgc
    assert (
        "重点任务2026-01　2026-03-27　剩余 1 个工作日　法规处　做好政务信息管理工作集中公开" in fgc
    )
    assert "重点任务进展报送" not in fgc
    assert "【内部办理时限】1 项" in fgc and number in fgc  # the application, same digest
    # tasks are counted as tasks, with their own column headings, not as applications
    assert "共 2 项" in fgc and "其中 1 项为政务公开重点任务" in fgc
    assert "涉及 2 件申请" not in fgc
    assert "【重点任务完成时限】1 项（任务编号　到期日　剩余/超期　牵头部门　工作任务）" in fgc
    assert "【内部办理时限】1 项（登记编号　到期日" in fgc
    assert "查看办件：http://10.0.0.5:8000/applications（按登记编号查找）" in fgc
    xwc = text_of(mail["xwc@example.gov.cn"][0])
    assert "【重点任务进展报送】1 项" in xwc
    assert "重点任务2026-02　2026-03-31　剩余 3 个工作日　新闻宣传处" in xwc
    assert "重点任务2026-03" not in xwc
    office = text_of(mail["office@example.gov.cn"][0])
    assert "重点任务2026-01" in office and "重点任务2026-02" in office
    html = mail["fgc@example.gov.cn"][0].get_body(("html",)).get_content()
    assert "http://10.0.0.5:8000/tasks/2026-01" in html
    assert "<th>任务编号</th><th>工作任务</th><th>牵头部门</th>" in html
