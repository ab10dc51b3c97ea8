"""The API's fast paths against the slow ones they replaced: the audit row of a call (Core
insert) against `audit.record`, the token lookup (plain row) against the ORM, the list's flat
rows against `Listed.as_dict`, and the departments' labels against `department_names`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import col, select

from disclosure import audit
from disclosure.api.auth import Use, record_use
from disclosure.api.models import ApiToken
from disclosure.api.rate import count
from disclosure.api.routes_applications import _flat, pushed_summary
from disclosure.api.tokens import Caller, add_token, authenticate, revoke_token
from disclosure.db import transaction
from disclosure.models import Application
from disclosure.ops.models import AuditEntry
from disclosure.services.office import Office
from disclosure.services.queries import ListFilter, department_names, list_application_rows
from disclosure.services.read_model import listed_in
from disclosure.services.views import summary
from disclosure.vocabulary import AuditAction, AuditChannel
from disclosure.web.listing import department_labels
from tests.web.conftest import TODAY

NOW = datetime(2026, 3, 5, 8, 30, 15, 123456, tzinfo=UTC)


def _fields(e: AuditEntry) -> tuple[object, ...]:
    return (e.at, e.actor, e.action, e.target, e.address, e.via, e.personal_data, e.details)


def test_audit_row_is_what_audit_record_writes(engine: Engine) -> None:
    # Control and bidi characters, over-long values: cleaned as audit.record cleans them.
    values = {
        "actor": "api:平台\u202e" + "x" * 120,
        "target": "GET /api/v1/applications\x1b[31m" + "y" * 300,
        "details": {"token": "平台", "params": ["q", "status"], "refused": False},
        "address": "127.0.0.1\n" + "9" * 80,
        "now": NOW,
    }
    with transaction(engine) as session:
        audit.record(session, action=AuditAction.API_TOKEN_USED, via=AuditChannel.API, **values)
        use = {k: v for k, v in values.items() if k != "now"}
        record_use(session.connection(), Use(**use), now=NOW)  # type: ignore[arg-type]
    with transaction(engine, write=False) as session:
        stmt = select(AuditEntry).where(AuditEntry.action == AuditAction.API_TOKEN_USED.value)
        slow, fast = session.exec(stmt.order_by(col(AuditEntry.id))).all()
    assert _fields(fast) == _fields(slow)
    assert fast.details == {"token": "平台", "params": ["q", "status"], "refused": False}


def test_token_lookup_and_rate_count(engine: Engine) -> None:
    with transaction(engine) as session:
        _row, secret = add_token(
            session, name="platform-a", scope="read", rate_per_minute=7, actor="admin", now=NOW
        )
    with transaction(engine) as session:
        found = authenticate(session.connection(), secret)
        row = session.exec(select(ApiToken)).one()
        assert found == Caller(row.id, "platform-a", "platform-a", "read", None, 7)  # type: ignore[arg-type]
        assert authenticate(session.connection(), secret + "x") is None
        assert authenticate(session.connection(), "no-prefix") is None
        hits = [count(session.connection(), token_id=row.id, now=NOW) for _ in range(3)]  # type: ignore[arg-type]
        later = count(session.connection(), token_id=row.id, now=NOW + timedelta(minutes=1))  # type: ignore[arg-type]
    assert hits == [1, 2, 3] and later == 1
    with transaction(engine) as session:
        revoke_token(session, name="platform-a", actor="admin", now=NOW, tz="Asia/Shanghai")
    with transaction(engine) as session:
        assert (
            authenticate(session.connection(), secret) is None
        )  # revoked: refused from the next call


def test_flat_rows_and_department_labels(engine: Engine, office: Office) -> None:
    from disclosure.services.context import Context
    from disclosure.services.registration import parse_create, register_application

    with transaction(engine) as session:
        ctx = Context(office, TODAY, "clerk", NOW)
        for i, dept in enumerate([None, "zcfg", "hbc"] * 2):
            data = {
                "channel": "online",
                "received_on": TODAY,
                "applicant_name": f"张三{i}",
                "applicant_type": "natural",
                "content": "某河道水质监测报告",
                "department": dept,
            }
            register_application(session, ctx=ctx, data=parse_create(data))
    with transaction(engine, write=False) as session:
        slow_deps, fast_deps = department_names(session), department_labels(session)
        assert {k: (d.code, d.name) for k, d in slow_deps.items()} == {
            k: (d.code, d.name) for k, d in fast_deps.items()
        }
        rows = list_application_rows(
            session, office=office, today=TODAY, flt=ListFilter(open_only=True)
        )
        for app in session.exec(select(Application)).all():
            fast, slow = (
                pushed_summary(session, app, office, TODAY),
                summary(app, office, TODAY, slow_deps),
            )
            assert fast == slow and list(fast) == list(slow)
    assert len(rows) == 6
    for r in rows:
        d = slow_deps.get(r.lead_department_id) if r.lead_department_id else None
        item = listed_in(r, office, TODAY, (d.code, d.name) if d else None)
        flat = _flat(item)
        assert flat == item.as_dict() and list(flat) == list(item.as_dict())


def test_api_writes_queue_on_sqlite_and_give_up_after_the_busy_timeout(engine: Engine) -> None:
    """`api.writes`: on SQLite one API writer at a time per process; a writer that cannot
    get its turn within `[database] busy_timeout` fails as a lock wait in the database does.
    PostgreSQL does not queue."""
    import threading
    from types import SimpleNamespace
    from typing import Any

    import pytest

    from disclosure.api.writes import write_transaction
    from disclosure.db import RegisterBusy

    state: Any = SimpleNamespace(
        engine=engine,
        settings=SimpleNamespace(database=SimpleNamespace(busy_timeout=0.05)),
        api_writes=threading.Lock(),
    )
    with write_transaction(state) as session:  # a turn, then the lock is free again
        record_use(session.connection(), Use("api:a", "GET /x", {}, ""), now=NOW)
    assert not state.api_writes.locked()
    with state.api_writes:  # another writer of this process holds the turn
        if engine.dialect.name == "sqlite":
            with pytest.raises(RegisterBusy), write_transaction(state):
                pass
        else:
            with write_transaction(state) as session:
                record_use(session.connection(), Use("api:b", "GET /x", {}, ""), now=NOW)
    with pytest.raises(ZeroDivisionError), write_transaction(state):
        1 / 0  # noqa: B018  (an error inside: rolled back, and the turn is given back)
    assert not state.api_writes.locked()
