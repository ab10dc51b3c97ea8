"""Procedural notices: their text, and the ledger event each one records (rulebook §9)."""

from __future__ import annotations

from datetime import date

import pytest

from disclosure.errors import Conflict, InvalidInput
from disclosure.services import steps
from disclosure.services.numbering import peek_last
from tests.letters.conftest import AGENCY, APPLICANT, COURT, RECONSIDERATION, Desk

RECEIVED = "本机关于2026年3月2日收到您提出的政府信息公开申请"


def test_receipt_has_every_element(desk: Desk) -> None:
    number = desk.register()
    issued, text = desk.issue(number, "receipt")
    assert issued.new
    assert text.splitlines()[0] == AGENCY
    assert "政府信息公开申请登记回执" in text
    assert "穗应急依申告〔2026〕1号" in text
    assert f"{APPLICANT}：" in text  # escaped and back intact
    assert RECEIVED in text and f"登记编号：{number}" in text
    assert "“2025年度检查记录”" in text
    # Received Mon 2026-03-02 → 20 working days end Mon 2026-03-30 (rulebook §2).
    assert "即2026年3月30日前作出答复" in text
    # no literal seal mark (the seal is pressed over the signature); contact lines as 附注
    assert "（印章）" not in text and text.splitlines()[-2] == "2026年3月5日"
    # handed in at the counter, the receipt is handed over there (rulebook §9.2)
    assert (
        text.splitlines()[-1]
        == "（联系人：政府信息公开工作机构；电话：020-12345678；送达方式：直接送达）"
    )
    # later letters go the office's usual way (`[letters] delivery`)
    _, notice = desk.issue(number, "extension", days=5, approver="李主任")
    assert notice.splitlines()[-1].endswith("送达方式：邮寄）")


def test_correction_notice_starts_the_correction_clock(desk: Desk) -> None:
    number = desk.register()
    issued, text = desk.issue(
        number,
        "correction",
        on=date(2026, 3, 4),
        served=date(2026, 3, 4),  # handed over at the counter
        items=("请说明检查对象", "请说明时间范围"),
    )
    [ev] = desk.events(number, "correction_requested")
    assert ev.on == date(2026, 3, 4)
    assert desk.app(number).awaiting_correction
    assert issued.letter.event_id == ev.id
    assert "1．请说明检查对象" in text and "2．请说明时间范围" in text
    # Served Wed 3/4; 15 working days (office default) from the next day → Wed 3/25.
    assert "请您自收到本告知书之日起15个工作日内（即2026年3月25日前）" in text
    assert "第三十条" in text and "2026年3月4日" in text


def test_correction_already_recorded_uses_its_date(desk: Desk) -> None:
    number = desk.register()
    desk.record(
        number,
        steps.CorrectionRequested(on=date(2026, 3, 3), served=date(2026, 3, 3)),
        date(2026, 3, 3),
    )
    # The letter states the step: dated its day, never another the clerk types (refused).
    with pytest.raises(Conflict) as err:
        desk.issue(number, "correction", on=date(2026, 3, 5))
    assert err.value.field == "--date" and "2026-03-03" in err.value.message
    assert "2026-03-05" in err.value.message and desk.letters() == []
    issued, text = desk.issue(number, "correction", today=date(2026, 3, 5))
    assert len(desk.events(number, "correction_requested")) == 1
    assert issued.letter.issued_on == date(2026, 3, 3)
    # Served Tue 3/3; 15 working days → Tue 3/24.
    assert "2026年3月24日前" in text


def test_posted_correction_notice_states_the_rule_not_a_guessed_date(desk: Desk) -> None:
    """Rulebook §5: the applicant's period runs from receipt; unknown until service is recorded."""
    number = desk.register()
    _, text = desk.issue(number, "correction", on=date(2026, 3, 4))
    assert "请您自收到本告知书之日起15个工作日内将补正后的申请提交本机关" in text
    assert "2026年3月25日" not in text and "（即" not in text


