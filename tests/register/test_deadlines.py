"""`services.deadlines`: engine errors named by option, stored columns, recompute."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from disclosure.db import transaction
from disclosure.errors import Conflict, InvalidInput
from disclosure.services.applications import get_application
from disclosure.services.deadlines import columns, compute_events, option_for, recompute
from disclosure.services.office import Office
from rules.errors import (
    CorrectionOrderError,
    EventAfterClosingError,
    EventBeforeReceiptError,
    ExtensionError,
    PauseOrderError,
)
from rules.events import Event, EventKind
from tests.register.conftest import Cli

RECEIVED = Event(EventKind.RECEIVED, date(2026, 11, 2))


@pytest.mark.parametrize(
    ("error", "option"),
    [
        (EventBeforeReceiptError("x", field="replied"), "--date"),
        (EventAfterClosingError("x", field="extension_granted"), "--date"),
        (ExtensionError("x", field="extend"), "--days"),
        (ExtensionError("x", field="extension"), "--date"),
        (PauseOrderError("x", field="deferred_due"), "--due"),
        (CorrectionOrderError("x", field="correction_received"), "--date"),
    ],
)
def test_engine_fields_become_options(error, option: str) -> None:  # type: ignore[no-untyped-def]
    assert option_for(error) == option


def test_compute_events_maps_errors(office: Office) -> None:
    closing = Event(EventKind.REPLIED, date(2026, 11, 10))
    late = Event(EventKind.EXTENSION_GRANTED, date(2026, 11, 11), days=5, approver="陈")
    with pytest.raises(Conflict) as closed:
        compute_events("", [RECEIVED, closing, late], office)
    assert closed.value.field == "--date"
    too_long = Event(EventKind.EXTENSION_GRANTED, date(2026, 11, 11), days=21, approver="陈")
    with pytest.raises(InvalidInput) as long_:
        compute_events("", [RECEIVED, too_long], office)
    assert long_.value.field == "--days"
    assert compute_events("", [], office) is None  # no receipt yet: nothing to compute


def test_columns(office: Office) -> None:
    d = compute_events("", [RECEIVED], office)
    cols = columns(d)
    assert cols["reply_due"] == date(2026, 11, 30)
    assert cols["correction_notice_due"] == date(2026, 11, 11)  # 7 working days (Art. 30)
    assert cols["next_action_due"] == date(2026, 11, 11)  # the earliest open clock
    assert cols["internal_target"] == date(2026, 11, 23)  # 5 working days before the due date
    assert cols["is_open"] is True and cols["provisional"] is False
    assert columns(None)["reply_due"] is None and "is_open" not in columns(None)


@pytest.mark.usefixtures("engine")
def test_recompute_restores_stored_columns(engine: Engine, office: Office, c: Cli) -> None:
    n = c.register("2026-11-02")["number"]
    with transaction(engine) as s:
        app = get_application(s, n)
        app.reply_due = date(2030, 1, 1)  # a stored value out of step with the log
        recompute(s, app, office)
    with transaction(engine, write=False) as s:
        assert get_application(s, n).reply_due == date(2026, 11, 30)
