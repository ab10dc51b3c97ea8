"""One scan through a real SMTP server: digests, exactly once, retries and failures."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from disclosure.db import make_engine
from disclosure.services.setup import ensure_database
from notifier.models import OutboxItem
from notifier.scan import run_once
from tests.conftest import base_settings
from tests.notifier.conftest import NOW, digest_lines, free_port, html_of, register, text_of

MON_0302 = date(2026, 3, 2)  # received: reply due Mon 03-30, internal target Mon 03-23
MON_0323 = date(2026, 3, 23)  # 5 working days before 03-30; the internal target's due day
PRIVATE = {"phone": "13800138000", "address": "某市某区某路88号", "id_number": "110101199001011237"}


def scan(engine, settings, today=MON_0323, minutes=0):  # type: ignore[no-untyped-def]
    return run_once(engine, settings, now=NOW + timedelta(minutes=minutes), today=today)


def statuses(engine) -> list[str]:  # type: ignore[no-untyped-def]
    with Session(engine) as s:
        return sorted(r.status for r in s.scalars(select(OutboxItem)))


def two_cases(engine, settings) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    a = register(engine, settings, received=MON_0302, department="zcfg", **PRIVATE)
    b = register(engine, settings, received=MON_0302, department="hbc", content="某河段水质数据")
    return a, b


def test_one_digest_per_recipient_with_decoded_headers(smtp_settings, smtp_server):
    engine = make_engine(smtp_settings)
    try:
        ensure_database(engine, smtp_settings)
        a, b = two_cases(engine, smtp_settings)
        result = scan(engine, smtp_settings)
    finally:
        engine.dispose()
    assert (result.sent, result.messages, result.failed, result.pending) == (8, 3, 0, 0), result
    got = smtp_server.by_recipient()
    assert sorted(got) == ["hbc@example.gov.cn", "office@example.gov.cn", "zcfg@example.gov.cn"]
    assert all(len(msgs) == 1 for msgs in got.values())
    office = got["office@example.gov.cn"][0]
    assert office["Subject"] == "【某市生态环境局】依申请公开期限提醒（2026-03-23）：共 4 项"
    assert office["From"] == "gk@example.gov.cn"
    text, html = text_of(office), html_of(office)
    for number in (a, b):
        assert f"{number}　答复期限：2026-03-30（剩余 5 个工作日）" in digest_lines(text)
        assert f"{number}　内部办理时限：2026-03-23（今日到期）" in digest_lines(text)
        assert f'href="http://10.0.0.5:8000/applications/{number}"' in html
    assert "申请公开2025年度某某项目环境影响评价报告" in text and "环境保护处" in html
    dept = text_of(got["zcfg@example.gov.cn"][0])
    assert a in dept and b not in dept
    for msg in smtp_server.handler.messages:
        raw = msg.as_string() + text_of(msg) + html_of(msg)
        assert not any(v in raw for v in PRIVATE.values())


def test_rerun_sends_nothing_new(smtp_settings, smtp_server):
    engine = make_engine(smtp_settings)
    try:
        ensure_database(engine, smtp_settings)
        two_cases(engine, smtp_settings)
        scan(engine, smtp_settings)
        again = scan(engine, smtp_settings, minutes=60)
        engine.dispose()  # a restart: a fresh engine sees the same outbox
        engine = make_engine(smtp_settings)
        restarted = scan(engine, smtp_settings, minutes=120)
    finally:
        engine.dispose()
    assert (again.queued, again.sent, restarted.queued, restarted.sent) == (0, 0, 0, 0)
    assert len(smtp_server.handler.messages) == 3


def test_server_down_then_retried_later_nothing_lost(smtp_settings, smtp_server):
    engine = make_engine(smtp_settings)
    try:
        ensure_database(engine, smtp_settings)
        two_cases(engine, smtp_settings)
        smtp_server.stop()
        down = scan(engine, smtp_settings)
        assert down.sent == 0 and down.pending == 8 and down.errors
        smtp_server.start()
        too_soon = scan(engine, smtp_settings, minutes=1)  # backoff: first retry after 5 min
        assert too_soon.sent == 0 and smtp_server.handler.messages == []
        later = scan(engine, smtp_settings, minutes=10)
    finally:
        engine.dispose()
    assert (later.sent, later.messages, later.pending) == (8, 3, 0)
    office = smtp_server.by_recipient()["office@example.gov.cn"][0]
    lines = digest_lines(text_of(office))
    assert len(lines) == 4 and sum("答复期限" in line for line in lines) == 2


def test_451_is_retried(smtp_settings, smtp_server):
    engine = make_engine(smtp_settings)
    try:
        ensure_database(engine, smtp_settings)
        two_cases(engine, smtp_settings)
        smtp_server.handler.reply = "451 4.3.0 Try again later"
        first = scan(engine, smtp_settings)
        assert (first.sent, first.retry, first.failed) == (0, 8, 0)
        assert statuses(engine) == ["pending"] * 8
        smtp_server.handler.reply = None
        second = scan(engine, smtp_settings, minutes=30)
        assert statuses(engine) == ["sent"] * 8
    finally:
        engine.dispose()
    assert (second.sent, second.messages) == (8, 3)


def test_550_is_recorded_and_shown_by_status(smtp_settings, smtp_server, cli):
    engine = make_engine(smtp_settings)
    try:
        ensure_database(engine, smtp_settings)
        a, _ = two_cases(engine, smtp_settings)
        smtp_server.handler.reply = "550 5.1.1 Mailbox unavailable"
        first = scan(engine, smtp_settings)
        smtp_server.handler.reply = None
        second = scan(engine, smtp_settings, minutes=60)  # failures are not retried
    finally:
        engine.dispose()
    assert (first.failed, first.pending, second.sent) == (8, 0, 0)
    r = cli("notify", "status", "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["counts"]["failed"] == 8
    failed = [p for p in data["problems"] if p["number"] == a]
    assert failed and all("550" in p["error"] for p in failed)
    human = cli("notify", "status")
    assert "失败 8" in human.stdout and "550" in human.stdout


def test_escalation_goes_to_leaders_once(tmp_path: Path, db_url, smtp_server):
    settings = base_settings(
        tmp_path,
        db_url,
        smtp={"host": "127.0.0.1", "port": smtp_server.port},
        notifier={
            "office_recipients": ["office@example.gov.cn"],
            "leaders": [{"name": "李局长", "email": "leader@example.gov.cn"}],
            "escalate_after": 3,
            "clocks": ["reply_due"],
        },
    )
    engine = make_engine(settings)
    try:
        ensure_database(engine, settings)
        number = register(engine, settings, received=MON_0302)
        scan(engine, settings, today=date(2026, 4, 1))  # 2 working days overdue
        assert "leader@example.gov.cn" not in smtp_server.by_recipient()
        scan(engine, settings, today=date(2026, 4, 2))  # 3: escalate
        scan(engine, settings, today=date(2026, 4, 3))  # 4: daily overdue, no new escalation
    finally:
        engine.dispose()
    got = smtp_server.by_recipient()
    assert len(got["leader@example.gov.cn"]) == 1
    leader = text_of(got["leader@example.gov.cn"][0])
    assert "请督办" in leader
    assert f"{number}　答复期限：2026-03-30（已超期 3 个工作日）" in digest_lines(leader)
    assert len(got["office@example.gov.cn"]) == 3  # one overdue reminder each working day


def test_unconfirmed_arrival_and_calendar_warning(tmp_path: Path, db_url, smtp_server):
    settings = base_settings(tmp_path, db_url, smtp={"host": "127.0.0.1", "port": smtp_server.port})
    engine = make_engine(settings)
    try:
        ensure_database(engine, settings)
        number = register(engine, settings, received=None, arrived=date(2026, 11, 5))
        scan(engine, settings, today=date(2026, 11, 5))  # the arrival day itself: not yet
        scan(engine, settings, today=date(2026, 11, 6), minutes=1)
        scan(engine, settings, today=date(2026, 11, 9), minutes=2)
    finally:
        engine.dispose()
    office = [text_of(m) for m in smtp_server.by_recipient()["office@example.gov.cn"]]
    assert len(office) == 3
    # 56 days of official data left (< 60): the coverage warning, once, on the first run.
    assert "节假日安排只到 2026 年底（还剩 56 天）" in office[0] and "2027" in office[0]
    assert number not in office[0]
    assert "节假日安排" not in office[1] + office[2]
    unconfirmed = f"{number}　送达后尚未确认收到：2026-11-05"
    # No statutory clock runs before receipt is confirmed: not "overdue" (issue 18).
    assert f"{unconfirmed}（送达已 1 个工作日，待确认收到）" in digest_lines(office[1])
    assert f"{unconfirmed}（送达已 2 个工作日，待确认收到）" in digest_lines(office[2])
    assert "已超期" not in office[1] + office[2]
    assert "“节假日”页面" in office[0] and "disclosure calendar load" not in office[0]


def test_eml_outbox_without_smtp_host(cli, tmp_path: Path):
    r = cli(
        "register",
        "--channel",
        "in_person",
        "--received",
        "2026-03-02",
        "--applicant",
        "张三",
        "--applicant-type",
        "natural",
        "--content",
        "某项目批复文件",
        "--department",
        "zcfg",
        "--phone",
        "13800138000",
        "--today",
        "2026-03-02",
    )
    assert r.exit_code == 0, r.stderr
    r = cli("notify", "--once", "--today", "2026-03-31")
    assert r.exit_code == 0, r.stderr
    outbox = tmp_path / "outbox"
    assert f"邮件已写入：{outbox}" in r.stdout
    files = sorted(outbox.glob("*.eml"))
    assert len(files) == 2
    from email import message_from_bytes, policy

    msgs = [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    assert sorted(str(m["To"]) for m in msgs) == ["office@example.gov.cn", "zcfg@example.gov.cn"]
    body = text_of(msgs[0])  # type: ignore[arg-type]
    overdue = "答复期限：2026-03-30（已超期 1 个工作日）"
    assert any(line.endswith(overdue) for line in digest_lines(body))
    assert "13800138000" not in body
    again = cli("notify", "--once", "--today", "2026-03-31", "--json")
    assert json.loads(again.stdout)["sent"] == 0 and len(list(outbox.glob("*.eml"))) == 2


def test_bad_address_is_a_permanent_failure(tmp_path: Path, db_url):
    settings = base_settings(
        tmp_path,
        db_url,
        notifier={"office_recipients": ["not an address"], "outbox_dir": str(tmp_path / "out")},
    )
    engine = make_engine(settings)
    try:
        ensure_database(engine, settings)
        register(engine, settings, received=MON_0302, department=None)
        result = scan(engine, settings)
    finally:
        engine.dispose()
    assert result.failed == 2 and result.sent == 0 and "邮箱地址格式不正确" in result.errors[0]


def test_nothing_is_sent_on_a_non_working_day(smtp_settings, smtp_server):
    engine = make_engine(smtp_settings)
    try:
        ensure_database(engine, smtp_settings)
        two_cases(engine, smtp_settings)
        sunday = scan(engine, smtp_settings, today=date(2026, 3, 22))
    finally:
        engine.dispose()
    assert not sunday.working_day and smtp_server.handler.messages == []


def test_unused_port_is_a_temporary_failure(tmp_path: Path, db_url):
    settings = base_settings(tmp_path, db_url, smtp={"host": "127.0.0.1", "port": free_port()})
    engine = make_engine(settings)
    try:
        ensure_database(engine, settings)
        register(engine, settings, received=MON_0302)
        result = scan(engine, settings)
    finally:
        engine.dispose()
    assert result.failed == 0 and result.retry == 4 and result.pending == 4


def test_a_run_that_fails_after_queueing_gives_its_reminders_back(
    smtp_settings, smtp_server, monkeypatch
):  # type: ignore[no-untyped-def]
    """A run that stops after queueing (here: its sender cannot be built) must not keep the
    rows it pre-claimed: the next run, a minute later, sends them."""
    import notifier.scan as scan

    engine = make_engine(smtp_settings)
    try:
        ensure_database(engine, smtp_settings)
        two_cases(engine, smtp_settings)

        def broken(_settings):  # type: ignore[no-untyped-def]
            raise RuntimeError("SMTP 配置错误")

        with monkeypatch.context() as m:
            m.setattr(scan, "make_sender", broken)
            try:
                run_once(engine, smtp_settings, now=NOW, today=MON_0323)
            except RuntimeError:
                pass
            else:
                raise AssertionError("the broken sender was not used")
        assert smtp_server.handler.messages == []
        again = run_once(engine, smtp_settings, now=NOW + timedelta(minutes=1), today=MON_0323)
        assert again.queued == 0 and again.sent > 0 and again.pending == 0
        assert len(smtp_server.handler.messages) == again.messages
    finally:
        engine.dispose()
