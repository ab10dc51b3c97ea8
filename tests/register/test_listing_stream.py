"""The streamed list rows are the list command's rows, byte for byte, in order and paged."""

from __future__ import annotations

import io
import json
from datetime import date

from disclosure.cli.output import emit_json
from disclosure.db import transaction
from disclosure.services.listing_stream import write_list_json
from disclosure.services.queries import ListFilter, department_names, list_application_rows
from disclosure.services.read_model import listed
from tests.notifier.conftest import register

TODAY = date(2026, 3, 23)


def test_stream_equals_the_list_command(engine, settings, office, capsys, monkeypatch):
    monkeypatch.setattr("disclosure.services.listing_stream.BATCH", 3)  # several batches
    for i, dep in enumerate(["zcfg", "hbc", None, "zcfg", None, "hbc", "zcfg"]):
        register(engine, settings, received=date(2026, 3, 2 + i), department=dep,
                 content=f"第{i}号  申请\n内容" * (i + 1))  # fmt: skip
    register(engine, settings, received=None, arrived=date(2026, 3, 20))  # no reply due yet
    for flt in (ListFilter(), ListFilter(limit=3, offset=2), ListFilter(open_only=True)):
        with transaction(engine, write=False) as s:
            deps = department_names(s)
            expected = [
                listed(a, office, TODAY, deps).as_dict()
                for a in list_application_rows(s, office=office, today=TODAY, flt=flt)
            ]
            emit_json(expected)
            printed = capsys.readouterr().out
            out = io.BytesIO()
            n = write_list_json(s, office=office, today=TODAY, flt=flt, write=out.write)
        assert out.getvalue().decode() + "\n" == printed
        assert n == len(expected) == len(json.loads(printed))
    assert n == 8
