"""`disclosure list --json` (listing_stream.write_list_json) writes the text the read model's
dictionaries make, byte for byte, on every kind of row, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import itertools
import json
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from disclosure.db import transaction
from disclosure.models import Application, Department
from disclosure.services import listing_stream
from disclosure.services.listing_stream import JSON_COLUMNS, RowJson, write_list_json
from disclosure.services.queries import (
    ListFilter,
    ListRow,
    department_names,
    list_application_rows,
)
from disclosure.services.read_model import listed
from disclosure.vocabulary import ApplicantType, Channel, Stage

TODAY = date(2026, 3, 23)
NOW = datetime(2026, 3, 23, 1, 0, tzinfo=UTC)
D = [None, TODAY - timedelta(days=9), TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=4)]
PAUSES = [(None, None), (TODAY - timedelta(days=2), TODAY + timedelta(days=3)),
          (TODAY - timedelta(days=20), TODAY - timedelta(days=10)), (TODAY, None)]  # fmt: skip
CONTENTS = [
    "",
    "短",
    "第1号  申请\n内容\t有空白",
    "很长的申请内容" * 20,
    'quote " back \\ \x01 \u2028 end',
]
NAMES = ["张三", "某某公司", "", 'O"Brien \\ \t', "emoji 😀"]


def _rows(dep_ids: list[int]) -> list[dict[str, object]]:
    rnd = random.Random(19)
    combos = list(itertools.product(
        [None, TODAY], [True, False], [None, True, False], D, [True, False], PAUSES
    ))  # fmt: skip
    rows = []
    for i in range(1, 1500 + len(combos) + 1):
        v: dict[str, object] = {
            "id": i, "number": f"2026-{i:05d}" if i % 7 else f'号"{i}\\', "year": 2026, "seq": i,
            "stage": rnd.choice([s.value for s in Stage]),
            "channel": rnd.choice([c.value for c in Channel]),
            "applicant_name": rnd.choice(NAMES),
            "applicant_type": rnd.choice([a.value for a in ApplicantType]),
            "content": rnd.choice(CONTENTS) + str(i % 3),
            "lead_department_id": rnd.choice([None, *dep_ids]),
            "arrived_on": rnd.choice(D), "received_on": rnd.choice(D), "reply_due": rnd.choice(D),
            "next_action_due": rnd.choice(D), "internal_target": rnd.choice(D),
            "provisional": rnd.choice([True, False]), "is_open": rnd.choice([True, False]),
            "awaiting_correction": rnd.choice([True, False]), "closed_on": rnd.choice(D),
            "closed_on_time": rnd.choice([None, True, False]),
            "outcome": rnd.choice([None, "granted", "refused"]),
            "created_at": NOW, "updated_at": NOW, "cooperating": [],
        }  # fmt: skip
        v["paused_from"], v["paused_until"] = rnd.choice(PAUSES)
        if i > 1500:
            received, is_open, on_time, due, awaiting, (p0, p1) = combos[i - 1501]
            v.update(received_on=received, is_open=is_open, closed_on_time=on_time, reply_due=due,
                     awaiting_correction=awaiting, paused_from=p0, paused_until=p1)  # fmt: skip
        rows.append(v)
    return rows


@pytest.mark.parametrize("kept", [10_000, 3])
def test_text_equals_the_read_model(engine, office, monkeypatch, kept) -> None:
    monkeypatch.setattr(listing_stream, "BATCH", 97)
    monkeypatch.setattr(listing_stream, "DEADLINES_KEPT", kept)
    monkeypatch.setattr(listing_stream, "DAYS_KEPT", kept)
    with transaction(engine) as s:
        dep_ids = list(s.execute(select(Department.id)).scalars())
        s.execute(insert(Application), _rows(dep_ids))
    flts = [ListFilter(), ListFilter(limit=50, offset=7), ListFilter(open_only=True),
            ListFilter(limit=0), ListFilter(overdue=True),
            ListFilter(stage=Stage.REPLIED)]  # fmt: skip
    for flt in flts:
        with transaction(engine, write=False) as s:
            deps = department_names(s)
            expected = [
                listed(a, office, TODAY, deps).as_dict()
                for a in list_application_rows(s, office=office, today=TODAY, flt=flt)
            ]
            out = io.BytesIO()
            n = write_list_json(s, office=office, today=TODAY, flt=flt, write=out.write)
        assert out.getvalue().decode() == json.dumps(expected, ensure_ascii=False, default=str), flt
        assert n == len(expected)
    assert len(expected) or flt.stage


def test_unknown_stage_fails_as_the_read_model_does(office) -> None:
    """(The databases' check constraint keeps such a stage out; the code does not rely on it.)"""
    values = _rows([])[0] | {"stage": "bogus"}
    row = ListRow(*(values[name] for name in ListRow._fields))
    with pytest.raises(ValueError):
        listed(row, office, TODAY, {})
    as_json = RowJson(office, TODAY, {}, [None] * len(JSON_COLUMNS))
    with pytest.raises(ValueError):
        as_json.batch([tuple(row)[1:]])
