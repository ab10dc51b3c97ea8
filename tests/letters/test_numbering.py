"""Serial numbers (文号): gapless per series and year, kept on regeneration (rulebook §9)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from disclosure.letters.models import Letter
from tests.conftest import NOW
from tests.letters.conftest import Desk


def test_gapless_per_series_and_kept_on_regeneration(desk: Desk) -> None:
    numbers = [desk.register() for _ in range(3)]
    refs = [desk.issue(n, "receipt")[0].letter.reference for n in numbers]
    assert refs == [f"穗应急依申告〔2026〕{i}号" for i in (1, 2, 3)]
    again, text = desk.issue(numbers[0], "receipt", today=date(2026, 3, 9))
    assert not again.new and again.letter.reference == refs[0]
    assert "2026年3月5日" in text  # the letter keeps its date too
    # Another series counts on its own; the notice series continues without a gap.
    assert desk.issue(numbers[0], "consultation", party="甲公司")[0].letter.serial == 1
    assert desk.issue(numbers[1], "art35")[0].letter.reference == "穗应急依申告〔2026〕4号"
    assert [le.serial for le in desk.letters() if le.series == "notice"] == [1, 2, 3, 4]
    # Only the first issue is written to the ledger.
    assert len(desk.events(numbers[0], "letter_issued")) == 2


def test_new_year_starts_at_one(desk: Desk) -> None:
    late = desk.register(received=date(2026, 12, 28))
    assert desk.issue(late, "receipt", today=date(2026, 12, 30))[0].letter.serial == 1
    desk.issue(desk.register(received=date(2026, 12, 31)), "receipt", today=date(2026, 12, 31))
    issued, text = desk.issue(late, "art35", today=date(2027, 1, 5))
    assert issued.letter.reference == "穗应急依申告〔2027〕1号"
    assert "2027年1月5日" in text


def test_pattern_from_settings(desk: Desk) -> None:
    desk.settings.letters.serial_pattern = "{abbr}函〔{year}〕第{n:03d}号（{series}）"
    number = desk.register()
    assert desk.issue(number, "receipt")[0].letter.reference == "穗应急函〔2026〕第001号（依申告）"


def test_database_refuses_a_duplicate_serial(desk: Desk) -> None:
    a, b = desk.register(), desk.register()
    first = desk.issue(a, "receipt")[0].letter
    other = desk.app(b)
    with Session(desk.engine) as s, pytest.raises(IntegrityError):
        s.add(
            Letter(
                application_id=other.id,
                kind="art35",
                series=first.series,
                year=first.year,
                serial=first.serial,
                reference="dup",
                issued_on=first.issued_on,
                data={},
                created_at=NOW,
                updated_at=NOW,
            )
        )
        s.commit()
