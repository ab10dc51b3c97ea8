"""The letter of a recorded step states that step (rulebook §9.2): dated its day, with its
facts; an option that says otherwise refuses, naming it, on a first issue and on a reprint
(which is the stored letter, §9.2). A fee notice states its basis and rate (§7.6)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from disclosure.db import transaction
from disclosure.errors import Conflict, InvalidInput
from disclosure.letters.correct import correct_letter
from disclosure.letters.kinds import KINDS, LetterKind
from disclosure.letters.records import listing
from disclosure.letters.service import LetterOptions, letters_of
from disclosure.services import steps
from disclosure.services.context import Context
from disclosure.services.office import load_office
from tests.conftest import NOW
from tests.letters.conftest import Desk, docx_text

D3, D5, D10 = date(2026, 3, 3), date(2026, 3, 5), date(2026, 3, 10)


def _nothing_issued(desk: Desk, number: str) -> bool:
    return desk.letters() == [] and desk.events(number, "letter_issued") == []


@pytest.mark.parametrize(
    ("step", "kind", "opts"),
    [
        (steps.ConsultationSent(on=D3, party="某公司", served=D3), "consultation", {}),
        (steps.Extension(on=D3, days=10, approver="李主任"), "extension", {}),
        (steps.Reply(on=D3, code="1"), "reply", {"variant_code": "disclosed_now"}),
    ],
    ids=["consultation", "extension", "reply"],
)
def test_another_date_for_a_recorded_step_refuses(
    desk: Desk, step: steps.Step, kind: str, opts: dict
) -> None:
    number = desk.register()
    desk.record(number, step, D3)
    with pytest.raises(Conflict) as err:
        desk.issue(number, kind, on=D5, today=D10, **opts)
    assert err.value.field == "--date"
    assert "2026-03-03" in err.value.message and "2026-03-05" in err.value.message
    assert _nothing_issued(desk, number)
    issued, _ = desk.issue(number, kind, on=D3, today=D10, **opts)  # its own day is fine
    assert issued.letter.issued_on == D3


def test_the_date_order_error_names_the_step_date(desk: Desk) -> None:
    a, b = desk.register(), desk.register()
    desk.record(a, steps.Reply(on=D5, code="1"), D5)
    now = {"variant_code": "disclosed_now"}
    desk.issue(b, "reply", outcome="1", on=D10, today=D10, **now)  # numbered first, dated later
    with pytest.raises(Conflict) as err:
        desk.issue(a, "reply", today=D10, **now)
    assert "文书日期 2026-03-05（已记录的“答复”的日期）早于" in err.value.message
    # the way out: the paper letter of the day goes into the case file
    [reply] = desk.events(a, "replied")
    hint = f"请将其扫描件附入案卷：disclosure attach {a} 文件 --kind other --event {reply.id}"
    assert err.value.message.endswith(hint)


def test_options_that_deny_the_recorded_step_refuse(desk: Desk) -> None:
    number = desk.register()
    desk.record(number, steps.Extension(on=D3, days=10, approver="李主任"), D3)
    with pytest.raises(Conflict) as err:
        desk.issue(number, "extension", days=15, today=D5)
    assert err.value.field == "--days" and "延长 10 个工作日" in err.value.message
    with pytest.raises(Conflict) as err:
        desk.issue(number, "extension", served=D5, today=D5)
    assert err.value.field == "--served" and "serve-letter" in err.value.message
    assert _nothing_issued(desk, number)
    issued, _ = desk.issue(number, "extension", days=10, approver="李主任", today=D5)
    assert issued.new


def test_a_reprint_with_other_step_options_refuses_and_says_how_to_correct(desk: Desk) -> None:
    number = desk.register()
    first, _ = desk.issue(number, "fee", pages=250, on=D3, served=D3, today=D3)
    before = (desk.letters(), desk.events(number, "letter_issued"))
    for opts, option in (({"pages": 300}, "--pages"), ({"nth": 31}, "--nth")):
        with pytest.raises(Conflict) as err:
            desk.issue(number, "fee", today=D5, **opts)
        said = err.value.message
        assert err.value.field == option and first.letter.reference in said
        assert "按量计收 250 页" in said
        assert f"disclosure letter correct {number} --reference {first.letter.reference}" in said
    with pytest.raises(Conflict) as err:
        desk.issue(number, "fee", amount=100, today=D5)
    assert err.value.field == "--amount" and "4700 元" in err.value.message
    assert (desk.letters(), desk.events(number, "letter_issued")) == before
    # the same options as the first issue: the stored letter, byte for byte
    again, _ = desk.issue(number, "fee", pages=250, served=D3, today=D5)
    assert not again.new and again.render() == first.render()


def _amount_only(desk: Desk) -> str:
    number = desk.register()
    desk.record(number, steps.FeeNotice(on=D3, amount=200, served=D3), D3)
    return number


def test_a_fee_recorded_with_only_its_amount_asks_for_the_basis(desk: Desk) -> None:
    number = _amount_only(desk)
    with pytest.raises(InvalidInput) as err:
        desk.issue(number, "fee", today=D5)
    said = err.value.message
    assert err.value.field == "--pages" and "--pages" in said and "--nth" in said
    assert "200 元" in said
    with pytest.raises(Conflict) as err:
        desk.issue(number, "fee", pages=250, today=D5)  # 4700 yuan, not the recorded 200
    assert err.value.field == "--pages" and "4700 元" in err.value.message
    assert _nothing_issued(desk, number)
    issued, text = desk.issue(number, "fee", pages=50, today=D5)
    assert "计收方式：按量计收。" in text and "201页以上的部分每页40元" in text
    assert "人民币200元（共50页：31至50页20页×10元）" in text
    assert "本机关确定" not in text  # no placeholder words
    assert "第五条" in text  # the scale used (rulebook §7.3–7.4)
    assert issued.letter.data["fee_basis"] == "volume"
    [ev] = desk.events(number, "fee_notice_sent")
    assert "fee_basis" not in ev.data  # the recorded step is not rewritten
    again, _ = desk.issue(number, "fee", today=D10)  # a reprint needs nothing more
    assert again.render() == issued.render()


def test_a_correction_may_state_the_basis_anew(desk: Desk) -> None:
    number = _amount_only(desk)
    old, _ = desk.issue(number, "fee", pages=50, today=D5)
    with transaction(desk.engine) as s:
        fixed = correct_letter(
            s,
            ctx=Context(load_office(s, desk.settings), D10, "t", NOW),
            number=number,
            reference=old.letter.reference,
            reason="计收方式有误",
            options=LetterOptions(nth=31),
        )
        text = docx_text(fixed.render())
    assert "计收方式：按件计收。" in text and "本月第31件申请，每件200元" in text
    assert "原文书同时作废" in text


def test_a_fee_letter_with_only_an_amount_records_nothing(desk: Desk) -> None:
    number = desk.register()
    with pytest.raises(InvalidInput) as err:
        desk.issue(number, "fee", amount=200, today=D5)
    assert err.value.field == "--amount" and "--pages" in err.value.message
    assert desk.events(number, "fee_notice_sent") == [] and _nothing_issued(desk, number)


def test_letters_are_named_by_their_own_names(desk: Desk) -> None:
    """The descriptive label is for choosing a kind; files, lists and the ledger use the name."""
    assert KINDS[LetterKind.REPLY].name == "答复书"
    assert KINDS[LetterKind.REPLY].label == "答复书（按记录的答复结果）"
    assert all("（" not in info.name for info in KINDS.values())
    number = desk.register()
    issued, _ = desk.issue(
        number, "reply", outcome="1", on=D5, today=D5, variant_code="disclosed_now"
    )
    with transaction(desk.engine, write=False) as s:
        [row] = listing(letters_of(s, number))
    assert row.name == "答复书"
    [line] = desk.events(number, "letter_issued")
    assert line.note == f"答复书 {issued.letter.reference}"


ENGLISH = re.compile(r"(?<![-\w])[A-Za-z]{3,}")


def _english(message: str) -> list[str]:
    """English words in a message, the option names (--where) aside."""
    return ENGLISH.findall(re.sub(r"--[a-z-]+", "", message))


@pytest.mark.parametrize(
    ("kind", "opts", "field"),
    [
        ("reply", {"outcome": "1", "variant_code": "already_public"}, "--where"),
        ("fee", {"pages": 40, "nth": 12}, "--pages"),
    ],
    ids=["where", "one-scale"],
)
def test_letter_messages_are_chinese_only(desk: Desk, kind: str, opts: dict, field: str) -> None:
    number = desk.register()
    with pytest.raises(InvalidInput) as err:
        desk.issue(number, kind, on=D5, today=D5, **opts)
    assert err.value.field == field and _english(err.value.message) == []


def test_a_correction_notice_after_the_reply_date_does_not_promise_a_fresh_period(
    desk: Desk,
) -> None:
    """Rulebook §11.3a: received 3/2, due 3/30; a notice on 3/31 leaves 3/30 in force, so its
    letter does not say the period runs from the corrected application (one on 3/5 does)."""
    late, early = desk.register(), desk.register()
    restart = "答复期限自本机关收到补正后的申请之日起计算"
    after, before = date(2026, 3, 31), date(2026, 3, 5)
    desk.record(late, steps.CorrectionRequested(on=after, served=after), after)
    desk.record(early, steps.CorrectionRequested(on=before, served=before), before)
    _, text = desk.issue(early, "correction", on=before, today=after)  # 文号 in date order
    assert restart in text
    _, text = desk.issue(late, "correction", on=after, today=after)
    assert restart not in text and "将补正后的申请提交本机关。无正当理由逾期不补正的" in text
