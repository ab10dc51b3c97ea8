"""The dashboard shows what the reminder e-mails warn about beyond the reply deadline: internal
targets passed (and those escalated to the leaders) and arrivals awaiting confirmation —
counted from the same facts as the scan, so the two never disagree."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sqlmodel import select

from disclosure.db import transaction
from disclosure.services.office import load_office
from disclosure.settings import Leader
from notifier.models import OutboxItem
from notifier.scan import collect
from tests.notifier.conftest import register
from tests.web.conftest import TODAY

LEADER = "leader@example.gov.cn"


def _tile(html: str, tile: str) -> tuple[int, str]:
    """The figure of a dashboard tile and its note ('' when none)."""
    found = re.search(
        rf'id="tile-{tile}"[^>]*><b>(\d+)</b><span>[^<]*</span>(?:<small>([^<]*))?', html
    )
    assert found, tile
    return int(found.group(1)), found.group(2) or ""


def _scan(engine, settings) -> dict[str, set[int]]:  # type: ignore[no-untyped-def]
    """Applications the reminder scan queues today, by clock and threshold kind."""
    with transaction(engine, write=False) as s:
        office = load_office(s, settings)
    collect(engine, office, today=TODAY, now=datetime(2026, 3, 5, 0, 30, tzinfo=UTC))
    out: dict[str, set[int]] = {}
    with transaction(engine, write=False) as s:
        for row in s.exec(select(OutboxItem)):
            out.setdefault(f"{row.clock} {row.threshold.split(':')[0]}", set()).add(
                row.application_id
            )
    return out


def test_the_dashboard_counts_what_the_reminders_escalate(client_for, engine, settings) -> None:  # type: ignore[no-untyped-def]
    settings.notifier.leaders = [Leader(name="李主任", email=LEADER)]
    # Internal target (5 working days before the reply deadline) on Sat 02-28, a working day
    # (调休): 4 working days late on Thu 03-05, the reply deadline still a day ahead.
    register(engine, settings, received=date(2026, 2, 2), department="zcfg")
    register(engine, settings, received=date(2026, 2, 5), department="hbc")  # 1 day late
    register(engine, settings, received=date(2026, 2, 6), department="zcfg")  # due today
    register(engine, settings, received=None, arrived=date(2026, 3, 3), department="zcfg")
    register(engine, settings, received=None, arrived=TODAY, department="hbc")  # arrived today
    page = client_for("clerk").get("/").text
    assert _tile(page, "internal-target") == (2, "1 件报领导督办")
    assert _tile(page, "unconfirmed") == (2, "1 件送达日已过")
    assert "<b>0</b><span>已超期</span>" in page  # no reply deadline has passed
    scanned = _scan(engine, settings)
    assert len(scanned["internal_target overdue"]) == 2
    assert len(scanned["internal_target escalate"]) == 1
    assert len(scanned["unconfirmed_arrival overdue"]) == 1  # the one the scan reminds of
    # a department sees its own
    mine = client_for("zcfg_user").get("/").text
    assert _tile(mine, "internal-target") == (1, "1 件报领导督办")
    assert _tile(mine, "unconfirmed") == (1, "1 件送达日已过")
    assert _tile(client_for("hbc_user").get("/").text, "internal-target") == (1, "")


def test_without_escalation_the_note_is_not_shown(client_for, engine, settings) -> None:  # type: ignore[no-untyped-def]
    register(engine, settings, received=date(2026, 2, 2), department="zcfg")
    clerk = client_for("clerk")
    assert _tile(clerk.get("/").text, "internal-target") == (1, "")  # no leaders to tell
    settings.notifier.leaders = [Leader(name="李主任", email=LEADER)]
    assert _tile(clerk.get("/").text, "internal-target") == (1, "1 件报领导督办")
    settings.notifier.escalate_after = 0  # leaders are never told
    page = clerk.get("/").text
    assert _tile(page, "internal-target") == (1, "")
    assert _tile(page, "unconfirmed") == (0, "")
    assert _scan(engine, settings).get("internal_target escalate") is None
