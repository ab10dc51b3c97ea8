"""The reminder's counts say what they count (issue 18, finding 4).

One application with two deadlines both late (its reply due 2 working days ago and the
office's internal target 7 ago) and one arrival not yet confirmed: three items, two cases.
The subject and the body give the same total; the internal target and the unconfirmed
arrival are said for what they are.
"""

from __future__ import annotations

from datetime import date, timedelta
from email.header import decode_header, make_header

from disclosure.db import make_engine, transaction
from disclosure.services.setup import ensure_database
from notifier import outbox
from notifier.scan import run_once
from tests.notifier.conftest import NOW, text_of

TODAY = date(2026, 3, 23)
OFFICE = "office@example.gov.cn"


def _row(app_id: int, number: str, clock: str, left: int) -> dict:  # type: ignore[type-arg]
    return {
        "application_id": app_id, "clock": clock, "threshold": f"t{left}",
        "due_on": TODAY + timedelta(days=left), "recipient": OFFICE, "number": number,
        "summary": "某项目环评文件", "department": "政策法规处", "days_left": left,
        "queued_on": TODAY, "status": "pending", "attempts": 0, "next_attempt_at": NOW,
        "claim_token": None, "claimed_at": None, "last_error": "", "created_at": NOW,
    }  # fmt: skip


def test_subject_and_body_agree_and_say_what_is_counted(smtp_settings, smtp_server):  # type: ignore[no-untyped-def]
    engine = make_engine(smtp_settings)
    try:
        ensure_database(engine, smtp_settings)
        rows = [
            _row(1, "2026-00001", "reply_due", -2),
            _row(1, "2026-00001", "internal_target", -7),
            _row(2, "2026-00002", "unconfirmed_arrival", -1),
        ]
        with transaction(engine) as s:
            assert outbox.insert_if_absent(s, rows) == 3
        run_once(engine, smtp_settings, now=NOW, today=TODAY)
    finally:
        engine.dispose()
    [msg] = smtp_server.by_recipient()[OFFICE]
    subject = str(make_header(decode_header(msg["Subject"])))
    text = text_of(msg)
    # Two late deadlines; the unconfirmed arrival runs no statutory clock, so it is not late.
    assert subject.endswith("：已超期 2 项，共 3 项")
    assert "共 3 项，其中已超期 2 项。" in text
    assert "这些事项涉及 2 件申请" in text  # the dashboard counts applications
    assert "已超期事项中 1 项为本机关内部办理时限（非法定期限）" in text
    assert "其中 1 项为送达后尚未确认收到" in text
