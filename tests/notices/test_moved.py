"""A load reports every clock it moves — and stores the same dates the event path would."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from disclosure.models import Application
from disclosure.services.deadlines import columns, compute_for, events_of
from disclosure.services.office import load_office
from disclosure.settings import Settings
from tests.notices.data import FICTIONAL_2027
from tests.register.conftest import Cli

pytestmark = pytest.mark.usefixtures("engine")
TODAY = "2026-12-21"  # a Monday; 2027 is provisional (only 1-01 off in January)


@pytest.fixture
def cases(c: Cli) -> dict[str, str]:
    """Received Mon 2026-12-14, one step each; and one that ends inside 2026."""

    def reg() -> str:
        return c.register("2026-12-14", today=TODAY)["number"]

    correction, fee, consult = reg(), reg(), reg()
    c.ok(
        "correction",
        "request",
        correction,
        "--date",
        "2026-12-16",
        "--served",
        "2026-12-16",
        "--today",
        TODAY,
    )
    c.ok(
        "fee-notice",
        fee,
        "--date",
        "2026-12-15",
        "--served",
        "2026-12-15",
        "--amount",
        "100",
        "--today",
        TODAY,
    )
    c.ok(
        "consult",
        "send",
        consult,
        "--date",
        "2026-12-16",
        "--served",
        "2026-12-16",
        "--party",
        "某公司",
        "--today",
        TODAY,
    )
    inside = c.register("2026-11-02", today=TODAY)["number"]
    return {"correction": correction, "fee": fee, "consult": consult, "inside": inside}


def _load(c: Cli, tmp_path: Path, *extra: str) -> dict:  # type: ignore[type-arg]
    path = tmp_path / "notice-2027-TEST-DATA.toml"
    path.write_text(FICTIONAL_2027, encoding="utf-8")
    return c.ok("calendar", "load", str(path), "--today", TODAY, *extra)


def _moves(report: dict) -> set[tuple[str, str, str, str, bool]]:  # type: ignore[type-arg]
    return {
        (m["number"], m["clock"], m["old"], m["new"], m["was_provisional"]) for m in report["moved"]
    }


def test_every_clock_that_moves_is_reported(c: Cli, cases: dict[str, str], tmp_path: Path) -> None:
    report = _load(c, tmp_path)
    # Fictional 2027: Mon 1-04 off too (provisional: a working day), Sat 1-16 worked.
    assert _moves(report) == {
        # 15 working days after Wed 12-16: 12-17, 18, 21–25, 28–31 (11), then provisionally
        # 1-04…1-07 (15); with 1-04 off, 1-05…1-08.
        (cases["correction"], "correction_deadline", "2027-01-07", "2027-01-08", True),
        (cases["consult"], "consultation_due", "2027-01-07", "2027-01-08", True),
        # 20 working days after Tue 12-15: 12-16…12-31 (12), 1-04…1-08 (17), 1-11…1-13 (20);
        # with 1-04 off: 1-05…1-08 (16), 1-11…1-14 (20).
        (cases["fee"], "fee_payment_due", "2027-01-13", "2027-01-14", True),
        # The reply period pauses 12-15 … fee due, then 20 working days: provisionally
        # 1-14 … 2-04 (16), 2-05 and 2-08 off (除夕, 初三), 2-09 … 2-12 (20); with the
        # notice 1-15, Sat 1-16, 1-18 … 2-04 (16), 2-05 … 2-14 off, 2-15 … 2-18 (20).
        (cases["fee"], "reply_due", "2027-02-12", "2027-02-18", True),
    }
    # Unmoved: the consultation's reply date (2-03 both ways: the worked Sat 1-16 makes up
    # for 1-04), every internal target, and the application that ends in 2026.
    assert report["moved_applications"] == 3
    assert all(m["number"] != cases["inside"] for m in report["moved"])
    labels = {m["clock"]: m["clock_label"] for m in report["moved"]}
    assert labels["correction_deadline"] == "申请人补正期限"
    assert labels["fee_payment_due"] == "缴费期限"


def test_the_cli_prints_each_moved_clock(cli, cases: dict[str, str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "notice-2027-TEST-DATA.toml"
    path.write_text(FICTIONAL_2027, encoding="utf-8")
    r = cli("calendar", "load", str(path), "--dry-run", "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    assert "预览（未写入）" in r.stdout and "3 件申请的 4 个期限变动" in r.stdout
    for label in ("申请人补正期限", "缴费期限", "征求意见答复期限", "答复期限"):
        assert label in r.stdout


def test_stored_columns_equal_the_event_path(
    c: Cli, cases: dict[str, str], tmp_path: Path, engine: Engine, settings: Settings
) -> None:
    """The batched recompute stores exactly what `services.deadlines` computes per
    application from its event log with the new calendar (nothing left to change)."""
    more = [c.register(d, today=TODAY)["number"] for d in ("2026-12-01", "2026-12-18")]
    c.ok(
        "extend", more[0], "--days", "10", "--approver", "主任", "--date", "2026-12-21",
        "--today", TODAY,
    )  # fmt: skip
    _load(c, tmp_path)
    with Session(engine) as session:
        office = load_office(session, settings)
        apps = session.exec(select(Application).where(Application.is_open == True)).all()  # noqa: E712
        assert len(apps) == 6
        for app in apps:
            expected = columns(compute_for(app, events_of(session, app), office))
            stored = {k: getattr(app, k) for k in expected}
            assert stored == expected, app.number


def test_rows_that_do_not_change_are_not_written(
    c: Cli, cases: dict[str, str], tmp_path: Path, engine: Engine
) -> None:
    with engine.connect() as conn:
        before = dict(conn.execute(text("SELECT number, updated_at FROM application")).all())
    report = _load(c, tmp_path)
    assert report["recomputed"] == 4
    # The fee case moved; the others flipped from provisional to official: changed rows,
    # not moved clocks. The case of November is neither.
    assert report["changed"] == 3
    with engine.connect() as conn:
        prov = dict(conn.execute(text("SELECT number, provisional FROM application")).all())
        after = dict(conn.execute(text("SELECT number, updated_at FROM application")).all())
    assert not any(prov.values())
    assert after == before  # a recompute is not an edit of the application
