"""The list page's fast path: its indexes, its rows, and the cached calendar notices."""

from __future__ import annotations

from datetime import date

from sqlalchemy import inspect

from disclosure.db import transaction
from disclosure.models import Application
from disclosure.services.calendar_years import load_text
from disclosure.services.office import OfficeCache, load_office
from disclosure.services.queries import ListFilter, department_names, list_application_rows
from disclosure.services.read_model import listed
from disclosure.web.listing import ListedCache
from tests.conftest import NOW
from tests.notices.data import NOTICE_2027
from tests.web.conftest import TODAY, post_form, register

LIST_INDEXES = {
    "ix_application_open_due_id": ["is_open", "reply_due", "id"],
    "ix_application_due_id": ["reply_due", "id"],
}


def test_migration_creates_the_list_indexes(engine):
    found = {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("application")}
    for name, columns in LIST_INDEXES.items():
        assert found.get(name) == columns, f"{name}: {found.get(name)}"


def test_list_rows_and_applications_give_the_same_read_model(client_for, engine, settings):
    clerk = client_for("clerk")
    register(clerk, department="zcfg", applicant="甲<b>")
    register(clerk, department="hbc", received="2026-01-05")  # overdue on 2026-03-05
    closed = register(clerk, applicant="乙")
    reply(clerk, closed)
    flt = ListFilter(limit=50)
    with transaction(engine, write=False) as session:
        office = load_office(session, settings)
        deps = department_names(session)
        rows = list_application_rows(session, office=office, today=TODAY, flt=flt)
        fast = [ListedCache().item(row, office, TODAY, deps) for row in rows]
        full = [
            listed(session.get(Application, row.id), office, TODAY, deps)  # type: ignore[arg-type]
            for row in rows
        ]
    assert len(full) == len(fast) == 3
    assert {s.state for s in full} == {"running", "overdue", "closed_on_time"}
    assert fast == full
    assert {s.department for s in fast} == {"zcfg", "hbc", None}


def test_reloaded_notice_changes_the_calendar(engine, settings):
    """Parsed notices are cached per text: a reissued notice is seen at once."""
    moved = NOTICE_2027.replace("end = 2027-01-03", "end = 2027-01-04")

    def load(text: str) -> None:
        with transaction(engine) as session:
            load_text(
                session,
                settings=settings,
                text=text,
                source="test",
                actor="admin",
                now=NOW,
                today=TODAY,
            )

    monday = date(2027, 1, 4)
    load(NOTICE_2027)
    with transaction(engine, write=False) as session:
        assert load_office(session, settings).calendar.is_working_day(monday)
    load(moved)
    with transaction(engine, write=False) as session:
        assert not load_office(session, settings).calendar.is_working_day(monday)


def test_office_cache_rebuilds_only_when_the_notices_change(engine, settings):
    """The web keeps one `Office` while the stored notices are unchanged (list rows are
    cached by it); a notice loaded meanwhile, by any process, gives a new one at once."""
    cache = OfficeCache(settings)
    monday = date(2027, 1, 4)
    with transaction(engine, write=False) as session:
        first = cache.load(session)
        assert cache.load(session) is first
    with transaction(engine) as session:
        load_text(
            session,
            settings=settings,
            text=NOTICE_2027.replace("end = 2027-01-03", "end = 2027-01-04"),
            source="test",
            actor="admin",
            now=NOW,
            today=TODAY,
        )
    with transaction(engine, write=False) as session:
        second = cache.load(session)
        assert cache.load(session) is second
    assert second is not first
    assert first.calendar.is_working_day(monday) and not second.calendar.is_working_day(monday)


def test_a_listed_row_changes_when_its_application_changes(client_for):
    """Rows are kept rendered by their values: a change shows at once, never a stale row."""
    clerk = client_for("clerk")
    number = register(clerk, department="zcfg")
    before = clerk.get("/applications").text
    assert number in before and "政策法规处" in before
    reply(clerk, number)
    assert number not in clerk.get("/applications").text  # closed: not in the open list
    row = _row_of(clerk.get("/applications?status=all").text, number)
    assert "st-closed" in row and "按期办结" in row


def test_search_and_other_orders_are_served_too(client_for):
    """Searches and other orders take the thread-pool path: same page, same rows."""
    clerk = client_for("clerk")
    first = register(clerk, applicant="王五", received="2026-03-02")
    second = register(clerk, applicant="赵六", received="2026-03-03")
    found = clerk.get("/applications?q=王五").text
    assert _link(first) in found and _link(second) not in found
    page = clerk.get("/applications?order=received_on&desc=1").text
    assert page.index(_link(second)) < page.index(_link(first))


def _link(number: str) -> str:
    return f'href="/applications/{number}"'


def reply(clerk, number: str) -> None:  # type: ignore[no-untyped-def]
    """Close `number` with a reply on 2026-03-05 through the application page's form."""
    page, url = f"/applications/{number}", f"/applications/{number}/actions/reply"
    r = post_form(clerk, page, url, {"date": "2026-03-05", "outcome": "1"})
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]


def _row_of(html: str, number: str) -> str:
    start = html.rindex("<tr", 0, html.index(_link(number)))
    return html[start : html.index("</tr>", start)]


def test_every_nth_answer_on_a_connection_asks_the_client_to_reconnect(client_for, settings):
    limit = settings.web.keepalive_requests
    assert limit > 1
    anonymous = client_for(None)  # one TestClient = one client address, like one connection
    closes = [
        anonymous.get("/login").headers.get("connection") == "close" for _ in range(2 * limit)
    ]
    assert closes == ([False] * (limit - 1) + [True]) * 2


def test_a_renamed_department_shows_at_once_in_the_filters_and_rows(client_for):
    """The list's filter form and tables are kept rendered by every value they show: a
    department added or renamed is on the next page, never a stale form or row."""
    admin, clerk = client_for("admin"), client_for("clerk")
    page = "/admin/departments"
    assert post_form(admin, page, page, {"code": "tmp", "name": "临时处"}).status_code == 303
    number = register(clerk, department="tmp")
    before = clerk.get("/applications").text
    assert '<option value="tmp">临时处</option>' in before
    assert "临时处" in _row_of(before, number)
    assert post_form(admin, page, f"{page}/tmp/edit", {"name": "临时工作处"}).status_code == 303
    after = clerk.get("/applications").text
    assert '<option value="tmp">临时工作处</option>' in after and "临时处<" not in after
    assert "临时工作处" in _row_of(after, number)
    chosen = clerk.get("/applications?department=tmp").text
    assert '<option value="tmp" selected>临时工作处</option>' in chosen
