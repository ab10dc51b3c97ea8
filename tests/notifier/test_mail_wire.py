"""What a reminder puts on the wire: the bytes smtplib would send, and the applicant's own
words escaped in the HTML digest (the built-in template writes pre-escaped rows)."""

from __future__ import annotations

import copy
import io
from datetime import date
from email.generator import BytesGenerator
from email.message import EmailMessage

from disclosure.db import make_engine, transaction
from disclosure.services.setup import ensure_database
from notifier import outbox
from notifier.mail import Digest, _base64_body, build_message, wire_bytes
from notifier.scan import run_once
from tests.notifier.conftest import NOW, html_of, text_of

TODAY = date(2026, 3, 23)
OFFICE = "office@example.gov.cn"
SUMMARY = "<script>\"甲\"</script> & '乙'"  # shorter than a summary: listed whole
DEPARTMENT = "法规<处>&科"


def _smtplib_bytes(msg) -> bytes:  # type: ignore[no-untyped-def]
    """What `smtplib.SMTP.send_message` flattens for ASCII addresses (its own steps)."""
    msg_copy = copy.copy(msg)
    del msg_copy["Bcc"]
    del msg_copy["Resent-Bcc"]
    with io.BytesIO() as out:
        BytesGenerator(out).flatten(msg_copy, linesep="\r\n")
        return out.getvalue()


def test_wire_bytes_are_what_smtplib_sends() -> None:
    text = "\n".join(f"2026-{i:05d}　{SUMMARY * (i % 5)}" for i in range(400))
    for body in (text, text + "\r\n末行\r中间", ""):
        digest = Digest(OFFICE, "【提醒】政府信息公开申请到期", body, f"<p>{body}</p>")
        msg = build_message(
            digest, "gk@example.gov.cn", now=NOW, timezone="Asia/Shanghai", msgid="<a.1@b>"
        )
        msg["Bcc"] = "hidden@example.gov.cn"
        msg.set_boundary("==b==")  # else each flattening draws its own
        wire = wire_bytes(msg)
        assert wire == _smtplib_bytes(msg)
        assert b"hidden@" not in wire and msg["Bcc"] == "hidden@example.gov.cn"
        assert text_of(msg).rstrip("\n") == "\n".join(body.splitlines())  # body kept intact


def test_base64_bodies_are_what_set_content_makes() -> None:
    for body in ("", "一行", "末尾换行\n", "a\r\nb\rc\n\nd\x85e\u2028f", SUMMARY * 300):
        msg = EmailMessage()
        msg.set_content(body, charset="utf-8", cte="base64")
        assert _base64_body(body) == msg.get_payload(), body[:20]


def test_the_html_digest_escapes_what_applicants_wrote(smtp_settings, smtp_server) -> None:
    engine = make_engine(smtp_settings)
    try:
        ensure_database(engine, smtp_settings)
        row = {"application_id": 1, "clock": "reply_due", "threshold": "t-1",
               "due_on": date(2026, 3, 20), "recipient": OFFICE, "number": "2026-00001",
               "summary": SUMMARY, "department": DEPARTMENT, "days_left": -1,
               "queued_on": TODAY, "status": "pending", "attempts": 0, "next_attempt_at": NOW,
               "claim_token": None, "claimed_at": None, "last_error": "",
               "created_at": NOW}  # fmt: skip
        with transaction(engine) as s:
            assert outbox.insert_if_absent(s, [row]) == 1
        result = run_once(engine, smtp_settings, now=NOW, today=TODAY)
    finally:
        engine.dispose()
    assert result.sent == 1
    (msg,) = smtp_server.by_recipient()[OFFICE]
    html, text = html_of(msg), text_of(msg)
    assert "<script>" not in html and SUMMARY not in html
    assert "<td>&lt;script&gt;&#34;甲&#34;&lt;/script&gt; &amp; &#39;乙&#39;</td>" in html
    assert "<td>法规&lt;处&gt;&amp;科</td>" in html
    assert '<tr class="o"><td><a href="http://10.0.0.5:8000/applications/2026-00001' in html
    assert SUMMARY in text and DEPARTMENT in text  # the text part as written
