"""The dashboard's state tiles (暂停计时, 等待补正, 临时期限, 有逾时步骤提示, 内部时限已过,
待确认收到) link to the list filtered by `?state=`: the list shows exactly the applications the
tile counts, its total the tile's figure, for the office, one handler and a department. A
refused filter value re-renders the list (400) with its message beside the filter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html import unescape
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from disclosure.db import transaction
from disclosure.models import Application
from disclosure.services.office import load_office
from disclosure.services.queries import (
    ListFilter,
    ListStatements,
    count_applications,
    list_application_rows,
    list_statement,
)
from disclosure.settings import Settings
from disclosure.vocabulary import ListState
from tests.web.conftest import TODAY, post_form, register

TILES = {  # state → the tile's id on the dashboard
    ListState.PAUSED: "paused",
    ListState.AWAITING_CORRECTION: "awaiting-correction",
    ListState.PROVISIONAL: "provisional",
    ListState.FLAGGED: "flagged",
    ListState.INTERNAL_OVERDUE: "internal-target",
    ListState.UNCONFIRMED: "unconfirmed",
}
P, A, V, F, I, U = TILES  # noqa: E741  # the states, in TILES's order


@dataclass(frozen=True)
class Case:
    number: str
    department: str
    handler: str  # '' when none
    states: frozenset[ListState]


def _act(client: Any, number: str, action: str, **data: str) -> None:
    url = f"/applications/{number}"
    r = post_form(client, url, f"{url}/actions/{action}", data)
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]


@pytest.fixture
def cases(client_for: Any) -> dict[str, Case]:
    """Applications in each state and out of it, on Thu 2026-03-05, in two departments; some
    assigned to the handler zcfg_user."""
    clerk = client_for("clerk")
    made: dict[str, Case] = {}

    def case(name: str, department: str, *states: ListState, **fields: str) -> str:
        number = register(clerk, department=department, **fields)
        made[name] = Case(number, department, "", frozenset(states))
        return number

    # 暂停计时: a consultation sent on 03-04 pauses the clock from then; one answered has ended.
    n = case("consulting", "zcfg", P, received="2026-03-02")
    _act(clerk, n, "consult_send", date="2026-03-04", party="某公司")
    n = case("consulted", "hbc", received="2026-03-02")
    _act(clerk, n, "consult_send", date="2026-03-02", party="某公司")
    _act(clerk, n, "consult_answer", date="2026-03-04", party="某公司")
    # 等待补正: a correction asked for and not yet received; one received.
    n = case("correcting", "hbc", A, received="2026-03-02")
    _act(clerk, n, "correction_request", date="2026-03-04")
    n = case("corrected", "zcfg", received="2026-03-02")
    _act(clerk, n, "correction_request", date="2026-03-03")
    _act(clerk, n, "correction_receive", date="2026-03-04")
    # 临时期限: an Art. 35 deadline in 2027, whose holidays are not published.
    n = case("deferred", "zcfg", V, received="2026-03-02")
    _act(clerk, n, "defer", date="2026-03-05", due="2027-01-08")
    # 有逾时步骤提示: a correction notice sent late (due by 02-11), the correction since in
    # (the clock restarts: its internal target is ahead); one closed since is not counted.
    n = case("late_notice", "hbc", F, received="2026-02-02")
    _act(clerk, n, "correction_request", date="2026-02-12")
    _act(clerk, n, "correction_receive", date="2026-03-02")
    n = case("late_closed", "zcfg", received="2026-02-02")
    _act(clerk, n, "correction_request", date="2026-02-12")
    _act(clerk, n, "correction_receive", date="2026-03-02")
    _act(clerk, n, "reply", date="2026-03-05", outcome="1")
    # 内部时限已过: received 02-02, its internal target (Sat 02-28, a working day) passed.
    case("behind", "zcfg", I, received="2026-02-02")
    case("behind_hbc", "hbc", I, received="2026-02-05")
    # 待确认收到: arrived online, its legal receipt date not yet confirmed; one confirmed.
    case("arrived", "zcfg", U, channel="online", received="", arrived="2026-03-04")
    n = case("confirmed", "hbc", channel="online", received="", arrived="2026-03-03")
    _act(clerk, n, "confirm", date="2026-03-04")
    case("plain", "zcfg", received="2026-03-04")  # in none of them
    closed = case("replied", "hbc", received="2026-03-02")
    _act(clerk, closed, "reply", date="2026-03-04", outcome="1")
    # zcfg_user handles some of its department's cases.
    for name in ("consulting", "deferred", "behind", "plain"):
        _act(clerk, made[name].number, "assign", department="zcfg", handler="zcfg_user")
        made[name] = Case(made[name].number, "zcfg", "zcfg_user", made[name].states)
    return made


def _tile(page: str, state: ListState) -> tuple[int, str]:
    """The tile's figure and the list it links to."""
    found = re.search(
        rf'<a class="tile[^"]*" id="tile-{TILES[state]}" href="([^"]+)"[^>]*><b>(\d+)</b>', page
    )
    assert found, state
    return int(found.group(2)), unescape(found.group(1))


