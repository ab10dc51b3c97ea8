"""One reply per outcome code (rulebook §8), each with its legal basis and the remedy clause."""

from __future__ import annotations

from datetime import date

import pytest

from disclosure.errors import Conflict, InvalidInput
from disclosure.letters.replies import DECISIONS
from disclosure.outcomes import CITATIONS, OUTCOMES, cite
from disclosure.services import steps
from rules.explain import cn_date
from tests.letters.conftest import AGENCY, APPLICANT, COURT, RECONSIDERATION, Desk
from tests.letters.ledgers import issue_all, reply_case

REPLIED = date(2026, 3, 20)

# A phrase that only the decision paragraph of that outcome and variant carries.
KEY_PHRASE = {
    ("1", "disclosed_now"): "本机关决定予以公开",
    ("1", "already_public"): "本机关已经主动公开",
    **{("2", v): "能够作区分处理" for c, v in CITATIONS if c == "2"},
    ("3.1", ""): "国家秘密",
    ("3.2", ""): "法律、行政法规禁止公开",
    ("3.3", ""): "危及国家安全、公共安全、经济安全、社会稳定",
    ("3.4", "other_rights"): "涉及第三方合法权益，公开会对第三方合法权益造成损害",
    ("3.4", "trade_secret"): "涉及第三方的商业秘密",
    ("3.4", "privacy"): "涉及第三方的个人隐私",
    ("3.4", "refused"): "第三方不同意公开且有合理理由",
    ("3.5", ""): "内部事务信息",
    ("3.6", ""): "过程性信息",
    ("3.7", ""): "行政执法案卷信息",
    ("3.8", ""): "有关法律、行政法规对信息的获取有特别规定",
    ("4.1", "not_exist"): "该政府信息不存在",
    ("4.1", "not_ours"): "不属于本机关负责公开的范围",
    ("4.2", ""): "加工、分析",
    ("4.3", ""): "补正后的申请内容仍不明确",
    ("5.1", ""): "信访、投诉、举报",
    ("5.2", ""): "不予重复处理",
    ("5.3", ""): "公开出版物",
    ("5.4", "unreasonable"): "您说明的申请理由不合理",
    ("5.4", "no_reasons"): "您未在期限内说明理由",
    ("5.5", "confirm"): "予以确认",
    ("5.5", "reissue"): "重新出具",
    ("6.1", ""): "逾期未补正",
    ("6.2", ""): "逾期未按收费通知的要求缴纳费用",
    ("6.3", "withdrawn"): "撤回该政府信息公开申请",
    ("6.3", "other"): "终止办理",
}
REFUSALS = {"2", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8"}


def test_every_outcome_and_variant_has_a_decision() -> None:
    assert set(DECISIONS) == set(CITATIONS) == set(KEY_PHRASE)
    assert {c for c, _ in CITATIONS} == set(OUTCOMES)


@pytest.mark.parametrize(
    ("code", "variant"), list(CITATIONS), ids=[f"outcome-{c}-{v or 'only'}" for c, v in CITATIONS]
)
def test_reply_for_outcome(desk: Desk, code: str, variant: str) -> None:
    case = reply_case(desk, code, variant)  # the ledger each outcome presupposes
    _content, text = issue_all(desk, [case])[case.name]
    lines = text.splitlines()
    assert lines[0] == AGENCY and lines[1] == "政府信息公开申请答复书"
    assert lines[2].startswith("穗应急依申复〔2026〕")
    assert f"{APPLICANT}：" in text
    assert "本机关于2026年3月2日收到您提出的政府信息公开申请" in text
    assert KEY_PHRASE[(code, variant)] in text
    basis = cite(CITATIONS[(code, variant)])
    assert (f"根据{basis}的规定" in text) if basis else ("的规定" not in text.split("如对本")[0])
    if code in REFUSALS:  # reconsideration first (行政复议法 第二十三条第一款第（四）项)
        assert f"60日内先向{RECONSIDERATION}申请行政复议" in text and COURT not in text
        assert "第二十条、第二十三条第一款第（四）项、第二十四条" in text
    else:
        assert f"60日内向{RECONSIDERATION}申请行政复议" in text
        assert f"6个月内向{COURT}提起行政诉讼" in text
        assert "行政复议法》第二十条、第二十四条" in text and "行政诉讼法》第四十六条" in text
    assert lines[-2] == cn_date(case.on) and "（印章）" not in text
    assert "或者" not in text


def test_not_ours_names_the_responsible_agency(desk: Desk) -> None:
    number = desk.register()
    desk.record(number, steps.Reply(on=REPLIED, code="4.1"), REPLIED)
    _, text = desk.issue(
        number,
        "reply",
        today=REPLIED,
        variant_code="not_ours",
        responsible_agency="广州市市场监督管理局",
        contact="020-83339999",
        attachments=("送达回证",),
    )
    assert "负责公开该政府信息的行政机关为广州市市场监督管理局（联系方式：020-83339999）" in text
    assert "附件：送达回证" in text
    # Regenerating without the options keeps the clerk's texts and the number.
    again, text2 = desk.issue(number, "reply", today=date(2026, 3, 23))
    assert not again.new and again.letter.reference == "穗应急依申复〔2026〕1号"
    assert "广州市市场监督管理局" in text2 and "2026年3月20日" in text2


def test_reply_tells_correction_and_extension_history(desk: Desk) -> None:
    number = desk.register()
    desk.issue(number, "correction", on=date(2026, 3, 4), served=date(2026, 3, 4))
    desk.record(number, steps.CorrectionReceived(on=date(2026, 3, 10)), date(2026, 3, 10))
    desk.issue(
        number, "extension", days=5, approver="李主任", on=date(2026, 4, 1), today=date(2026, 4, 1)
    )
    _, text = desk.issue(
        number,
        "reply",
        outcome="1",
        variant_code="disclosed_now",
        on=date(2026, 4, 15),
        today=date(2026, 4, 15),
    )
    assert "本机关于2026年3月4日告知您补正申请内容，补正期限至2026年3月25日，" in text
    assert "于2026年3月10日收到您补正后的申请" in text
    assert "本机关于2026年4月1日告知您答复期限延长5个工作日" in text


def test_reply_needs_an_outcome(desk: Desk) -> None:
    number = desk.register()
    with pytest.raises(InvalidInput) as err:
        desk.issue(number, "reply")
    assert err.value.field == "--outcome"
    assert desk.letters() == []
    issued, _ = desk.issue(number, "reply", outcome="5.3", on=date(2026, 3, 5))
    assert desk.app(number).outcome == "5.3" and not desk.app(number).is_open
    assert issued.letter.event_id == desk.events(number, "replied")[0].id


def test_reply_outcome_cannot_contradict_the_ledger(desk: Desk) -> None:
    number = desk.register()
    desk.record(number, steps.Reply(on=REPLIED, code="1"), REPLIED)
    with pytest.raises(Conflict):
        desk.issue(number, "reply", outcome="2", today=REPLIED)


def test_withdrawn_reply(desk: Desk) -> None:
    number = desk.register()
    desk.record(number, steps.Withdrawal(on=date(2026, 3, 6)), date(2026, 3, 6))
    _, text = desk.issue(number, "reply", today=date(2026, 3, 9))
    assert "您于2026年3月6日撤回该政府信息公开申请" in text and "终止办理" in text
