"""The /annual page's lock button is audited (who, 网页, the client's address, year, SHA-256,
the publication it replaces), and a corrected publication says which version it corrects."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from disclosure.web.routes import annual as annual_routes
from tests.web.conftest import post_form

FIRST = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
SECOND = datetime(2026, 12, 3, 18, 21, tzinfo=UTC)  # 2026-12-04 in Beijing


def _audit(cli, action: str) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    r = cli("audit", "list", "--action", action, "--json")
    assert r.exit_code == 0, r.stderr
    rows: list[dict] = json.loads(r.stdout)  # type: ignore[type-arg]
    return rows


def test_web_lock_and_correction_are_audited(  # type: ignore[no-untyped-def]
    client_for, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    clerk = client_for("clerk")
    monkeypatch.setattr(annual_routes, "now_utc", lambda: FIRST)
    assert post_form(clerk, "/annual?year=2025", "/annual/2025/lock", {}).status_code == 303
    [first] = _audit(cli, "report_published")
    assert (first["actor"], first["via"], first["address"]) == ("clerk", "web", "testclient")
    assert first["details"]["year"] == 2025 and len(first["details"]["sha256"]) == 64
    page = clerk.get("/annual?year=2025").text
    assert "更正发布" not in page.split("<h2>锁定发布</h2>")[0]

    post_form(clerk, "/annual?year=2025", "/annual/2025", {"rules_issued": "5"})
    monkeypatch.setattr(annual_routes, "now_utc", lambda: SECOND)
    done = post_form(clerk, "/annual?year=2025", "/annual/2025/lock", {"republish": "1"})
    assert done.status_code == 303  # type: ignore[attr-defined]
    [again] = _audit(cli, "report_republished")
    assert (again["actor"], again["via"], again["address"]) == ("clerk", "web", "testclient")
    assert again["details"]["replaces"] == first["details"]["lock"]
    assert again["details"]["replaces_sha256"] == first["details"]["sha256"]
    page = clerk.get("/annual?year=2025").text
    assert "已更正发布 2025 年度报告" in page
    sha = first["details"]["sha256"]
    assert f"本报告于 2026-12-04 更正发布，更正 2026-03-01 发布的版本（SHA-256 {sha}）。" in page
    md = clerk.get("/annual/2025/report.md").text
    assert f"更正 2026-03-01 发布的版本（SHA-256 {sha}）" in md
