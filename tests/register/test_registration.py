"""`disclosure register` and `services.registration`: numbering, stored deadlines, bad input."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, text

from disclosure.db import transaction
from disclosure.errors import InvalidInput
from disclosure.schemas import ApplicationCreate
from disclosure.services.context import Context
from disclosure.services.numbering import peek_last
from disclosure.services.office import Office
from disclosure.services.registration import register_application, register_many
from tests.conftest import NOW
from tests.register.conftest import REGISTER, TODAY, Cli

pytestmark = pytest.mark.usefixtures("engine")


def test_register_prints_number_and_reply_due(c: Cli) -> None:
    out = c.register("2026-03-02")
    assert out["number"] == "2026-00001"
    assert out["reply_due"] == "2026-03-30"  # rulebook §2 example: Mon 03-02 + 20 → Mon 03-30
    assert out["provisional"] is False
    assert out["stage"] == "registered"
    assert "id_number" not in out


def test_numbers_follow_each_other_per_year(c: Cli) -> None:
    first = c.register("2025-12-31")
    second = c.register("2026-01-05")
    third = c.register("2026-01-05")
    assert [first["number"], second["number"], third["number"]] == [
        "2025-00001",  # the year of the receipt date, not of the day of registering
        "2026-00001",
        "2026-00002",
    ]


def test_human_output_names_number_and_due_date(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli(*REGISTER, "--received", "2026-11-02", "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    assert "2026-00001" in r.stdout and "2026-11-30" in r.stdout


def test_online_application_counts_from_confirmation(c: Cli) -> None:
    out = c.ok(
        *REGISTER[:2],
        "online",
        *REGISTER[3:],
        "--arrived",
        "2026-11-13",
        "--received",
        "2026-11-16",
        "--today",
        TODAY,
    )
    assert out["arrived_on"] == "2026-11-13"
    assert out["received_on"] == "2026-11-16"
    assert out["reply_due"] == "2026-12-14"  # 20 working days after Mon 11-16 (Art. 31(3))


def test_department_by_code_or_name(c: Cli) -> None:
    by_code = c.register("2026-11-02", "--department", "hbc")
    by_name = c.register("2026-11-02", "--department", "政策法规处")
    assert by_code["department"] == "hbc"
    assert by_name["department"] == "zcfg"


def test_deadline_reaching_into_a_year_without_notice_is_provisional(c: Cli) -> None:
    out = c.register("2026-12-15", today="2026-12-15")
    assert out["reply_due"].startswith("2027-01")
    assert out["provisional"] is True


BAD = [
    pytest.param(["--received", "2026-11-02", "--department", "nope"], "--department", id="dept"),
    pytest.param(["--received", "2026-02-30"], "--received", id="impossible-date"),
    pytest.param(["--received", "2026-11-2x"], "--received", id="malformed-date"),
    pytest.param(["--received", "2026-11-30"], "--received", id="receipt-in-future"),
    pytest.param(
        ["--received", "2026-11-02", "--arrived", "2026-11-30"], "--arrived", id="arrival-in-future"
    ),
    pytest.param(
        ["--received", "2026-11-02", "--arrived", "2026-11-03"],
        "--received",
        id="receipt-before-arrival",
    ),
    pytest.param(["--received", "2018-06-01"], "--received", id="before-calendar"),
    pytest.param(["--received", "2026-11-02", "--email", "no-at-sign"], "--email", id="email"),
    pytest.param(["--received", "2026-11-02", "--cooperating", "nope"], "--cooperating", id="coop"),
    pytest.param(
        ["--received", "2026-11-02", "--case-type", "nope"], "--case-type", id="case-type"
    ),
]


@pytest.mark.parametrize(("extra", "field"), BAD)
def test_bad_registration_writes_nothing(c: Cli, unchanged, extra: list[str], field: str) -> None:  # type: ignore[no-untyped-def]
    with unchanged():
        line = c.fails(*REGISTER, *extra, "--today", TODAY, code=2)
    assert line.startswith(f"错误：{field}:"), line
    assert c.register("2026-11-02")["number"] == "2026-00001"  # the counter did not advance


@pytest.mark.parametrize(
    ("option", "value"),
    [("--channel", "carrier_pigeon"), ("--applicant-type", "alien"), ("--applicant", "  ")],
    ids=["channel", "applicant-type", "empty-applicant"],
)
def test_bad_choice_names_the_option(c: Cli, unchanged, option: str, value: str) -> None:  # type: ignore[no-untyped-def]
    args = list(REGISTER)
    args[args.index(option) + 1] = value
    with unchanged():
        line = c.fails(*args, "--received", "2026-11-02", "--today", TODAY, code=2)
    assert f"{option}:" in line
    assert "错误" in line


def test_register_many_numbers_in_order_and_rolls_back_as_one(
    engine: Engine, office: Office
) -> None:
    def item(day: date, dept: str | None = None) -> ApplicationCreate:
        return ApplicationCreate(
            channel="in_person",
            received_on=day,
            applicant_name="甲",
            applicant_type="natural",
            content="x",
            department=dept,
        )

    with transaction(engine) as s:
        apps = register_many(
            s,
            items=[item(date(2026, 3, 2)), item(date(2025, 6, 3)), item(date(2026, 3, 3))],
            ctx=Context(office, date(2026, 11, 27), "t", NOW),
        )
        assert [a.number for a in apps] == ["2026-00001", "2025-00001", "2026-00002"]
        assert apps[0].reply_due == date(2026, 3, 30)
    with pytest.raises(InvalidInput), transaction(engine) as s:
        register_many(
            s,
            items=[item(date(2026, 3, 4)), item(date(2026, 3, 4), dept="nope")],
            ctx=Context(office, date(2026, 11, 27), "t", NOW),
        )
    with transaction(engine, write=False) as s:
        assert peek_last(s, series="application", year=2026) == 2
        count = s.execute(text("SELECT count(*) FROM application")).scalar_one()
        events = s.execute(text("SELECT count(*) FROM event")).scalar_one()
    assert (count, events) == (3, 6)  # registered + received per application


def test_registration_logs_registered_and_received(engine: Engine, office: Office) -> None:
    data = ApplicationCreate(
        channel="online",
        arrived_on=date(2026, 11, 13),
        received_on=date(2026, 11, 16),
        applicant_name="乙",
        applicant_type="business",
        content="y",
        note="网上平台",
    )
    with transaction(engine) as s:
        app = register_application(
            s, data=data, ctx=Context(office, date(2026, 11, 27), "clerk", NOW)
        )
        rows = s.execute(
            text('SELECT kind, "on", note, actor FROM event WHERE application_id = :i ORDER BY id'),
            {"i": app.id},
        ).all()
    assert [(r[0], str(r[1]), r[2], r[3]) for r in rows] == [
        ("registered", "2026-11-16", "网上平台", "clerk"),  # dated at the legal receipt
        ("received", "2026-11-16", "", "clerk"),
    ]


def test_numbers_the_register_already_holds_are_skipped(c: Cli, engine: Engine) -> None:
    """A register changed behind its counter's back (rows written by SQL, a partial dump
    loaded): registration takes the next number past those in use, never fails on them."""
    first = c.register("2026-11-02")
    second = c.register("2026-11-03")
    with transaction(engine) as s:  # the counter forgets both numbers
        s.execute(text("UPDATE counter SET last = 0 WHERE year = 2026"))
    third = c.register("2026-11-04")
    assert [first["number"], second["number"], third["number"]] == [
        "2026-00001",
        "2026-00002",
        "2026-00003",
    ]
    with transaction(engine, write=False) as s:
        assert peek_last(s, series="application", year=2026) == 3


def test_registering_a_late_arrival_says_it_is_overdue_or_due_soon(c) -> None:  # type: ignore[no-untyped-def]
    """As the web's registration does: a post that reached the office's register only after its
    reply date (20 working days from 2026-10-26: 11-23) is registered, and the clerk is told."""
    from tests.register.conftest import REGISTER

    r = c.run(*REGISTER, "--received", "2026-10-26", "--today", "2026-11-27")
    assert r.exit_code == 0, r.stderr
    assert "注意：该申请登记时已超过答复期限（已超期 4 个工作日），请尽快答复。" in r.stderr
    r = c.run(*REGISTER, "--received", "2026-10-30", "--today", "2026-11-27")
    assert "注意：答复期限临近（今日到期）。" in r.stderr, r.stderr  # 20th working day: 11-27
    r = c.run(*REGISTER, "--received", "2026-11-27", "--today", "2026-11-27")
    assert r.exit_code == 0  # in time: no deadline warning (the earlier two are similar ones)
    assert "答复期限" not in r.stderr and "相似的申请" in r.stderr
