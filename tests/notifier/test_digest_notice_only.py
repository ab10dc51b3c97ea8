"""A digest whose only content is a system notice: a trial user's first e-mail read
"…：共 0 项，系统提示 1 条" and linked to the case list with nothing to see. It is worded as
that notice (read through a real SMTP server)."""

from __future__ import annotations

from datetime import date

from disclosure.db import make_engine
from disclosure.services.setup import ensure_database
from tests.notifier.conftest import digest_lines, html_of, register, scans, subject_of, text_of

OFFICE = "office@example.gov.cn"
BASE = "http://10.0.0.5:8000"


def test_a_digest_with_only_a_system_notice_is_worded_as_that_notice(smtp_settings, smtp_server):
    """Tue 2026-11-03: 58 days of holiday data left (the warning starts below 60); the one
    case, received the day before, has nothing due yet."""
    engine = make_engine(smtp_settings)
    try:
        ensure_database(engine, smtp_settings)
        register(engine, smtp_settings, received=date(2026, 11, 2))
        scans(engine, smtp_settings, date(2026, 11, 3))
    finally:
        engine.dispose()
    got = smtp_server.by_recipient()
    assert list(got) == [OFFICE]  # the department has nothing today
    [msg] = got[OFFICE]
    text, html, subject = text_of(msg), html_of(msg), subject_of(msg)
    assert subject == (
        "【某市生态环境局】依申请公开期限提醒（2026-11-03）：系统提示 1 条（节假日安排即将用完）"
    )
    for part in (subject, text, html):
        assert "0 项" not in part and "共" not in part  # no count of nothing
    assert "依申请公开系统提示 · 2026-11-03" in text
    assert "【系统提示】节假日安排即将用完" in text
    assert "节假日安排只到 2026 年底（还剩 58 天）" in text and "2027 年" in text
    assert "节假日安排只到 2026 年底（还剩 58 天）" in html
    # The one link is the page where the notice is dealt with; none to cases, no case table.
    assert f"“节假日”页面：{BASE}/calendar" in text
    assert f'<a href="{BASE}/calendar">打开“节假日”页面</a>' in html
    for part in (text, html):
        assert "/applications" not in part and "查看办件" not in part
    assert "<table" not in html and "登记编号" not in text + html
    assert "期限按工作日计算" not in text  # no deadline is shown


def test_a_notice_beside_cases_keeps_the_counts(smtp_settings, smtp_server):
    """The same notice in a digest with a deadline: counted and listed as before."""
    engine = make_engine(smtp_settings)
    try:
        ensure_database(engine, smtp_settings)
        number = register(engine, smtp_settings, received=date(2026, 11, 2))
        scans(engine, smtp_settings, date(2026, 11, 10))  # correction notice: 1 day left
    finally:
        engine.dispose()
    [msg] = smtp_server.by_recipient()[OFFICE]
    assert subject_of(msg).endswith("：共 1 项，系统提示 1 条")
    text = text_of(msg)
    assert "【系统提示】系统已载入的国务院节假日安排只到 2026 年底" in text
    assert f"{number}　补正告知期限：2026-11-11（剩余 1 个工作日）" in digest_lines(text)
    assert f'<a href="{BASE}/calendar">打开“节假日”页面</a>' in html_of(msg)
