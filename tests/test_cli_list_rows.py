"""`disclosure list --json`'s rows (listing_stream.RowDicts) equal the read model's
`listed(row, …).as_dict()`, key order included, on every kind of row."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

import pytest

from disclosure.calendar_source import make_calendar
from disclosure.models import Department
from disclosure.services import listing_stream
from disclosure.services.listing_stream import RowDicts
from disclosure.services.office import Office
from disclosure.services.queries import ListRow
from disclosure.services.read_model import listed
from disclosure.settings import Settings
from disclosure.vocabulary import Stage

TODAY = date(2026, 3, 23)
DEPS = {
    1: Department(id=1, code="zcfg", name="政策法规处"),
    2: Department(id=2, code="hbc", name="环境保护处"),
}
D = [None, TODAY - timedelta(days=9), TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=4)]
PAUSES = [(None, None), (TODAY - timedelta(days=2), TODAY + timedelta(days=3)),
          (TODAY - timedelta(days=20), TODAY - timedelta(days=10)), (TODAY, None)]  # fmt: skip
CONTENTS = ["", "短", "第1号  申请\n内容\t有空白", "很长的申请内容" * 20]


def _row(i: int, rnd: random.Random, **fixed: object) -> ListRow:
    values = {
        "id": i,
        "number": f"2026-{i:05d}",
        "stage": rnd.choice([s.value for s in Stage]),
        "channel": rnd.choice(["online", "letter", "in_person"]),
        "applicant_name": rnd.choice(["张三", "某某公司", ""]),
        "applicant_type": rnd.choice(["citizen", "organisation"]),
        "content": rnd.choice(CONTENTS),
        "lead_department_id": rnd.choice([None, 1, 2, 99]),
        "arrived_on": rnd.choice(D),
        "received_on": rnd.choice(D),
        "reply_due": rnd.choice(D),
        "next_action_due": rnd.choice(D),
        "internal_target": rnd.choice(D),
        "provisional": rnd.choice([True, False]),
        "is_open": rnd.choice([True, False]),
        "paused_from": None,
        "paused_until": None,
        "awaiting_correction": rnd.choice([True, False]),
        "closed_on": rnd.choice(D),
        "closed_on_time": rnd.choice([None, True, False]),
        "outcome": rnd.choice([None, "granted", "refused"]),
    }
    values["paused_from"], values["paused_until"] = rnd.choice(PAUSES)
    values.update(fixed)
    return ListRow(**values)  # type: ignore[arg-type]


def _rows() -> list[ListRow]:
    rnd = random.Random(19)
    rows = [_row(i, rnd) for i in range(1500)]
    # Every combination of what the deadline state reads, once.
    combos = itertools.product(
        [None, TODAY], [True, False], [None, True, False], D, [True, False], PAUSES
    )
    for j, (received, is_open, on_time, due, awaiting, (p0, p1)) in enumerate(combos):
        rows.append(
            _row(10_000 + j, rnd, received_on=received, is_open=is_open, closed_on_time=on_time,
                 reply_due=due, awaiting_correction=awaiting, paused_from=p0, paused_until=p1)
        )  # fmt: skip
    return rows


@pytest.fixture(scope="module")
def office() -> Office:
    settings = Settings()
    return Office(settings, make_calendar(settings))


@pytest.mark.parametrize("kept", [listing_stream.DEADLINES_KEPT, 3])
def test_row_dicts_equal_the_read_model(office: Office, kept: int, monkeypatch) -> None:
    monkeypatch.setattr(listing_stream, "DEADLINES_KEPT", kept)  # 3: the cache is cleared often
    as_dict = RowDicts(office, TODAY, DEPS)  # one object for all rows: its caches are used
    for row in _rows():
        expected = listed(row, office, TODAY, DEPS).as_dict()
        got = as_dict(tuple(row))
        assert got == expected, row
        assert list(got) == list(expected)


def test_unknown_stage_fails_as_the_read_model_does(office: Office) -> None:
    row = _row(1, random.Random(1), stage="bogus")
    with pytest.raises(ValueError):
        listed(row, office, TODAY, DEPS)
    with pytest.raises(ValueError):
        RowDicts(office, TODAY, DEPS)(tuple(row))
