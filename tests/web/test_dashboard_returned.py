"""The office's dashboard lists the open cases a department sent back (部门退回) until the
office assigns them again, read from the log as the application page reads the hand-off
(`people.handoff.handoff`); departments do not see the list (both databases)."""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import select

from disclosure.db import transaction
from disclosure.models import Application, EventRecord
from disclosure.people.handoff import handoff
from disclosure.services import dashboard as dash
from disclosure.services import steps
from disclosure.services.context import Context
from disclosure.services.deadlines import events_of
from disclosure.services.office import load_office
from disclosure.vocabulary import EventKind
from tests.conftest import NOW
from tests.web.conftest import TODAY, post_form, register

ROW = re.compile(
    r'<tr><td><a href="/applications/([^"]+)">[^<]*</a></td>'
    r"<td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>"
)
NOT_OURS = "不属本处职责，建议转环境保护处"


def _section(html: str) -> list[tuple[str, ...]]:
    """The rows of the dashboard's 部门退回 section ([] when it is not shown)."""
    found = re.search(r'<section class="card" id="returned">(.*?)</section>', html, re.S)
    return ROW.findall(found.group(1)) if found else []


def _by_log(engine) -> set[str]:  # type: ignore[no-untyped-def]
    """The open applications whose hand-off in force is a return, read one by one."""
    with transaction(engine, write=False) as s:
        apps = s.exec(select(Application).where(Application.is_open == True)).all()  # noqa: E712
        return {a.number for a in apps if handoff(events_of(s, a)).returned is not None}


def _act(client, number: str, action: str, **data: str) -> None:  # type: ignore[no-untyped-def]
    url = f"/applications/{number}"
    r = post_form(client, url, f"{url}/actions/{action}", data)
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]


def test_a_returned_case_waits_on_the_dashboard_until_assigned_again(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    clerk, zcfg, hbc = client_for("clerk"), client_for("zcfg_user"), client_for("hbc_user")
    a = register(clerk, department="zcfg", applicant="退回申请人")
    b = register(clerk, department="hbc")
    c = register(clerk, department="zcfg")
    assert _section(clerk.get("/").text) == [] and 'id="returned"' not in clerk.get("/").text
    _act(zcfg, a, "return", date="2026-03-04", reason=NOT_OURS)
    _act(hbc, b, "accept", date="2026-03-04")  # signed for: not the office's to-do
    page = clerk.get("/").text
    assert _section(page) == [(a, "政策法规处", "2026-03-04", "zcfg_user", NOT_OURS)]
    assert "部门退回待重新分办（1 件）" in page
    assert _section(client_for("admin").get("/").text) == _section(page)
    assert {a} == _by_log(engine)
    # The office's to-do: neither department sees it, not even the one that sent it back.
    for user in (zcfg, hbc):
        assert 'id="returned"' not in user.get("/").text
    # Assigned again (to the other department): off the list, the case waits to be signed.
    _act(clerk, a, "assign", department="hbc")
    assert _section(clerk.get("/").text) == [] and _by_log(engine) == set()
    # Sent back again on the day of the new assignment: the latest return shows.
    _act(hbc, a, "return", date="2026-03-05", reason="涉及多部门，请公开办协调")
    rows = _section(clerk.get("/").text)
    assert rows == [(a, "环境保护处", "2026-03-05", "hbc_user", "涉及多部门，请公开办协调")]
    # Assigned the same day as that return, after it: off the list again.
    _act(clerk, a, "assign", department="zcfg")
    _act(zcfg, a, "accept", date="2026-03-05")
    _act(zcfg, c, "return", date="2026-03-05", reason="材料不全")
    assert [r[0] for r in _section(clerk.get("/").text)] == [c] and _by_log(engine) == {c}
    # Only open cases: a withdrawn one leaves the list.
    _act(clerk, c, "withdraw", date="2026-03-05")
    assert _section(clerk.get("/").text) == [] and _by_log(engine) == set()


def test_the_list_follows_the_logs_order_not_the_recording_order(  # type: ignore[no-untyped-def]
    client_for, engine, settings
) -> None:
    clerk, zcfg = client_for("clerk"), client_for("zcfg_user")
    backdated = register(clerk, department="zcfg")
    answered = register(clerk, department="zcfg")
    _act(zcfg, backdated, "return", date="2026-03-05", reason="不属本处职责")
    with transaction(engine) as s:
        # An assignment recorded later but dated before the return comes before it in the
        # log (date, then id): the return still answers it, so the case stays sent back.
        office = load_office(s, settings)
        step = steps.HandledAssignment(on=date(2026, 3, 4), department="hbc")
        step.record(s, Context(office, TODAY, "clerk", NOW), backdated)
        # A return after a signature with no assignment between them (not something the
        # steps record, but the log says so): the signature is the answer in force.
        app = s.exec(select(Application).where(Application.number == answered)).one()
        assert app.id is not None
        for kind in (EventKind.ACCEPTED, EventKind.RETURNED):
            s.add(
                EventRecord(
                    application_id=app.id,
                    kind=kind.value,
                    on=TODAY,
                    party="zcfg",
                    approver="zcfg_user",
                    note="再次退回",
                    recorded_at=NOW,
                )
            )
    # A later hand-off of another case (assigned and signed for after those two answers)
    # says nothing about this one.
    other = register(clerk, department="zcfg")
    _act(clerk, other, "assign", department="hbc")
    _act(client_for("hbc_user"), other, "accept", date="2026-03-05")
    assert _by_log(engine) == {backdated}
    rows = _section(clerk.get("/").text)
    assert rows == [(backdated, "政策法规处", "2026-03-05", "zcfg_user", "不属本处职责")]


def test_the_earliest_returns_first_and_a_handlers_view_has_none(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    clerk, zcfg, hbc = client_for("clerk"), client_for("zcfg_user"), client_for("hbc_user")
    late = register(clerk, department="zcfg")
    early = register(clerk, department="hbc")
    _act(zcfg, late, "return", date="2026-03-05", reason="晚退回")
    _act(hbc, early, "return", date="2026-03-03", reason="早退回")
    assert [r[0] for r in _section(clerk.get("/").text)] == [early, late]
    with transaction(engine, write=False) as s:
        shown = dash.returned_cases(s, limit=1)
    assert shown.total == 2 and [r.number for r in shown.rows] == [early]
    # One handler's dashboard: returned cases have no handler, and the tiles keep the handler.
    page = clerk.get("/?handler=zcfg_user").text
    assert 'id="returned"' not in page
    assert 'href="/applications?overdue=1&amp;handler=zcfg_user"' in page
    assert 'href="/applications?handler=zcfg_user"' in page
    plain = clerk.get("/").text
    assert 'href="/applications?overdue=1"' in plain and 'href="/applications"' in plain
