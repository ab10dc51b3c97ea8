"""Reminder failures on the dashboard: a count and the latest error, for the office only."""

from __future__ import annotations

from datetime import date

from disclosure.clock import now_utc
from notifier.scan import run_once
from tests.notifier.conftest import free_port, register


def test_failed_reminders_show_on_the_office_dashboard(client_for, settings, engine):
    register(engine, settings, received=date(2026, 3, 2), department="zcfg")
    down = settings.model_copy(
        update={"smtp": settings.smtp.model_copy(update={"host": "127.0.0.1", "port": free_port()})}
    )
    clean = client_for("clerk").get("/")
    assert clean.status_code == 200 and "reminder-trouble" not in clean.text
    result = run_once(engine, down, now=now_utc(), today=date(2026, 3, 23))
    assert result.retry == 4 and result.sent == 0  # office + department, two reminders each
    page = client_for("clerk").get("/")
    assert page.status_code == 200
    assert 'id="reminder-trouble"' in page.text
    assert "4 条等待自动重试" in page.text and "无法连接邮件服务器" in page.text
    assert 'id="reminder-trouble"' in client_for("admin").get("/").text
    assert "reminder-trouble" not in client_for("zcfg_user").get("/").text
