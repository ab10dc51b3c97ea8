"""Issued letters are records (rulebook §9): stored once, reprinted byte for byte, corrected
only by a new, separately numbered letter that names the one it corrects."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import text

from disclosure.db import transaction
from disclosure.errors import Conflict, InvalidInput, NotFound
from disclosure.letters.correct import correct_letter
from disclosure.letters.records import listing
from disclosure.letters.service import LetterOptions, LetterRequest, issue_many, letters_of
from disclosure.services import steps
from disclosure.services.context import Context
from disclosure.services.office import load_office
from disclosure.storage import file_store
from tests.conftest import NOW
from tests.letters.conftest import Desk, docx_text


def correct(desk: Desk, number: str, reference: str, reason: str, today: date, **opts: object):  # type: ignore[no-untyped-def]
    with transaction(desk.engine) as s:
        office = load_office(s, desk.settings)
        issued = correct_letter(
            s,
            ctx=Context(office, today, "t", NOW),
            number=number,
            reference=reference,
            reason=reason,
            options=LetterOptions(**opts),  # type: ignore[arg-type]
        )
        return issued, docx_text(issued.render())


def stored_files(desk: Desk) -> list[str]:
    return sorted(file_store(desk.settings).digests())


def test_reprint_is_the_stored_file_byte_for_byte(desk: Desk) -> None:
    number = desk.register()
    first, _ = desk.issue(number, "receipt", on=date(2026, 3, 2), today=date(2026, 3, 2))
    content = first.render()
    assert first.letter.docx_sha256 == hashlib.sha256(content).hexdigest()
    assert first.letter.docx_sha256 in stored_files(desk)
    assert first.letter.facts["reference"] == first.letter.reference
    # The case moves on: a correction asked and received, an extension granted.
    desk.record(number, steps.CorrectionRequested(on=date(2026, 3, 10)), date(2026, 3, 10))
    desk.record(number, steps.CorrectionReceived(on=date(2026, 3, 12)), date(2026, 3, 12))
    again, text = desk.issue(number, "receipt", today=date(2026, 4, 1))
    assert not again.new and again.letter.id == first.letter.id
    assert again.render() == content
    assert "补正" not in text  # the receipt of 3/2 knows nothing of 3/10


def test_a_first_issue_recites_only_what_happened_by_its_date(desk: Desk) -> None:
    number = desk.register()
    desk.record(number, steps.CorrectionRequested(on=date(2026, 3, 10)), date(2026, 3, 10))
    _, text = desk.issue(number, "receipt", on=date(2026, 3, 2), today=date(2026, 3, 20))
    assert "补正" not in text
    # Received Mon 3/2: 20 working days → Mon 3/30 (rulebook §2), as on the receipt's own day.
    assert "即2026年3月30日前作出答复" in text


def test_a_reprint_with_another_date_or_text_refuses(desk: Desk) -> None:
    number = desk.register()
    issued, _ = desk.issue(number, "correction", on=date(2026, 3, 4), items=("请说明时间范围",))
    before = (desk.letters(), stored_files(desk))
    with pytest.raises(Conflict) as err:
        desk.issue(number, "correction", on=date(2026, 3, 5))
    assert err.value.field == "--date" and issued.letter.reference in err.value.message
    with pytest.raises(Conflict) as err:
        desk.issue(number, "correction", items=("另一项",))
    assert err.value.field == "--item"
    assert (desk.letters(), stored_files(desk)) == before


def test_a_correction_is_a_new_letter_naming_the_old_one(desk: Desk) -> None:
    number = desk.register()
    old, old_text = desk.issue(number, "correction", on=date(2026, 3, 4), items=("请说明检查对象",))
    old_bytes = old.render()
    new, text = correct(
        desk,
        number,
        old.letter.reference,
        "补正事项漏列时间范围",
        date(2026, 3, 5),
        items=("请说明检查对象", "请说明时间范围"),
    )
    assert new.new and new.letter.reference == "穗应急依申告〔2026〕2号"
    assert new.letter.corrects_id == old.letter.id
    assert "本文书更正本机关2026年3月4日出具的穗应急依申告〔2026〕1号，原文书同时作废" in text
    assert "2．请说明时间范围" in text and "更正" not in old_text
    # The old letter is untouched, its stored file still there; a reprint gives the new one.
    [first, second] = desk.letters()
    assert first.docx_sha256 == hashlib.sha256(old_bytes).hexdigest()
    assert first.docx_sha256 in stored_files(desk)
    reprint, _ = desk.issue(number, "correction", today=date(2026, 3, 6))
    assert reprint.letter.id == second.id and reprint.render() == new.render()
    with transaction(desk.engine, write=False) as s:
        rows = [r.as_dict() for r in listing(letters_of(s, number))]
    assert [(r["reference"], r["corrects"], r["corrected_by"]) for r in rows] == [
        ("穗应急依申告〔2026〕1号", None, "穗应急依申告〔2026〕2号"),
        ("穗应急依申告〔2026〕2号", "穗应急依申告〔2026〕1号", None),
    ]
    assert rows[1]["correction_reason"] == "补正事项漏列时间范围"
    assert [e.note for e in desk.events(number, "letter_issued")][-1].endswith(
        "（更正 穗应急依申告〔2026〕1号）"
    )
    # Only the letter in force can be corrected, once per correction.
    with pytest.raises(Conflict) as err:
        correct(desk, number, old.letter.reference, "再次更正", date(2026, 3, 6))
    assert err.value.field == "reference"


@pytest.mark.parametrize(
    ("reference", "reason", "on", "error", "field"),
    [
        ("穗应急依申告〔2026〕1号", "  ", date(2026, 3, 5), InvalidInput, "reason"),
        ("穗应急依申告〔2026〕9号", "笔误", date(2026, 3, 5), NotFound, "reference"),
        ("穗应急依申告〔2026〕1号", "笔误", date(2026, 3, 3), Conflict, "--date"),
    ],
    ids=["no-reason", "unknown-reference", "dated-before-the-corrected"],
)
def test_bad_corrections_write_nothing(
    desk: Desk, reference: str, reason: str, on: date, error: type, field: str
) -> None:
    number = desk.register()
    desk.issue(number, "correction", on=date(2026, 3, 4))
    before = (desk.letters(), stored_files(desk), desk.events(number, "letter_issued"))
    with pytest.raises(error) as err:
        correct(desk, number, reference, reason, date(2026, 3, 5), on=on)
    assert err.value.field == field
    assert (desk.letters(), stored_files(desk), desk.events(number, "letter_issued")) == before


def test_numbers_follow_the_letters_dates(desk: Desk) -> None:
    a, b = desk.register(), desk.register()
    desk.issue(a, "receipt", on=date(2026, 3, 5))
    with pytest.raises(Conflict) as err:
        desk.issue(b, "receipt", on=date(2026, 3, 3))
    assert err.value.field == "on" and "穗应急依申告〔2026〕1号" in err.value.message
    same_day, _ = desk.issue(b, "receipt", on=date(2026, 3, 5))
    assert same_day.letter.serial == 2


def test_a_failed_batch_leaves_no_stored_file(desk: Desk) -> None:
    a = desk.register(content="只在这一批次出现的申请内容")  # bytes no other test stores
    before = stored_files(desk)  # the store is the office's, shared by these tests' config
    with pytest.raises(NotFound), transaction(desk.engine) as s:
        office = load_office(s, desk.settings)
        issue_many(
            s,
            ctx=Context(office, date(2026, 3, 5), "t", NOW),
            requests=[LetterRequest(a, "receipt"), LetterRequest("2026-99999", "receipt")],
        )
    assert desk.letters() == [] and stored_files(desk) == before


def test_a_letter_numbered_before_stored_files_is_frozen_as_of_its_date(desk: Desk) -> None:
    """Migration 0014: such a letter has no stored file; its first print stores it."""
    number = desk.register()
    issued, _ = desk.issue(number, "receipt", on=date(2026, 3, 2), today=date(2026, 3, 2))
    with desk.engine.begin() as conn:
        conn.execute(text("UPDATE letter SET docx_sha256 = NULL, facts = '{}'"))
    desk.record(number, steps.CorrectionRequested(on=date(2026, 3, 10)), date(2026, 3, 10))
    first, text1 = desk.issue(number, "receipt", today=date(2026, 3, 20))
    assert first.letter.docx_sha256 is not None and "补正" not in text1
    assert first.letter.reference == issued.letter.reference
    second, _ = desk.issue(number, "receipt", today=date(2026, 4, 20))
    assert second.render() == first.render()


def test_a_letter_prints_no_date_it_could_not_know(desk: Desk) -> None:
    """The fee notice of Thu 3/5 reached the applicant Mon 3/9: the period runs from then
    (rulebook §7), but the letter of 3/5 cannot have known it; a later letter can."""
    number = desk.register()
    notice = steps.FeeNotice(on=date(2026, 3, 5), amount=100, served=date(2026, 3, 9))
    desk.record(number, notice, date(2026, 3, 9))
    # recorded with only its amount: the letter gives the basis (rulebook §7.6)
    _, text = desk.issue(number, "fee", nth=11, today=date(2026, 3, 10))
    assert "请您自收到本通知的次日起20个工作日内缴纳" in text and "即2026年" not in text
    _, art35 = desk.issue(number, "art35", due=date(2026, 3, 20), today=date(2026, 3, 10))
    # Served Mon 3/9: day 1 is Tue 3/10, day 19 Fri 4/3; 清明 4/4–4/6 are rest days, so
    # day 20 is Tue 4/7.
    assert "缴费期限至2026年4月7日" in art35


def test_a_reply_after_payment_says_it_was_paid(desk: Desk) -> None:
    """Once paid, the fee's period is spent: the reply tells the payment, not a deadline it
    might be read to demand (trial of 2026-12-03); before payment it gives the deadline."""
    number = desk.register()
    notice = steps.FeeNotice(
        on=date(2026, 3, 5),
        amount=100,
        served=date(2026, 3, 9),
        basis={"fee_basis": "item", "nth": 11},
    )
    desk.record(number, notice, date(2026, 3, 9))
    _, before = desk.issue(number, "art35", due=date(2026, 3, 20), today=date(2026, 3, 10))
    assert "应缴金额100元，缴费期限至2026年4月7日" in before and "缴纳。" not in before
    desk.record(number, steps.FeePaid(on=date(2026, 3, 12)), date(2026, 3, 12))
    _, text = desk.issue(
        number, "reply", outcome="1", variant_code="disclosed_now", today=date(2026, 3, 16)
    )
    assert "应缴金额100元，您已于2026年3月12日缴纳。" in text
    assert "缴费期限" not in text
