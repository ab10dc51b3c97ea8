"""The citation table (disclosure.outcomes.CITATIONS): every entry pinned to the text of the
Regulations (docs/citations.md), and the variants a clerk chooses (rulebook §8.2)."""

from __future__ import annotations

from datetime import date

import pytest

from disclosure.errors import InvalidInput
from disclosure.letters.party import requested_info, requester
from disclosure.letters.replies import DECISIONS
from disclosure.outcomes import (
    CITATIONS,
    FEE_PAYMENT_ARTICLE,
    OUTCOMES,
    VARIANTS,
    P,
    cite,
    cn_number,
)
from disclosure.services import steps
from rules.facts import FEE_BASIS
from tests.letters.conftest import Desk

R = "《中华人民共和国政府信息公开条例》"
F = "《政府信息公开信息处理费管理办法》"

# Written out by hand from the official text (Decree 711), one line per outcome and variant.
PINNED = {
    ("1", "disclosed_now"): R + "第三十六条第（二）项",  # provide the information
    ("1", "already_public"): R + "第三十六条第（一）项",  # already proactively disclosed
    ("2", "secret"): R + "第三十七条、第十四条、第三十六条第（三）项",
    ("2", "forbidden"): R + "第三十七条、第十四条、第三十六条第（三）项",
    ("2", "security"): R + "第三十七条、第十四条、第三十六条第（三）项",
    ("2", "third_party"): R + "第三十七条、第十五条、第三十六条第（三）项",
    ("2", "internal"): R + "第三十七条、第十六条第一款、第三十六条第（三）项",
    ("2", "process"): R + "第三十七条、第十六条第二款、第三十六条第（三）项",
    ("2", "enforcement"): R + "第三十七条、第十六条第二款、第三十六条第（三）项",
    ("2", "not_gov_info"): R + "第三十七条、第二条",  # not government information (Art. 2)
    ("3.1", ""): R + "第十四条、第三十六条第（三）项",
    ("3.2", ""): R + "第十四条、第三十六条第（三）项",
    ("3.3", ""): R + "第十四条、第三十六条第（三）项",
    ("3.4", "other_rights"): R + "第十五条、第三十六条第（三）项",
    ("3.4", "trade_secret"): R + "第十五条、第三十六条第（三）项",
    ("3.4", "privacy"): R + "第十五条、第三十六条第（三）项",
    ("3.4", "refused"): R + "第十五条、第三十二条、第三十六条第（三）项",
    ("3.5", ""): R + "第十六条第一款、第三十六条第（三）项",
    ("3.6", ""): R + "第十六条第二款、第三十六条第（三）项",
    ("3.7", ""): R + "第十六条第二款、第三十六条第（三）项",
    ("3.8", ""): R + "第三十六条第（七）项",
    ("4.1", "not_exist"): R + "第三十六条第（四）项",  # 该政府信息不存在
    ("4.1", "not_ours"): R + "第三十六条第（五）项",  # not this agency's, name the one
    ("4.2", ""): R + "第三十八条",
    ("4.3", ""): R + "第三十条",
    ("5.1", ""): R + "第三十九条第一款",  # 信访、投诉、举报
    ("5.2", ""): R + "第三十六条第（六）项",
    ("5.3", ""): R + "第三十九条第二款",  # 公开出版物
    ("5.4", "unreasonable"): R + "第三十五条",
    ("5.4", "no_reasons"): R + "第三十五条",
    ("5.5", "confirm"): R + "第二条",  # no article names 5.5; Practice (rulebook §8.2)
    ("5.5", "reissue"): R + "第二条",
    ("6.1", ""): R + "第三十条",
    ("6.2", ""): F + "、" + R + "第四十二条第一款",  # the Fees by title (rulebook §7.9)
    ("6.3", "withdrawn"): "",  # the fact alone, no "根据…的规定"
    ("6.3", "other"): "",
}


def test_every_entry_is_pinned() -> None:
    assert set(CITATIONS) == set(PINNED) == set(DECISIONS)
    assert {code for code, _ in CITATIONS} == set(OUTCOMES)
    for key, text in PINNED.items():
        assert cite(CITATIONS[key]) == text, key


def test_no_entry_cites_the_publications_paragraph_except_5_3() -> None:
    # 第三十九条第二款 is about 公开出版物 (outcome 5.3) and nothing else.
    users = {k for k, v in PINNED.items() if "第三十九条第二款" in v}
    assert users == {("5.3", "")}


def test_chinese_numbers() -> None:
    assert [cn_number(n) for n in (1, 2, 10, 14, 16, 20, 30, 36, 39, 42)] == [
        "一", "二", "十", "十四", "十六", "二十", "三十", "三十六", "三十九", "四十二",
    ]  # fmt: skip
    with pytest.raises(ValueError):
        cn_number(100)


