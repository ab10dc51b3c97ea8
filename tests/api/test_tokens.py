"""`disclosure token add | list | revoke`: the secret shown once, only its hash stored."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import text

from disclosure.db import make_engine
from disclosure.settings import load_settings


def _stored(db_url: str) -> list[tuple[str, str, str, object]]:
    engine = make_engine(load_settings(None, database={"url": db_url}))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT name, secret_sha256, scope, revoked_at FROM api_token ORDER BY id")
            )
            return [tuple(r) for r in rows]  # type: ignore[misc]
    finally:
        engine.dispose()


def test_add_shows_the_secret_once_and_stores_its_hash(cli, db_url: str) -> None:  # type: ignore[no-untyped-def]
    r = cli("token", "add", "--name", "platform", "--scope", "write", "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    secret = out["token"]
    assert secret.startswith("dtk_") and len(secret) > 40
    assert out["scope"] == "write" and out["department"] is None
    ((name, digest, scope, revoked),) = _stored(db_url)
    assert (name, scope, revoked) == ("platform", "write", None)
    assert digest == hashlib.sha256(secret.encode()).hexdigest() and secret not in digest

    listed = cli("token", "list", "--json")
    assert listed.exit_code == 0
    assert secret not in listed.stdout
    assert [t["name"] for t in json.loads(listed.stdout)] == ["platform"]
    again = cli("token", "add", "--name", "platform2", "--json")
    assert json.loads(again.stdout)["token"] != secret  # random, not derived from anything


def test_department_tokens_and_revocation(cli, db_url: str) -> None:  # type: ignore[no-untyped-def]
    r = cli("token", "add", "--name", "hbc-oa", "--department", "hbc", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["scope"] == "read"
    assert cli("token", "revoke", "hbc-oa").exit_code == 0
    (row,) = _stored(db_url)
    assert row[3] is not None  # revoked: a fact on the row, which stays
    shown = json.loads(cli("token", "list", "--json").stdout)
    assert shown[0]["department"] == "hbc" and shown[0]["revoked_at"] is not None
    again = cli("token", "revoke", "hbc-oa")
    assert again.exit_code == 5 and "已" in again.stderr  # Conflict: already revoked


def test_bad_input_names_the_option_and_writes_nothing(cli, db_url: str) -> None:  # type: ignore[no-untyped-def]
    for args, option, code in (
        (["--name", "x", "--scope", "admin"], "--scope", 2),
        (["--name", "x", "--department", "nope"], "--department", 2),
        (["--name", "有空格 的名字"], "--name", 2),
    ):
        r = cli("token", "add", *args)
        assert r.exit_code == code, (args, r.stderr)
        assert option in r.stderr
    assert _stored(db_url) == []
    assert cli("token", "add", "--name", "ok").exit_code == 0
    dup = cli("token", "add", "--name", "ok")
    assert dup.exit_code == 5 and "--name" in dup.stderr
    assert cli("token", "revoke", "missing").exit_code == 4
    assert len(_stored(db_url)) == 1
