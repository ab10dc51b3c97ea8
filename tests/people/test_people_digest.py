"""Reminders of the people side (both databases): the handler is told with the department;
a cooperating department late for its answer; an approver's queue in their digest, with a
sign-off waiting longer than `[approval] warn_after_days` warned — counts agreeing."""

from __future__ import annotations

from datetime import date
from email.header import decode_header, make_header
from email.message import EmailMessage

from disclosure.db import make_engine
from disclosure.settings import Settings
from notifier.scan import run_once
from tests.notifier.conftest import NOW, SmtpServer, smtp_server, smtp_settings, text_of
from tests.people.conftest import People

__all__ = ["smtp_server", "smtp_settings"]  # the SMTP fixtures, used by name

TODAY = date(2026, 11, 27)


def subject(msg: EmailMessage) -> str:
    return str(make_header(decode_header(msg["Subject"])))


def test_handler_cooperation_and_approvals_in_digests(
    people: People, smtp_settings: Settings, smtp_server: SmtpServer
) -> None:
    people.accounts()
    for user, address in (("handler", "zhou@example.gov.cn"), ("dhead", "wu@example.gov.cn")):
        r = people.run("user", "email", user, address)
        assert r.exit_code == 0, r.stderr
    r = people.run("user", "email", "boss", "not-an-address")
    assert r.exit_code == 2 and "电子邮箱格式不正确" in r.stderr
    n = people.register()  # received 11-02: internal target 11-23, late on 11-27
    people.ok("assign", n, "--department", "zcfg", "--handler", "handler", "--cooperating", "hbc")
    # Drafted on Friday 11-20: the department head's step has waited since then.
    r = people.run("draft", n, "--outcome", "1", "--as", "handler", "--today", "2026-11-20")
    assert r.exit_code == 0, r.stderr
    engine = make_engine(smtp_settings)
    try:
        result = run_once(engine, smtp_settings, now=NOW, today=TODAY)
        assert result.errors == []
        again = run_once(engine, smtp_settings, now=NOW, today=TODAY)
        assert again.queued == 0  # each reminder once a day
    finally:
        engine.dispose()
    mail = smtp_server.by_recipient()
    # The handler gets the case's own clocks, as the department does.
    [to_handler] = mail["zhou@example.gov.cn"]
    body = text_of(to_handler)
    assert n in body and "【内部办理时限】" in body
    assert "【待审批" not in body  # the handler approves nothing
    # The cooperating department: its answer was due 3 working days before the target.
    [to_hbc] = mail["hbc@example.gov.cn"]
    body = text_of(to_hbc)
    assert "【协办部门答复时限】1 项" in body
    assert f"{n}　2026-11-18　已超期 7 个工作日　环境保护处" in body
    # The department head's queue: waiting since 11-20, due 2 working days later (11-24).
    [to_head] = mail["wu@example.gov.cn"]
    body = text_of(to_head)
    assert "【待审批（拟办意见等待您审批）】1 项" in body
    assert f"{n}　2026-11-24　待审批，已超时 3 个工作日　政策法规处" in body
    # beside the wait, how near the application's own reply deadline is (received 11-02)
    assert "政策法规处　答复期限 2026-11-30，剩余 1 个工作日；" in body
    assert subject(to_head).endswith("：已超期 1 项，共 1 项")
    assert "共 1 项，其中已超期 1 项。" in body
    assert "其中 1 项为待审批的拟办意见（等待超过 2 个工作日的计为超期）" in body
    # The office sees everything, the late sign-off included, and its counts agree.
    [to_office] = mail["office@example.gov.cn"]
    body = text_of(to_office)
    assert "【协办部门答复时限】1 项" in body and "待审批，已超时 3 个工作日" in body
    total = body.split("共 ", 1)[1].split(" 项", 1)[0]
    assert f"：已超期 3 项，共 {total} 项" in subject(to_office) and total == "4"
    # Nobody without an address is mailed (the office head and the leader have none).
    assert set(mail) == {
        "office@example.gov.cn",
        "zcfg@example.gov.cn",
        "hbc@example.gov.cn",
        "zhou@example.gov.cn",
        "wu@example.gov.cn",
    }