def test_fee_payment_article_is_one_number() -> None:
    # rules/ keeps its own copy (it imports nothing from disclosure); both must agree.
    number = f"第{cn_number(FEE_PAYMENT_ARTICLE)}条" if FEE_PAYMENT_ARTICLE else ""
    assert F + number == FEE_BASIS
    # Unsettled (rulebook §7.9): no article number is printed until it is read from the text.
    assert "第七条" not in FEE_BASIS and cite((P(FEE_PAYMENT_ARTICLE, law=F),)) == F


def test_variants_of_each_code() -> None:
    assert VARIANTS["1"] == ("disclosed_now", "already_public")
    assert VARIANTS["4.1"] == ("not_exist", "not_ours")
    assert VARIANTS["4.2"] == ()
    # 5.5 no longer cites 第三十九条第二款 (publications)
    assert "第三十九条" not in OUTCOMES["5.5"].basis
    assert OUTCOMES["6.3"].basis == ""


def test_a_natural_person_is_never_named_to_another_party() -> None:
    assert requester("张三", "natural") == "申请人"
    assert requester("某某科技有限公司", "business") == "某某科技有限公司"


@pytest.mark.parametrize(
    ("content", "described"),
    [
        (
            "请公开贵局对某公司2025年度的检查记录。",
            "有关本机关对某公司2025年度的检查记录的政府信息",
        ),
        ("申请公开：我家房屋征收补偿方案的政府信息", "有关申请人房屋征收补偿方案的政府信息"),
        ("要求提供你局2024年部门预算", "有关本机关2024年部门预算的政府信息"),
        ("2025年度检查记录", "有关2025年度检查记录的政府信息"),
    ],
)
def test_the_request_is_described_not_quoted(content: str, described: str) -> None:
    assert requested_info(content) == described


REPLIED = date(2026, 3, 20)


def _reply(desk: Desk, code: str, **opts: object) -> str:
    number = desk.register()
    desk.record(number, steps.Reply(on=REPLIED, code=code), REPLIED)
    return desk.issue(number, "reply", today=REPLIED, **opts)[1]


def test_disclosed_now_and_already_public_cite_one_item_each(desk: Desk) -> None:
    text = _reply(desk, "1", variant_code="disclosed_now")
    assert R + "第三十六条第（二）项" in text and "第（一）项" not in text
    text = _reply(
        desk, "1", variant_code="already_public", where="本机关门户网站“法定主动公开内容”栏目"
    )
    assert R + "第三十六条第（一）项" in text and "第（二）项" not in text
    assert "获取该政府信息的方式、途径：本机关门户网站“法定主动公开内容”栏目。" in text


def test_already_public_needs_where(desk: Desk) -> None:
    with pytest.raises(InvalidInput) as err:
        _reply(desk, "1", variant_code="already_public")
    assert err.value.field == "--where"
    assert desk.letters() == []


def test_does_not_exist_and_not_ours(desk: Desk) -> None:
    text = _reply(
        desk,
        "4.1",
        variant_code="not_exist",
        reasons="在本机关公文系统和档案室以“检查记录”为关键词检索",
    )
    assert "该政府信息不存在" in text and "第三十六条第（四）项" in text
    assert "第（五）项" not in text and "以“检查记录”为关键词检索" in text
    text = _reply(
        desk,
        "4.1",
        variant_code="not_ours",
        responsible_agency="广州市市场监督管理局",
        contact="020-1",
    )
    assert "第三十六条第（五）项" in text and "第（四）项" not in text
    assert "广州市市场监督管理局（联系方式：020-1）" in text and "不存在" not in text


def test_unknown_or_missing_variant_names_the_option(desk: Desk) -> None:
    with pytest.raises(InvalidInput) as err:
        _reply(desk, "4.1", variant_code="already_public")
    assert err.value.field == "--variant" and "not_ours" in err.value.message
    with pytest.raises(InvalidInput) as err:
        _reply(desk, "2", withheld="第3页")  # the withheld part's ground is required
    assert err.value.field == "--variant"
    assert desk.letters() == []


def test_partial_states_the_withheld_part_and_its_ground(desk: Desk) -> None:
    text = _reply(
        desk, "2", variant_code="third_party", withheld="检查记录中的个人身份信息",
        reasons="该部分载有被检查单位员工的姓名和身份证号码",
    )  # fmt: skip
    assert "检查记录中的个人身份信息涉及第三方合法权益" in text
    assert "该部分载有被检查单位员工的姓名和身份证号码。" in text
    assert R + "第三十七条、第十五条、第三十六条第（三）项" in text
    # a refusal in part: reconsideration first (行政复议法 第二十三条第一款第（四）项)
    assert "先向广州市人民政府申请行政复议" in text and "第二十三条第一款第（四）项" in text


def test_withdrawal_cites_no_article(desk: Desk) -> None:
    number = desk.register()
    desk.record(number, steps.Withdrawal(on=REPLIED), REPLIED)
    _, text = desk.issue(number, "reply", today=REPLIED)
    assert "您于2026年3月20日撤回该政府信息公开申请，本机关终止办理。" in text
    assert "《条例》的规定" not in text and "公开条例》的规定" not in text