def _listed(page: str) -> tuple[int, set[str]]:
    """The list's total and the application numbers its table shows."""
    total = re.search(r"共 (\d+) 件", page)
    assert total, page
    table = page[page.index("</form>") :]
    return int(total.group(1)), set(re.findall(r'href="/applications/([^"/?#]+)"', table))


def _expected(cases: dict[str, Case], state: ListState, **scope: str) -> set[str]:
    return {
        c.number
        for c in cases.values()
        if state in c.states and all(getattr(c, k) == v for k, v in scope.items())
    }


@pytest.mark.parametrize(
    ("viewer", "dashboard", "scope"),
    [
        ("clerk", "/", {}),
        ("clerk", "/?handler=zcfg_user", {"handler": "zcfg_user"}),
        ("zcfg_user", "/", {"department": "zcfg"}),
        ("hbc_user", "/", {"department": "hbc"}),
    ],
)
def test_each_state_tile_links_to_the_cases_it_counts(
    client_for: Any, cases: dict[str, Case], viewer: str, dashboard: str, scope: dict[str, str]
) -> None:
    client = client_for(viewer)
    page = client.get(dashboard).text
    seen = 0
    for state in ListState:
        want = _expected(cases, state, **scope)
        figure, href = _tile(page, state)
        handler = f"&handler={scope['handler']}" if "handler" in scope else ""
        assert href == f"/applications?state={state.value}{handler}"
        listing = client.get(href)
        assert listing.status_code == 200, listing.text
        assert (figure, _listed(listing.text)) == (len(want), (len(want), want)), state
        # The closed cases stay out when closed ones are asked for too, as the tile counts.
        assert _listed(client.get(href + "&status=all").text) == (len(want), want), state
        seen += len(want)
    assert seen  # every view has some case in some state


def test_the_office_sees_each_state_its_own_cases(cases: dict[str, Case]) -> None:
    """The fixture's cases are what the test says they are: one or two per state, never a
    closed one (`late_closed`, `replied` are in none)."""
    for state in ListState:
        assert 1 <= len(_expected(cases, state)) <= 2, state
    assert {c for c, case in cases.items() if not case.states} == {
        "consulted", "corrected", "late_closed", "confirmed", "plain", "replied"
    }  # fmt: skip


def test_the_filter_form_shows_the_chosen_state(client_for: Any, cases: dict[str, Case]) -> None:
    clerk = client_for("clerk")
    page = clerk.get("/applications?state=flagged").text
    assert '<option value="flagged" selected>有逾时步骤提示</option>' in page
    assert '<select name="state"><option value="">全部</option>' in page
    for state in ListState:
        assert f'<option value="{state.value}"' in page
    assert "selected>有逾时步骤提示" not in clerk.get("/applications").text
    # Combined with other filters: 等待补正 in 环境保护处 only, then in 政策法规处 (none).
    assert _listed(clerk.get("/applications?state=awaiting_correction&department=hbc").text) == (
        1,
        {cases["correcting"].number},
    )
    assert _listed(clerk.get("/applications?state=awaiting_correction&department=zcfg").text) == (
        0,
        set(),
    )


def test_an_unknown_state_is_refused_beside_the_field(
    client_for: Any, cases: dict[str, Case]
) -> None:
    r = client_for("clerk").get("/applications?state=late")
    assert r.status_code == 400
    assert re.search(r'id="err-state"[^>]*>未知情形 &#39;late&#39;；可选：暂停计时、', r.text)
    assert '<select name="state" aria-invalid="true" aria-describedby="err-state">' in r.text
    # The list itself is shown, that filter left out: every open case.
    assert _listed(r.text)[0] == len(cases) - len({"late_closed", "replied"})


