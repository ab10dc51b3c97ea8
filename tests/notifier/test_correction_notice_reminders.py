"""The correction-notice clock (Reg. Art. 30, 7 working days) runs for every new case, but most
cases never need a correction: it is reminded in its last two working days only, not 5, 3 and
1 ahead like the other clocks (rulebook §10.3, `[notifier] correction_notice_days_ahead`).
A trial user got "补正告知期限 剩余 5 个工作日" for every new case."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from disclosure.db import make_engine
from disclosure.services.setup import ensure_database
from tests.conftest import base_settings
from tests.notifier.conftest import digest_lines, html_of, register, scans, text_of

OFFICE = "office@example.gov.cn"


def test_the_correction_notice_is_reminded_in_its_last_two_days_only(smtp_settings, smtp_server):
    """Received Mon 2026-03-02: the correction notice is due Wed 03-11 (7 working days), the
    internal target 03-23 and the reply 03-30 are further off. Nothing on 03-04 (5 days
    left) or 03-06 (3 left); the office and the department on 03-10 (1 left) and 03-11 (the
    day itself); nothing once it has passed (a late notice is flagged when recorded)."""
    engine = make_engine(smtp_settings)
    try:
        ensure_database(engine, smtp_settings)
        number = register(engine, smtp_settings, received=date(2026, 3, 2))
        scans(engine, smtp_settings, date(2026, 3, 4), date(2026, 3, 6))
        assert smtp_server.handler.messages == []
        scans(engine, smtp_settings, date(2026, 3, 10), date(2026, 3, 11), date(2026, 3, 12))
    finally:
        engine.dispose()
    got = smtp_server.by_recipient()
    assert sorted(got) == [OFFICE, "zcfg@example.gov.cn"]
    for msgs in got.values():
        assert [digest_lines(text_of(m)) for m in msgs] == [
            [f"{number}　补正告知期限：2026-03-11（剩余 1 个工作日）"],
            [f"{number}　补正告知期限：2026-03-11（今日到期）"],
        ]
        # What to do about it is said: most cases need no correction at all.
        assert "无需补正的，不必处理本项提醒" in text_of(msgs[0])
        assert "无需补正的，不必处理本项提醒" in html_of(msgs[0])


def test_correction_notice_days_ahead_is_configurable(tmp_path: Path, db_url, smtp_server):
    settings = base_settings(
        tmp_path,
        db_url,
        smtp={"host": "127.0.0.1", "port": smtp_server.port},
        notifier={"office_recipients": [OFFICE], "correction_notice_days_ahead": [3]},
    )
    engine = make_engine(settings)
    try:
        ensure_database(engine, settings)
        number = register(engine, settings, received=date(2026, 3, 2), department=None)
        scans(engine, settings, date(2026, 3, 4), date(2026, 3, 6), date(2026, 3, 10))
    finally:
        engine.dispose()
    [msg] = smtp_server.by_recipient()[OFFICE]  # 03-06 only: 3 days left
    assert digest_lines(text_of(msg)) == [f"{number}　补正告知期限：2026-03-11（剩余 3 个工作日）"]
