"""The date a report was locked, as people read it, is the office's date (Asia/Shanghai):
a lock at 02:21 Beijing time on 12-04 (18:21 UTC on 12-03) reads 2026-12-04 in the CLI's
refusals and notes, the report's appendix (Markdown, .xlsx) and the /annual page."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from disclosure.cli import annual_cmds
from disclosure.db import transaction
from disclosure.report.annual_full import compute_full
from disclosure.report.annual_lock import attach_publication
from disclosure.web.routes import annual as annual_routes
from tests.web.conftest import post_form

LOCKED = datetime(2026, 12, 3, 18, 21, tzinfo=UTC)  # 2026-12-04 02:21 in Beijing
SHOWN = "2026-12-04"


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """`report lock` and the web's lock button run at `LOCKED`."""
    monkeypatch.setattr(annual_cmds, "now_utc", lambda: LOCKED)
    monkeypatch.setattr(annual_routes, "now_utc", lambda: LOCKED)


def test_the_publication_carries_the_office_date_of_its_lock(cli, engine, frozen) -> None:  # type: ignore[no-untyped-def]
    assert cli("report", "lock", "--year", "2025").exit_code == 0
    with transaction(engine, write=False) as session:
        report = compute_full(session, year=2025, agency="某市生态环境局")
        pub = attach_publication(session, report, tz="Asia/Shanghai").publication
    assert pub is not None and pub.locked_on == SHOWN
    assert datetime.fromisoformat(pub.locked_at).replace(tzinfo=UTC) == LOCKED  # kept in UTC


def test_cli_names_the_office_date_of_the_lock(cli, frozen, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("report", "set", "--year", "2025", "rules_issued", "4").exit_code == 0
    assert cli("report", "lock", "--year", "2025").exit_code == 0
    again = cli("report", "lock", "--year", "2025")
    assert again.exit_code == 5 and f"已于 {SHOWN} 锁定，数据未变" in again.stderr, again.stderr
    assert cli("report", "set", "--year", "2025", "rules_issued", "5").exit_code == 0
    changed = cli("report", "lock", "--year", "2025")
    assert changed.exit_code == 5 and f"已于 {SHOWN} 锁定；" in changed.stderr, changed.stderr
    md = cli("report", "annual", "--year", "2025")
    assert md.exit_code == 0, md.stderr
    assert f"本报告于{SHOWN}锁定发布" in md.stdout
    assert f"已于 {SHOWN} 锁定发布，此后有 1 处数据变动" in md.stderr
    out = tmp_path / "annual.xlsx"
    assert cli("report", "annual", "--year", "2025", "--out", str(out)).exit_code == 0
    sheet = openpyxl.load_workbook(out)["发布后变动情况"]
    assert str(sheet["A1"].value).startswith(f"本报告于{SHOWN}锁定发布")


def test_annual_page_names_the_office_date_of_the_lock(client_for, frozen) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    assert post_form(clerk, "/annual?year=2025", "/annual/2025/lock", {}).status_code == 303
    page = clerk.get("/annual?year=2025").text
    assert f"已于 {SHOWN} 锁定发布" in page and "2026-12-03" not in page
    refused = post_form(clerk, "/annual?year=2025", "/annual/2025/lock", {})
    assert refused.status_code == 409  # type: ignore[attr-defined]
    assert f"已于 {SHOWN} 锁定，数据未变" in refused.text  # type: ignore[attr-defined]
    post_form(clerk, "/annual?year=2025", "/annual/2025", {"rules_issued": "5"})
    page = clerk.get("/annual?year=2025").text
    assert f"本报告已于 {SHOWN} 锁定发布，此后有" in page and "2026-12-03" not in page