def test_a_bad_due_within_rerenders_the_list_with_the_message_beside_it(
    client_for: Any, cases: dict[str, Case]
) -> None:
    clerk = client_for("clerk")
    r = clerk.get("/applications?due_within=abc&state=unconfirmed")
    assert r.status_code == 400
    assert "<h1>申请列表" in r.text and 'id="err-due_within"' in r.text
    assert re.search(
        r"个工作日内 <span class=\"field-error\" id=\"err-due_within\"[^>]*>须为整数", r.text
    )
    assert 'name="due_within" value="abc" class="short" aria-invalid="true"' in r.text
    # The other filters still apply; the form is kept as entered.
    assert _listed(r.text) == (1, {cases["arrived"].number})
    assert '<option value="unconfirmed" selected>' in r.text
    # A refused form is not kept: the next good request shows no message.
    good = clerk.get("/applications?due_within=5&state=unconfirmed")
    assert good.status_code == 200 and "err-due_within" not in good.text
    negative = clerk.get("/applications?due_within=-1")
    assert negative.status_code == 400 and "不能小于 0" in negative.text
    page = clerk.get("/applications?page=x")
    assert page.status_code == 400
    assert re.search(r'class="flash error"[^>]*>页码须为整数', page.text)
    department = clerk.get("/applications?department=nowhere")
    assert department.status_code == 400 and 'id="err-department"' in department.text


def test_kept_statements_select_what_fresh_ones_do(
    client_for: Any, cases: dict[str, Case], engine: Engine, settings: Settings
) -> None:
    """Per state, the web's kept statements (`ListStatements`) and a statement built for the
    call give the same rows and counts; the default list's SQL reads no state's columns."""
    kept = ListStatements()
    with transaction(engine, write=False) as s:
        office = load_office(s, settings)
        for state in (None, *ListState):
            for flt in (
                ListFilter(state=state, limit=50),
                ListFilter(state=state, open_only=True, order="number", limit=1, offset=1),
            ):
                fresh = list_application_rows(s, office=office, today=TODAY, flt=flt)
                again = list_application_rows(
                    s, office=office, today=TODAY, flt=flt, statements=kept
                )
                assert fresh == again, (state, flt)
                n = count_applications(s, office=office, today=TODAY, flt=flt, statements=kept)
                assert n == count_applications(s, office=office, today=TODAY, flt=flt)
        default = str(list_statement(office, TODAY, ListFilter(open_only=True, limit=50)))
        where = default.split("WHERE", 1)[1]
        assert "application.is_open = " in where
        for name in ("paused_", "awaiting_correction", "provisional", "flag_count", "arrived_on"):
            assert name not in where, name


def test_the_cases_are_stored_as_the_states_say(cases: dict[str, Case], engine: Engine) -> None:
    """What the stored columns the states read hold for the cases that show each one."""
    with transaction(engine, write=False) as s:
        rows = {a.number: a for a in s.exec(select(Application)).all()}
    assert rows[cases["consulting"].number].paused_from == date(2026, 3, 4)
    assert (rows[cases["consulting"].number].paused_until or TODAY) >= TODAY
    assert (rows[cases["consulted"].number].paused_until or TODAY) < TODAY
    assert rows[cases["correcting"].number].awaiting_correction
    assert not rows[cases["corrected"].number].awaiting_correction
    assert rows[cases["deferred"].number].provisional
    assert rows[cases["late_notice"].number].flag_count > 0
    late_closed = rows[cases["late_closed"].number]
    assert late_closed.flag_count > 0 and not late_closed.is_open
    assert (rows[cases["behind"].number].internal_target or TODAY) < TODAY
    assert (rows[cases["late_notice"].number].internal_target or TODAY) > TODAY
    assert rows[cases["arrived"].number].received_on is None
    assert rows[cases["confirmed"].number].received_on is not None


def test_the_filter_form_keeps_the_handler_it_was_opened_with(client_for) -> None:  # type: ignore[no-untyped-def]
    """A handler's list (a dashboard link) filtered again stays that handler's."""
    page = client_for("clerk").get("/applications?handler=zcfg_user").text
    form = page[page.index('<form class="filters"') :].split("</form>", 1)[0]
    assert '<input type="hidden" name="handler" value="zcfg_user">' in form
    plain = client_for("clerk").get("/applications").text
    assert 'name="handler"' not in plain[plain.index('<form class="filters"') :].split("</form>")[0]
