"""A notice beyond every published one (rulebook §1.8): refused as implausible unless the
loader confirms having checked it against the notice, and then loaded with the figures kept
in the audit entry; the other checks cannot be overridden."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.notices.data import NOTICE_2027
from tests.register.conftest import Cli

pytestmark = pytest.mark.usefixtures("engine")
TODAY = "2026-12-15"
# 29 days off + 国庆 one day longer, 端午 and 中秋 three days each: 34, one more than 2026's 33.
RECORD_2027 = (
    NOTICE_2027.replace("end = 2027-10-07", "end = 2027-10-08")
    .replace("start = 2027-06-09, end = 2027-06-09", "start = 2027-06-09, end = 2027-06-11")
    .replace("start = 2027-09-15, end = 2027-09-15", "start = 2027-09-15, end = 2027-09-17")
)


def _audited(engine: Engine) -> list[dict]:  # type: ignore[type-arg]
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT details FROM audit_log WHERE action = 'calendar_loaded'")
        ).all()
    return [r[0] if isinstance(r[0], dict) else json.loads(r[0]) for r in rows]


def test_a_record_notice_loads_once_confirmed(c: Cli, unchanged, tmp_path: Path, engine) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "2027.toml"
    path.write_text(RECORD_2027, encoding="utf-8")
    with unchanged():
        line = c.fails("calendar", "load", str(path), "--today", TODAY, code=2)
    assert "2027 年放假 34 天，超过已发布的国务院通知中的最大值（33 天，2026 年）" in line
    assert "--accept-unusual" in line  # what to do next
    preview = c.ok("calendar", "load", str(path), "--accept-unusual", "--dry-run", "--today", TODAY)
    assert preview["dry_run"] is True and any("放假 34 天" in u for u in preview["unusual"])
    assert _audited(engine) == []
    done = c.ok("calendar", "load", str(path), "--accept-unusual", "--today", TODAY)
    assert done["versions"] == [{"year": 2027, "version": 1, "reverts_to": None}]
    [details] = _audited(engine)
    assert details["versions"] == {"2027": 1}
    assert any("放假 34 天" in u for u in details["unusual"])


def test_the_confirmation_does_not_waive_the_other_checks(
    c: Cli, unchanged, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "2027.toml"
    path.write_text(
        RECORD_2027.replace('  { name = "清明节", start = 2027-04-03, end = 2027-04-05 },\n', ""),
        encoding="utf-8",
    )
    with unchanged():
        line = c.fails("calendar", "load", str(path), "--accept-unusual", "--today", TODAY, code=2)
    assert "清明节" in line and "未把以下法定节假日列为放假" in line