def test_extension_records_days_and_approver(desk: Desk) -> None:
    number = desk.register()
    _, text = desk.issue(
        number,
        "extension",
        days=10,
        approver="李主任",
        on=date(2026, 3, 20),
        today=date(2026, 3, 20),
    )
    [ev] = desk.events(number, "extension_granted")
    assert (ev.days, ev.approver) == (10, "李主任")
    # Due 3/30 + 10 working days: 3/31–4/3 (4), 4/4–4/6 清明 off, 4/7–4/10 (8), 4/13–14 → 4/14.
    assert desk.app(number).reply_due == date(2026, 4, 14)
    assert "不能在2026年3月30日前作出答复" in text
    assert "答复期限延长10个工作日，本机关将于2026年4月14日前作出答复" in text
    assert "第三十三条第二款" in text


def test_extension_states_the_clerks_reason_and_invents_none(desk: Desk) -> None:
    """Art. 33 ¶2 asks for the head's consent and notice, not a stated reason: a notice with
    no reason given says only that the reply cannot be made in time (it once printed a stock
    reason nobody had decided)."""
    sent = date(2026, 3, 20)
    bare = desk.register()
    _, text = desk.issue(bare, "extension", days=10, approver="李主任", on=sent, today=sent)
    assert "\n本机关不能在2026年3月30日前作出答复" in text and "调取、核实" not in text
    given = desk.register()
    step = steps.Extension(on=sent, days=10, approver="李主任", note="所需信息分散在三个科室")
    desk.record(given, step, sent)
    _, text = desk.issue(given, "extension", today=sent)
    assert "因所需信息分散在三个科室，本机关不能在2026年3月30日前作出答复" in text


def test_extension_without_approver_writes_nothing(desk: Desk) -> None:
    number = desk.register()
    with pytest.raises(InvalidInput) as err:
        desk.issue(number, "extension", days=10)
    assert err.value.field == "approver"
    assert desk.events(number, "extension_granted") == []
    assert desk.events(number, "letter_issued") == []
    assert desk.letters() == []
    from disclosure.db import transaction

    with transaction(desk.engine, write=False) as s:
        assert peek_last(s, series="letter:notice", year=2026) == 0


def test_fee_notice_by_volume(desk: Desk) -> None:
    number = desk.register()
    _, text = desk.issue(number, "fee", pages=250, served=date(2026, 3, 5))
    [ev] = desk.events(number, "fee_notice_sent")
    assert ev.amount_yuan == 4700  # 70×10 + 100×20 + 50×40 (rulebook §7)
    assert "人民币4700元" in text
    assert "31至100页70页×10元＋101至200页100页×20元＋201至250页50页×40元" in text
    assert "按量计收" in text and "201页以上的部分每页40元" in text
    # Served Thu 3/5; 20 working days from the next day → Thu 4/2.
    assert "个工作日内，即2026年4月2日前缴纳" in text
    assert "缴纳方式：请持本通知书" in text
    # The payment article is cited by the title alone while its number is unsettled (§7.9).
    assert "缴费期限：根据《政府信息公开信息处理费管理办法》的规定" in text
    assert "第七条" not in text and "第六条" not in text


def test_fee_notice_by_item(desk: Desk) -> None:
    number = desk.register()
    _, text = desk.issue(number, "fee", nth=31)
    assert "人民币200元" in text and "按件计收" in text and "本月第31件申请" in text
    # Posted, not yet served: the period is stated, no date is guessed (rulebook §7).
    assert "请您自收到本通知的次日起20个工作日内缴纳" in text


