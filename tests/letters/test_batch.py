"""`issue_many`: a batch of letters in one transaction, the same letters as one at a time."""

from __future__ import annotations

from datetime import date

import pytest

from disclosure.db import transaction
from disclosure.errors import Conflict, NotFound
from disclosure.letters.service import IssuedLetter, LetterOptions, LetterRequest, issue_many
from disclosure.services.context import Context
from disclosure.services.office import load_office
from tests.conftest import NOW
from tests.letters.conftest import Desk, docx_text

TODAY = date(2026, 3, 5)


def batch(desk: Desk, requests: list[LetterRequest]) -> list[tuple[IssuedLetter, str]]:
    with transaction(desk.engine) as s:
        office = load_office(s, desk.settings)
        issued = issue_many(s, requests=requests, ctx=Context(office, TODAY, "t", NOW))
        return [(i, docx_text(i.render())) for i in issued]


def test_batch_numbers_in_order_and_records_each_step(desk: Desk) -> None:
    a, b, c = (desk.register() for _ in range(3))
    items = LetterOptions(items=("请说明所需信息的名称",), served=TODAY)  # handed over
    out = batch(
        desk,
        [
            LetterRequest(a, "correction", items),
            LetterRequest(b, "receipt"),
            LetterRequest(c, "fee", LetterOptions(pages=250)),
        ],
    )
    assert [i.letter.reference for i, _ in out] == [f"穗应急依申告〔2026〕{n}号" for n in (1, 2, 3)]
    # correction period 15 working days from service Thu 3/5: due Thu 3/26 (no holidays)
    assert "2026年3月26日" in out[0][1] and "请说明所需信息的名称" in out[0][1]
    assert "A<B & C公司：" in out[1][1]
    assert "共250页" in out[2][1]
    assert len(desk.events(a, "correction_requested")) == 1
    assert len(desk.events(c, "fee_notice_sent")) == 1
    assert desk.app(a).awaiting_correction
    assert [len(desk.events(n, "letter_issued")) for n in (a, b, c)] == [1, 1, 1]


def test_batch_meeting_an_application_twice_sees_its_own_letter(desk: Desk) -> None:
    a, b = desk.register(), desk.register()
    out = batch(
        desk,
        [
            LetterRequest(a, "correction"),
            LetterRequest(b, "receipt"),
            LetterRequest(a, "correction"),  # asked again: the issued letter, as it is
            LetterRequest(a, "receipt"),
        ],
    )
    first, again, receipt = out[0][0], out[2][0], out[3][0]
    assert first.new and not again.new
    assert again.letter.reference == first.letter.reference
    assert receipt.letter.serial == 3  # the regeneration took no number
    assert len(desk.events(a, "correction_requested")) == 1
    assert out[2][0].render() == out[0][0].render()
    # the receipt issued after the correction in the same batch tells of it
    assert "告知您补正申请内容" in out[3][1]


def test_a_batch_that_would_rewrite_an_issued_letter_writes_nothing(desk: Desk) -> None:
    a = desk.register()
    batch(desk, [LetterRequest(a, "correction")])
    before = desk.letters()
    with pytest.raises(Conflict) as err:
        batch(
            desk,
            [
                LetterRequest(a, "receipt"),
                LetterRequest(a, "correction", LetterOptions(note="再次")),
            ],
        )
    assert err.value.field == "--note"
    assert desk.letters() == before


def test_a_failing_request_writes_nothing(desk: Desk) -> None:
    a = desk.register()
    with pytest.raises(NotFound) as err:
        batch(desk, [LetterRequest(a, "correction"), LetterRequest("2026-99999", "receipt")])
    assert "2026-99999" in err.value.message
    assert desk.letters() == [] and desk.events(a, "correction_requested") == []
    # the numbers went back too: the next letter is number 1
    assert desk.issue(a, "receipt")[0].letter.serial == 1


def test_batch_letter_equals_single_letter(desk: Desk) -> None:
    a, b = desk.register(), desk.register()
    single_issued, single = desk.issue(a, "fee", pages=120)
    ((batch_issued, batched),) = batch(desk, [LetterRequest(b, "fee", LetterOptions(pages=120))])
    assert single_issued.letter.serial == 1 and batch_issued.letter.serial == 2
    normalise = {a: "N", b: "N", "〔2026〕1号": "R", "〔2026〕2号": "R"}
    for old, new in normalise.items():
        single, batched = single.replace(old, new), batched.replace(old, new)
    assert batched == single
