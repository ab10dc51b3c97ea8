"""API tokens' creation and revocation read in the office's time zone (Asia/Shanghai) in
`disclosure token list` and on /admin/tokens; `--json` keeps the stored UTC moments."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from disclosure.api import tokens
from disclosure.db import transaction

CREATED = datetime(2026, 12, 3, 18, 25, 7, 470518, tzinfo=UTC)  # 2026-12-04 02:25 in Beijing
REVOKED = datetime(2026, 12, 4, 17, 40, tzinfo=UTC)  # 2026-12-05 01:40 in Beijing


def _tokens(engine) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        tokens.add_token(session, name="oa", actor="admin", now=CREATED)
        tokens.add_token(session, name="old", actor="admin", now=CREATED)
        tokens.revoke_token(session, name="old", actor="admin", now=REVOKED, tz="Asia/Shanghai")


def test_token_list_shows_office_time(cli, engine) -> None:  # type: ignore[no-untyped-def]
    _tokens(engine)
    r = cli("token", "list")
    assert r.exit_code == 0, r.stderr
    assert "2026-12-04 02:25" in r.stdout and "2026-12-05 01:40" in r.stdout
    assert "2026-12-03" not in r.stdout and "+00:00" not in r.stdout
    rows = json.loads(cli("token", "list", "--json").stdout)
    [old] = [row for row in rows if row["name"] == "old"]
    assert datetime.fromisoformat(old["revoked_at"]).replace(tzinfo=UTC) == REVOKED


def test_tokens_page_shows_office_time(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    _tokens(engine)
    page = client_for("admin").get("/admin/tokens")
    assert page.status_code == 200
    assert "2026-12-04 02:25 admin" in page.text
    assert "已撤销（2026-12-05 01:40 admin）" in page.text
    assert "2026-12-03" not in page.text


def test_revoking_twice_names_the_first_revocation_in_office_time(cli, engine) -> None:  # type: ignore[no-untyped-def]
    _tokens(engine)
    r = cli("token", "revoke", "old")
    assert r.exit_code == 5 and "已于 2026-12-05 01:40 撤销" in r.stderr, r.stderr
