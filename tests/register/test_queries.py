"""`disclosure list` and `services.queries`: filters are plain indexed queries."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from disclosure.db import transaction
from disclosure.models import Stage
from disclosure.services.office import Office
from disclosure.services.queries import ListFilter, count_applications, list_application_rows
from tests.register.conftest import Cli

pytestmark = pytest.mark.usefixtures("engine")

ID_NUMBER = "110101199001011237"


@pytest.fixture
def three(c: Cli) -> dict[str, str]:
    """Three applications seen on Fri 2026-11-27: overdue, due Monday, due in December."""
    late = c.register("2026-10-09", "--department", "hbc", "--id-number", ID_NUMBER)
    soon = c.register("2026-11-02", "--department", "zcfg", "--id-number", ID_NUMBER)
    later = c.register("2026-11-20", "--department", "hbc")
    return {"late": late["number"], "soon": soon["number"], "later": later["number"]}


def numbers(items: list[dict]) -> list[str]:
    return [i["number"] for i in items]


def test_list_items_have_the_fixed_keys(c: Cli, three: dict[str, str]) -> None:
    items = {i["number"]: i for i in c.list()}
    for item in items.values():
        assert {"number", "stage", "reply_due", "working_days_left", "provisional"} <= set(item)
    # 10-09 (Fri) + 20: 10-10 is a make-up Saturday (day 1), … → Thu 11-05.
    assert items[three["late"]]["reply_due"] == "2026-11-05"
    # 16 working days after 11-05 up to 11-27: 11-06, 11-09…13, 16…20, 23…27.
    assert items[three["late"]]["working_days_left"] == -16
    assert items[three["late"]]["state"] == "overdue"
    assert items[three["soon"]]["reply_due"] == "2026-11-30"
    assert items[three["soon"]]["working_days_left"] == 1  # Monday is the last day
    assert items[three["later"]]["reply_due"] == "2026-12-18"
    assert items[three["later"]]["working_days_left"] == 15


def test_list_is_ordered_by_reply_due(c: Cli, three: dict[str, str]) -> None:
    assert numbers(c.list()) == [three["late"], three["soon"], three["later"]]


def test_overdue(c: Cli, three: dict[str, str]) -> None:
    assert numbers(c.list("--overdue")) == [three["late"]]
    # On the due day itself nothing is overdue yet.
    assert numbers(c.list("--overdue", today="2026-11-05")) == []


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, []),  # nothing is due on Fri 11-27 itself
        (1, ["soon"]),  # Mon 11-30 is 1 working day away
        (3, ["soon"]),
        (14, ["soon"]),  # 14 working days after 11-27 is Thu 12-17
        (15, ["soon", "later"]),  # … and 15 is Fri 12-18, the later one's due date
    ],
)
def test_due_within(c: Cli, three: dict[str, str], days: int, expected: list[str]) -> None:
    assert numbers(c.list("--due-within", str(days))) == [three[k] for k in expected]


def test_department_and_stage(c: Cli, three: dict[str, str]) -> None:
    assert numbers(c.list("--department", "hbc")) == [three["late"], three["later"]]
    assert numbers(c.list("--department", "政策法规处")) == [three["soon"]]
    c.ok("stage", three["later"], "review", "--today", "2026-11-27")
    assert numbers(c.list("--stage", "review")) == [three["later"]]
    assert numbers(c.list("--stage", "registered")) == [three["late"], three["soon"]]


def test_today_changes_working_days_left(c: Cli, three: dict[str, str]) -> None:
    items = {i["number"]: i for i in c.list(today="2026-11-20")}
    assert items[three["soon"]]["working_days_left"] == 6  # 11-23…27 and 11-30


def test_closed_applications_leave_due_lists(c: Cli, three: dict[str, str]) -> None:
    c.ok("reply", three["soon"], "--outcome", "1", "--date", "2026-11-26", "--today", "2026-11-27")
    assert numbers(c.list("--due-within", "3")) == []
    closed = {i["number"]: i for i in c.list()}[three["soon"]]
    assert closed["working_days_left"] is None
    assert closed["state"] == "closed_on_time"


def test_id_number_never_listed(cli, three: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    for args in (["--json"], []):
        r = cli("list", "--today", "2026-11-27", *args)
        assert r.exit_code == 0
        assert ID_NUMBER not in r.stdout
        assert ID_NUMBER[-4:] + '"' not in r.stdout
    shown = cli("show", three["soon"], "--json", "--today", "2026-11-27")
    assert ID_NUMBER not in shown.stdout
    assert "1101**********1237" in shown.stdout  # masked in the detail view only


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--department", "nope"], "--department"),
        (["--stage", "flying"], "--stage"),
        (["--due-within", "-1"], "--due-within"),
        (["--today", "2026-13-01"], "--today"),
    ],
    ids=["department", "stage", "due-within", "today"],
)
def test_bad_list_options(c: Cli, args: list[str], field: str) -> None:
    line = c.fails("list", *args)
    assert f"{field}:" in line


def test_service_filters_and_count(engine: Engine, office: Office, three: dict[str, str]) -> None:
    today = date(2026, 11, 27)
    with transaction(engine, write=False) as s:
        page = list_application_rows(
            s, office=office, today=today, flt=ListFilter(open_only=True, limit=2, offset=1)
        )
        assert [a.number for a in page] == [three["soon"], three["later"]]
        staged = ListFilter(stage=Stage.REGISTERED, due_within=15)
        assert count_applications(s, office=office, today=today, flt=staged) == 2
        found = ListFilter(search="环境影响")
        assert count_applications(s, office=office, today=today, flt=found) == 3


def test_the_human_list_says_how_late_in_words(cli, three: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """As the web's list: 已超期 16 个工作日, not -16 (the --json keeps the number)."""
    r = cli("list", "--today", "2026-11-27")
    assert r.exit_code == 0, r.stderr
    late = next(line for line in r.stdout.splitlines() if three["late"] in line)
    assert "已超期 16 个工作日" in late and "-16" not in late
    later = next(line for line in r.stdout.splitlines() if three["later"] in line)
    assert " 15 " in f" {later} "
