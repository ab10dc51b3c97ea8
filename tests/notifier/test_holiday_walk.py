"""Walk the clock (freezegun) across National Day 2026 and run the daemon's job each morning.

2026 notice: off 9/25–9/27 and 10/1–10/7; Sat 10/10 is a working day (调休上班).
A reply due Mon 10/12 has, counting working days after each day up to 10/12:
9/29 → 5, 10/8 → 3, 10/10 (Sat, make-up day) → 1, 10/12 → due, 10/13 → 1 overdue.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from freezegun import freeze_time

from disclosure.db import make_engine, transaction
from disclosure.services.office import load_office
from disclosure.services.setup import ensure_database
from notifier.scheduler import job
from tests.conftest import base_settings
from tests.notifier.conftest import digest_lines, register, text_of

EXPECTED = {
    date(2026, 9, 29): "剩余 5 个工作日",  # 9/30, 10/8, 10/9, 10/10, 10/12
    date(2026, 10, 8): "剩余 3 个工作日",  # first working day after the holiday
    date(2026, 10, 10): "剩余 1 个工作日",  # Saturday, but a make-up working day
    date(2026, 10, 12): "今日到期",
    date(2026, 10, 13): "已超期 1 个工作日",
}


def test_reminders_across_national_day(tmp_path: Path, db_url, smtp_server):
    settings = base_settings(
        tmp_path,
        db_url,
        smtp={"host": "127.0.0.1", "port": smtp_server.port},
        notifier={"office_recipients": ["office@example.gov.cn"], "clocks": ["reply_due"]},
    )
    engine = make_engine(settings)
    sent_on: dict[date, list[str]] = {}
    try:
        ensure_database(engine, settings)
        with transaction(engine, write=False) as s:
            received = load_office(s, settings).calendar.subtract_working_days(
                date(2026, 10, 12), 20
            )
        number = register(engine, settings, received=received, department=None)
        day = date(2026, 9, 24)
        while day <= date(2026, 10, 13):
            before = len(smtp_server.handler.messages)
            # 08:30 in Asia/Shanghai
            with freeze_time(datetime(day.year, day.month, day.day, 0, 30, tzinfo=UTC)):
                job(settings, engine)
                job(settings, engine)  # a second run the same morning sends nothing new
            new = smtp_server.handler.messages[before:]
            if new:
                sent_on[day] = [text_of(m) for m in new]
            day += timedelta(days=1)
    finally:
        engine.dispose()
    assert sorted(sent_on) == sorted(EXPECTED)
    for day, expected in EXPECTED.items():
        assert len(sent_on[day]) == 1, day
        assert f"{number}　答复期限：2026-10-12（{expected}）" in digest_lines(sent_on[day][0]), day
