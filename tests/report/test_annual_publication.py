"""Publishing the annual report is audited, and a correction keeps the earlier publication.

`report lock` writes 发布年度报告 and `report lock --republish` 更正发布年度报告 into the
audit log in the lock's transaction (who, via, year, SHA-256, the lock it replaces). The
corrected publication is a new lock naming the earlier one, which stays byte for byte; the
report (JSON, Markdown), the CLI and `--as-published` say which version is in force.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import docx
import openpyxl
import pytest
from sqlmodel import col, select

from disclosure.cli import annual_cmds
from disclosure.db import transaction
from disclosure.report.annual_models import ReportLock

FIRST = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)  # 2026-03-01 10:00 in Beijing
SECOND = datetime(2026, 12, 3, 18, 21, tzinfo=UTC)  # 2026-12-04 02:21 in Beijing


def _audit(cli, action: str) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    r = cli("audit", "list", "--action", action, "--json")
    assert r.exit_code == 0, r.stderr
    rows: list[dict] = json.loads(r.stdout)  # type: ignore[type-arg]
    return rows


def _lock(cli, monkeypatch: pytest.MonkeyPatch, at: datetime, *extra: str):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(annual_cmds, "now_utc", lambda: at)
    r = cli("report", "lock", "--year", "2025", *extra)
    assert r.exit_code == 0, r.stderr
    return r


def test_lock_and_republish_are_audited(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    assert cli("report", "set", "--year", "2025", "rules_issued", "4").exit_code == 0
    _lock(cli, monkeypatch, FIRST)
    [first] = _audit(cli, "report_published")
    assert first["actor"] == "tester" and first["via"] == "cli" and first["address"] == ""
    assert first["action_label"] == "发布年度报告" and first["target"] == "2025 年度报告"
    first_sha = first["details"]["sha256"]
    assert first["details"]["year"] == 2025 and len(first_sha) == 64
    assert _audit(cli, "report_republished") == []

    assert cli("report", "set", "--year", "2025", "rules_issued", "5").exit_code == 0
    refused = cli("report", "lock", "--year", "2025")  # no --republish: nothing written
    assert refused.exit_code == 5
    assert len(_audit(cli, "report_published")) == 1 and _audit(cli, "report_republished") == []
    _lock(cli, monkeypatch, SECOND, "--republish")
    [again] = _audit(cli, "report_republished")
    assert again["action_label"] == "更正发布年度报告" and again["via"] == "cli"
    details = again["details"]
    assert details["replaces"] == first["details"]["lock"]
    assert details["replaces_sha256"] == first_sha and details["sha256"] != first_sha
    assert "更正的发布记录" in again["details_text"] and "SHA-256" in again["details_text"]


def test_a_correction_keeps_the_earlier_publication_and_says_so(  # type: ignore[no-untyped-def]
    cli, engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert cli("report", "set", "--year", "2025", "rules_issued", "4").exit_code == 0
    _lock(cli, monkeypatch, FIRST)
    with transaction(engine, write=False) as session:
        [kept] = session.exec(select(ReportLock)).all()
        before = (kept.id, kept.content, kept.sha256, kept.locked_at)
    assert cli("report", "set", "--year", "2025", "rules_issued", "5").exit_code == 0
    done = _lock(cli, monkeypatch, SECOND, "--republish")
    note = f"本报告于 2026-12-04 更正发布，更正 2026-03-01 发布的版本（SHA-256 {before[2]}）。"
    assert note in done.stdout

    with transaction(engine, write=False) as session:
        locks = session.exec(select(ReportLock).order_by(col(ReportLock.id))).all()
        assert [(x.id, x.content, x.sha256, x.locked_at) for x in locks[:1]] == [before]
        assert len(locks) == 2 and locks[1].supersedes_id == before[0]

    out = json.loads(cli("report", "annual", "--year", "2025", "--format", "json").stdout)
    assert out["publication"]["corrects"] == {
        "lock_id": before[0],
        "locked_at": before[3].isoformat(),
        "sha256": before[2],
    }
    md = cli("report", "annual", "--year", "2025")
    assert md.exit_code == 0, md.stderr
    assert note in md.stdout and note in md.stderr
    docx_out, xlsx_out = tmp_path / "r.docx", tmp_path / "r.xlsx"
    assert cli("report", "annual", "--year", "2025", "--out", str(docx_out)).exit_code == 0
    assert note in [p.text for p in docx.Document(str(docx_out)).paragraphs]
    fmt = ("report", "annual", "--year", "2025", "--format", "xlsx", "--out", str(xlsx_out))
    assert cli(*fmt).exit_code == 0
    cells = [c.value for ws in openpyxl.load_workbook(xlsx_out) for r in ws.iter_rows() for c in r]
    assert note in cells


def test_a_first_publication_has_no_correction_note(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    done = _lock(cli, monkeypatch, FIRST)
    assert "更正" not in done.stdout
    out = json.loads(cli("report", "annual", "--year", "2025", "--format", "json").stdout)
    assert out["publication"]["corrects"] is None
    assert "更正发布" not in cli("report", "annual", "--year", "2025").stdout


def test_as_published_prints_the_frozen_snapshot(  # type: ignore[no-untyped-def]
    cli, monkeypatch, tmp_path: Path
) -> None:
    missing = cli("report", "annual", "--year", "2025", "--as-published")
    assert missing.exit_code == 4 and "尚未锁定发布" in missing.stderr
    assert cli("report", "set", "--year", "2025", "rules_issued", "4").exit_code == 0
    _lock(cli, monkeypatch, FIRST)
    [entry] = _audit(cli, "report_published")
    assert cli("report", "set", "--year", "2025", "rules_issued", "7").exit_code == 0
    shown = cli("report", "annual", "--year", "2025", "--as-published")
    assert shown.exit_code == 0, shown.stderr
    assert hashlib.sha256(shown.stdout.encode("utf-8")).hexdigest() == entry["details"]["sha256"]
    assert json.loads(shown.stdout)["proactive"]["rules"]["issued"] == 4  # not today's 7
    out = tmp_path / "published.json"
    saved = cli("report", "annual", "--year", "2025", "--as-published", "--out", str(out))
    assert saved.exit_code == 0, saved.stderr
    assert out.read_text(encoding="utf-8") == shown.stdout
    refused = cli("report", "annual", "--year", "2025", "--as-published", "--format", "md")
    assert refused.exit_code != 0 and "只能输出 json" in refused.stderr
