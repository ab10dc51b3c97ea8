"""Every load is kept: `calendar history`, `calendar revert YEAR --to N` (both databases)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, text

from disclosure.migrate import alembic_config
from tests.conftest import NOW
from tests.notices.data import FICTIONAL_2027
from tests.register.conftest import Cli

pytestmark = pytest.mark.usefixtures("engine")
TODAY = "2026-12-15"
# The same notice reissued: 1-04 no longer off, Sat 1-16 no longer worked.
REISSUED = FICTIONAL_2027.replace("end = 2027-01-04", "end = 2027-01-03").replace(
    '  { date = 2027-01-16, name = "元旦" },\n', ""
)


def _history(c: Cli, *year: str) -> list[dict[str, Any]]:
    r = c.run("calendar", "history", *year, "--json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def _versions(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT * FROM calendar_version ORDER BY id"))]


def _reply(m: dict[str, Any]) -> list[tuple[str, str, bool]]:
    return [
        (x["old"], x["new"], x["was_provisional"]) for x in m["moved"] if x["clock"] == "reply_due"
    ]


def test_history_and_revert_round_trip(c: Cli, unchanged, engine: Engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Received Tue 12-15: 20 working days end Wed 1-13 with only 1-01 off in January
    # (12-16…12-31 are 12, 1-04…1-08 17, 1-11…1-13 20), Thu 1-14 with 1-04 off as well.
    number = c.register("2026-12-15", today=TODAY)["number"]
    first, second = tmp_path / "first.toml", tmp_path / "second.toml"
    first.write_text(FICTIONAL_2027, encoding="utf-8")
    second.write_text(REISSUED, encoding="utf-8")
    assert _reply(c.ok("calendar", "load", str(first), "--today", TODAY)) == [
        ("2027-01-13", "2027-01-14", True)
    ]
    assert _reply(c.ok("calendar", "load", str(second), "--today", TODAY)) == [
        ("2027-01-14", "2027-01-13", False)
    ]
    kept = _versions(engine)

    with unchanged():
        preview = c.ok("calendar", "revert", "2027", "--to", "1", "--dry-run")
    assert preview["dry_run"] and _reply(preview) == [("2027-01-13", "2027-01-14", False)]
    back = c.ok("calendar", "revert", "2027", "--to", "1")
    assert back["versions"] == [{"year": 2027, "version": 3, "reverts_to": 1}]
    assert back["moved"] == preview["moved"]
    assert c.show(number, today=TODAY)["reply_due"] == "2027-01-14"
    assert _versions(engine)[:2] == kept  # earlier versions are never rewritten

    history = _history(c, "2027")
    assert [(h["version"], h["action"], h["reverts_to"], h["in_force"]) for h in history] == [
        (1, "load", None, False),
        (2, "load", None, False),
        (3, "revert", 1, True),
    ]
    assert [h["source_name"] for h in history] == ["first.toml", "second.toml", ""]
    assert history[0]["moved"] == 2 and history[0]["loaded_by"] == "tester"  # reply + target
    assert history[2]["titles"] == history[0]["titles"]

    nothing = c.ok("calendar", "revert", "2027", "--to", "0")
    assert _reply(nothing) == [("2027-01-14", "2027-01-13", False)]
    assert c.ok("calendar", "show", "2027")["provisional"] is True
    shown = c.show(number, today=TODAY)
    assert (shown["reply_due"], shown["provisional"]) == ("2027-01-13", True)
    r = c.run("calendar", "history")
    assert "2027 年第 4 版（现行） · 恢复（至第 0 版）" in r.stdout
    assert "first.toml（SHA-256 " in r.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("2027", "--to", "2"), 5, "第 2 版就是 2027 年现行的版本"),
        (("2027", "--to", "9"), 4, "2027 年没有第 9 版（现行为第 2 版）"),
        (("2027", "--to", "-1"), 4, "没有第 -1 版"),
        (("2028", "--to", "0"), 4, "2028 年没有载入过节假日安排"),
    ],
    ids=["current", "no-such-version", "negative", "year-never-loaded"],
)
def test_revert_refusals_write_nothing(
    c: Cli, unchanged, tmp_path: Path, args: tuple[str, ...], code: int, message: str
) -> None:  # type: ignore[no-untyped-def]
    for content, name in ((FICTIONAL_2027, "a.toml"), (REISSUED, "b.toml")):
        (tmp_path / name).write_text(content, encoding="utf-8")
        c.ok("calendar", "load", str(tmp_path / name), "--today", TODAY)
    with unchanged():
        line = c.fails("calendar", "revert", *args, code=code)
    assert message in line
    if "版" in message:  # about the version: named by the option it came from (not 阶段)
        assert "--to: " in line, line


def test_revert_to_the_same_content_is_refused(c: Cli, unchanged, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for content, name in ((FICTIONAL_2027, "a.toml"), (REISSUED, "b.toml")):
        (tmp_path / name).write_text(content, encoding="utf-8")
        c.ok("calendar", "load", str(tmp_path / name), "--today", TODAY)
    c.ok("calendar", "revert", "2027", "--to", "1")
    with unchanged():
        line = c.fails("calendar", "revert", "2027", "--to", "1", code=5)
    assert "第 1 版与现行版本内容相同" in line


def test_notices_loaded_before_the_upgrade_become_version_1(engine: Engine, c: Cli) -> None:
    """Migration 0009 keeps what `calendar_notice` held (and its downgrade gives it back)."""
    cfg = alembic_config(engine)
    command.downgrade(cfg, "0006")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO calendar_notice (year, title, source_text, loaded_at, loaded_by) "
                "VALUES (2027, :t, :s, :at, 'old')"
            ),
            {"t": "x", "s": FICTIONAL_2027, "at": NOW},
        )
    command.upgrade(cfg, "head")
    (row,) = _history(c)
    assert (row["year"], row["version"], row["action"], row["loaded_by"]) == (
        2027,
        1,
        "load",
        "old",
    )
    assert c.ok("calendar", "show", "2027")["provisional"] is False
    command.downgrade(cfg, "0006")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT year, loaded_by FROM calendar_notice")).all() == [
            (2027, "old")
        ]
    command.upgrade(cfg, "head")
