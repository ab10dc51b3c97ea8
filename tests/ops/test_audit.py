"""The audit log: append-only in the database itself, filters, what it keeps of odd input."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, text

from disclosure import audit
from disclosure.db import transaction
from disclosure.timefmt import day_end, day_start, local_time
from disclosure.vocabulary import AuditAction


def _add(engine: Engine, actor: str, action: AuditAction, at: datetime, **extra: object) -> None:
    with transaction(engine) as session:
        audit.record(session, actor=actor, action=action, now=at, **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log",
    ],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_change_an_entry(engine: Engine, statement: str) -> None:
    _add(engine, "admin", AuditAction.SIGN_IN, datetime(2026, 12, 1, 1, 0, tzinfo=UTC))
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))
    with engine.connect() as conn:
        assert (
            conn.execute(text("SELECT actor FROM audit_log ORDER BY id")).scalars().all()[-1]
            == "admin"
        )


def test_truncate_is_refused_on_postgresql(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_log"))


def test_the_service_offers_no_way_to_change_an_entry() -> None:
    public = {name for name in dir(audit) if not name.startswith("_")}
    verbs = ("update", "delete", "remove", "purge", "edit", "change", "set_", "clear")
    assert not [n for n in public if any(v in n.lower() for v in verbs)]


def test_filters_by_office_day_user_and_action(engine: Engine) -> None:
    tz = "Asia/Shanghai"
    # 2025-03-01 23:30 in Shanghai is 15:30 UTC; 00:30 on the 2nd is 16:30 UTC on the 1st.
    _add(engine, "li", AuditAction.SIGN_IN, datetime(2025, 3, 1, 15, 30, tzinfo=UTC))
    _add(engine, "li", AuditAction.LEDGER_EXPORTED, datetime(2025, 3, 1, 16, 30, tzinfo=UTC),
         personal_data=True)  # fmt: skip
    _add(engine, "wang", AuditAction.SIGN_IN, datetime(2025, 3, 2, 1, 0, tzinfo=UTC))
    day2 = date(2025, 3, 2)
    with transaction(engine, write=False) as session:
        on_day2 = audit.entries(
            session, audit.AuditFilter(since=day_start(day2, tz), until=day_end(day2, tz))
        )
        by_li = audit.entries(session, audit.AuditFilter(actor="li"))
        pii = audit.entries(session, audit.AuditFilter(personal_data_only=True))
        sign_ins = audit.count(session, audit.AuditFilter(actions=["sign_in"]))
    assert [(e.actor, e.action) for e in on_day2] == [
        ("wang", "sign_in"),
        ("li", "ledger_exported"),
    ]
    assert [e.action for e in by_li] == ["ledger_exported", "sign_in"]  # newest first
    assert [e.action for e in pii] == ["ledger_exported"]
    assert sign_ins == 2
    assert local_time(on_day2[1].at, tz) == "2025-03-02 00:30"


def test_control_and_bidi_characters_never_reach_a_terminal(engine: Engine) -> None:
    evil = "adm\x1b[31min\u202eexe.txt\r\n"
    _add(engine, evil, AuditAction.SIGN_IN_FAILED, datetime(2026, 12, 1, tzinfo=UTC),
         address="10.0.0.1\x07")  # fmt: skip
    with transaction(engine, write=False) as session:
        entry = audit.entries(session, audit.AuditFilter(actions=["sign_in_failed"]))[0]
    assert "\x1b" not in entry.actor and "\u202e" not in entry.actor and "\r" not in entry.actor
    assert entry.actor.startswith("adm\ufffd[31min\ufffdexe.txt")
    assert entry.address == "10.0.0.1\ufffd"


def test_unknown_action_is_refused(engine: Engine) -> None:
    with pytest.raises(ValueError), transaction(engine) as session:
        audit.record(session, actor="x", action="made_up")
