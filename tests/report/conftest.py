"""Report fixtures: a service-layer helper and a second, fresh database of the same backend."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url

from disclosure.db import transaction
from disclosure.services import applications as svc
from disclosure.services.office import load_office
from disclosure.settings import Settings
from tests.conftest import PG_URL, _pg_admin

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def fresh_url(db_url: str, tmp_path: Path, sqlite_template: Path, pg_template: str | None):  # type: ignore[no-untyped-def]
    """Another empty, migrated database on the same backend as `db_url`."""
    if db_url.startswith("sqlite"):
        target = tmp_path / "fresh.db"
        shutil.copy(sqlite_template, target)
        yield f"sqlite:///{target}"
        return
    name = f"dt_{uuid.uuid4().hex[:12]}"
    with _pg_admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    yield str(make_url(PG_URL).set(database=name))
    with _pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Register:
    """Registers applications and records their history through the service layer."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine, self.settings = engine, settings

    def _common(self, session):  # type: ignore[no-untyped-def]
        office = load_office(session, self.settings)
        return {"session": session, "office": office, "today": TODAY, "actor": "t", "now": NOW}

    def app(
        self,
        atype: str,
        received: str | None,
        *,
        arrived: str | None = None,
        channel: str = "in_person",
        **extra: object,
    ) -> str:
        values = {
            "channel": channel,
            "received_on": date.fromisoformat(received) if received else None,
            "arrived_on": date.fromisoformat(arrived) if arrived else None,
            "applicant_name": f"申请人{atype}",
            "applicant_type": atype,
            "content": "请公开某项目环评批复",
            **extra,
        }
        with transaction(self.engine) as session:
            app = svc.register_application(data=svc.parse_create(values), **self._common(session))
            return app.number

    def event(self, number: str, kind: str, on: str, **kw: object) -> None:
        with transaction(self.engine) as session:
            ev = svc.EventInput(kind, date.fromisoformat(on), **kw)  # type: ignore[arg-type]
            svc.record_event(number=number, event=ev, **self._common(session))

    def reply(self, number: str, outcome: str, on: str) -> None:
        with transaction(self.engine) as session:
            common = self._common(session)
            d = date.fromisoformat(on)
            if outcome == "6.1":
                svc.abandon(number=number, on=d, reason="correction", **common)
            elif outcome == "6.2":
                svc.abandon(number=number, on=d, reason="fee", **common)
            elif outcome == "6.3":
                svc.withdraw(number=number, on=d, **common)
            else:
                svc.reply(number=number, outcome=outcome, on=d, **common)


@pytest.fixture
def reg(engine: Engine, settings: Settings) -> Iterator[Register]:
    yield Register(engine, settings)
