"""`services.deadlines`: engine errors named by the step's field, stored columns, recompute."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from disclosure.db import transaction
from disclosure.errors import Conflict, InvalidInput
from disclosure.services import steps
from disclosure.services.deadlines import columns, compute_events, recompute
from disclosure.services.lookup import get_application
from disclosure.services.office import Office
from rules.events import Event, EventKind
from tests.register.conftest import Cli

RECEIVED = Event(EventKind.RECEIVED, date(2026, 11, 2))


DAY = date(2026, 11, 10)


@pytest.mark.parametrize(
    ("step", "engine_field", "field"),
    [
        (steps.Reply(on=DAY, code="1"), "replied", "on"),
        (steps.Extension(on=DAY, days=5, approver="陈"), "days", "days"),
        (steps.Extension(on=DAY, days=5, approver="陈"), "extension", "on"),
        (steps.Deferral(on=DAY, due=date(2026, 12, 31)), "due", "due"),
        (steps.CorrectionReceived(on=DAY), "correction_received", "on"),
    ],
    ids=["reply date", "extension days", "extension date", "Art. 35 deadline", "correction"],
)
def test_engine_errors_name_the_steps_field(
    step: steps.Step, engine_field: str, field: str
) -> None:
    assert step.field_for(engine_field) == field


def test_compute_events_maps_errors(office: Office) -> None:
    closing = Event(EventKind.REPLIED, date(2026, 11, 10))
    late = Event(EventKind.EXTENSION_GRANTED, date(2026, 11, 11), days=5, approver="陈")
    with pytest.raises(Conflict) as closed:
        compute_events("", [RECEIVED, closing, late], office)
    assert closed.value.field == "on"  # the engine names the event's attribute
    too_long = Event(EventKind.EXTENSION_GRANTED, date(2026, 11, 11), days=21, approver="陈")
    with pytest.raises(InvalidInput) as long_:
        compute_events("", [RECEIVED, too_long], office)
    assert long_.value.field == "days"
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