@pytest.mark.parametrize(
    ("opts", "field"),
    [
        ({"pages": 250, "amount": 100}, "--amount"),
        ({"pages": 20}, "--pages"),  # free: no fee notice
        ({}, "amount"),  # no amount, and no known applicant to count the month's items
        ({"pages": 40, "nth": 12}, "--pages"),  # one scale only (Fees art. 4)
    ],
    ids=["amount-mismatch", "nothing-to-pay", "no-amount", "both-scales"],
)
def test_bad_fee_input_writes_nothing(desk: Desk, opts: dict, field: str) -> None:
    number = desk.register()
    with pytest.raises(InvalidInput) as err:
        desk.issue(number, "fee", **opts)
    assert err.value.field == field
    assert desk.events(number, "fee_notice_sent") == [] and desk.letters() == []


def test_consultation_letters_and_notice(desk: Desk) -> None:
    number = desk.register()
    issued, text = desk.issue(
        number, "consultation", party="某某化工有限公司", served=date(2026, 3, 5)
    )
    [ev] = desk.events(number, "consultation_sent")
    assert ev.party == "某某化工有限公司" and ev.data["party_kind"] == "third_party"
    assert issued.letter.reference == "穗应急依申征〔2026〕1号"
    assert "某某化工有限公司：" in text and f"收到{APPLICANT}提出的" in text
    # Served Thu 3/5; 15 working days → Thu 3/26.
    assert "请贵方自收到本征求意见书之日起15个工作日内（即2026年3月26日前）" in text
    assert "第三十二条" in text

    issued2, text2 = desk.issue(number, "consultation_agency", party="广州市消防救援支队")
    assert issued2.letter.reference == "穗应急依申征〔2026〕2号"
    assert "视为同意公开" in text2 and "第三十四条" in text2
    assert "自收到本征求意见函之日起15个工作日内提出意见" in text2  # posted: no date yet
    assert len(desk.events(number, "consultation_sent")) == 2

    _, notice = desk.issue(number, "consultation_notice")
    assert notice.count("2026年3月5日书面征求") == 2
    assert "征求意见期限至2026年3月26日" in notice  # the third party's, served
    assert "征求意见期限自其收到征求意见书之日起计算" in notice  # the agency's, posted
    assert "书面征求第三方意见" in notice and "书面征求有关行政机关意见" in notice
    assert "第三十三条第三款" in notice
    assert "某某化工有限公司" not in notice  # the applicant is not told who the third party is


def test_consultation_notice_needs_a_consultation(desk: Desk) -> None:
    number = desk.register()
    with pytest.raises(Conflict):
        desk.issue(number, "consultation_notice")
    assert desk.letters() == []


def test_art35_and_deferred(desk: Desk) -> None:
    number = desk.register()
    _, text = desk.issue(number, "art35", due=date(2026, 3, 20))
    assert "请您于2026年3月20日前向本机关说明理由" in text and "第三十五条" in text
    assert desk.events(number, "deferred") == []
    _, text = desk.issue(
        number, "deferred", due=date(2026, 5, 29), today=date(2026, 3, 23), on=date(2026, 3, 23)
    )
    assert desk.app(number).reply_due == date(2026, 5, 29)
    assert "延迟答复的期限为2026年5月29日" in text


def test_abandoned_after_correction(desk: Desk) -> None:
    number = desk.register()
    desk.issue(number, "correction", on=date(2026, 3, 4), served=date(2026, 3, 4))
    issued, text = desk.issue(
        number, "abandoned", reason="correction", on=date(2026, 3, 30), today=date(2026, 3, 30)
    )
    assert desk.app(number).outcome == "6.1"
    assert issued.letter.reference == "穗应急依申复〔2026〕1号"
    assert "本机关于2026年3月4日告知您补正申请内容，补正期限至2026年3月25日" in text
    assert "视为您放弃申请" in text and "第三十条" in text
    assert RECONSIDERATION in text and COURT in text


def test_unknown_kind(desk: Desk) -> None:
    number = desk.register()
    with pytest.raises(InvalidInput) as err:
        desk.issue(number, "memo")
    assert err.value.field == "--kind"
