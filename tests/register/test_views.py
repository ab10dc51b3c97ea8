"""`disclosure show` and `services.views`: the timeline and an explanation of every date."""

from __future__ import annotations

import pytest

from tests.register.conftest import TODAY, Cli

pytestmark = pytest.mark.usefixtures("engine")


@pytest.fixture
def story(c: Cli) -> str:
    """Received Mon 11-02; correction asked 11-04 and received 11-06; extended; consulted."""
    n = c.register("2026-11-02", "--department", "hbc", "--id-number", "110101199001011237")[
        "number"
    ]
    c.ok("correction", "request", n, "--date", "2026-11-04", "--note", "请明确文件名称")
    c.ok("correction", "receive", n, "--date", "2026-11-06")
    c.ok("extend", n, "--days", "5", "--approver", "陈主任", "--date", "2026-11-20")
    c.ok(
        "consult", "send", n, "--date", "2026-11-23", "--served", "2026-11-23", "--party", "某企业"
    )
    c.ok("consult", "answer", n, "--date", "2026-11-24", "--party", "某企业")
    return n


def test_timeline_lists_every_step_in_order(c: Cli, story: str) -> None:
    shown = c.show(story)
    kinds = [e["kind"] for e in shown["timeline"]]
    assert kinds == [
        "registered",
        "received",
        "correction_requested",
        "correction_received",
        "extension_granted",
        "consultation_sent",
        "consultation_answered",
    ]
    assert shown["timeline"][2]["note"] == "请明确文件名称"
    assert shown["timeline"][4]["approver"] == "陈主任"
    assert all(e["actor"] == "tester" for e in shown["timeline"])
    assert shown["timeline"][1]["label"] == "收到申请（法定收到日期）"


def test_every_deadline_is_explained(c: Cli, story: str) -> None:
    shown = c.show(story)
    # 20 + 5 working days from the corrected application (Fri 11-06), 11-23…11-24 paused:
    # 11-09 is day 1, … 12-11 is day 25 without the pause; the 2 paused days → 12-15.
    assert shown["reply_due"] == "2026-12-15"
    text = "\n".join(shown["explanation"])
    for clock_name, date_text in [
        ("答复期限", "2026年12月15日"),
        ("补正告知期限", "2026年11月11日"),
        ("征求意见", "2026年12月14日"),  # 15 working days after 11-23
        ("内部办理时限", "2026年12月8日"),  # 5 working days before the due date
    ]:
        assert clock_name in text and date_text in text, (clock_name, text)
    assert "收到补正申请之日（2026年11月6日）" in text
    assert "含延期" in text
    assert "暂停计算" in text
    assert shown["clocks"]["reply_due"] == "2026-12-15"


def test_human_show_prints_timeline_and_explanation(cli, story: str) -> None:  # type: ignore[no-untyped-def]
    r = cli("show", story, "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    for expected in ("办理经过", "期限计算说明", "批准人：陈主任", "2026-12-15", "延期答复"):
        assert expected in r.stdout, expected
    assert "110101199001011237" not in r.stdout


def test_show_of_a_closed_application(c: Cli, story: str) -> None:
    c.ok("reply", story, "--outcome", "4.1", "--date", "2026-11-26")
    c.ok("archive", story)
    shown = c.show(story)
    assert shown["stage"] == "archived"
    assert shown["outcome_label"] == "本机关不掌握相关政府信息"
    assert shown["clocks"] == {}
    assert shown["timeline"][-1]["label"] == "转入“归档”阶段"


def test_show_unknown_number(c: Cli) -> None:
    assert "登记编号:" in c.fails("show", "2026-12345", code=4)
