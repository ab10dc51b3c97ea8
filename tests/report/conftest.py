"""Report fixtures: a service-layer helper and a second, fresh database of the same backend."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url
from sqlmodel import col, select

from disclosure.db import transaction
from disclosure.letters.service import LetterOptions, issue_letter
from disclosure.models import Application
from disclosure.services import steps
from disclosure.services.context import Context
from disclosure.services.office import load_office
from disclosure.services.registration import parse_create, register_application
from disclosure.settings import Settings
from disclosure.vocabulary import AbandonReason
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

    def _ctx(self, session) -> Context:  # type: ignore[no-untyped-def]
        return Context(load_office(session, self.settings), TODAY, "t", NOW)

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
            app = register_application(session, ctx=self._ctx(session), data=parse_create(values))
            return app.number

    def event(self, number: str, kind: str, on: str, **kw: object) -> None:
        d = date.fromisoformat(on)
        step: steps.Step
        if kind == "correction_requested":
            step = steps.CorrectionRequested(on=d, served=d)  # handed over in person
        elif kind == "correction_received":
            step = steps.CorrectionReceived(on=d)
        elif kind == "fee_notice_sent":
            step = steps.FeeNotice(on=d, served=d, amount=int(kw["amount_yuan"]))  # type: ignore[call-overload]
        elif kind == "fee_paid":
            step = steps.FeePaid(on=d)
        else:
            assert kind == "extension_granted", kind
            step = steps.Extension(on=d, days=int(kw["days"]), approver=str(kw["approver"]))  # type: ignore[call-overload]
        with transaction(self.engine) as session:
            step.record(session, self._ctx(session), number)

    def reply(self, number: str, outcome: str, on: str) -> None:
        d = date.fromisoformat(on)
        step: steps.Step
        if outcome == "6.1":
            step = steps.Abandonment(on=d, reason=AbandonReason.CORRECTION)
        elif outcome == "6.2":
            step = steps.Abandonment(on=d, reason=AbandonReason.FEE)
        elif outcome == "6.3":
            step = steps.Withdrawal(on=d)
        else:
            step = steps.Reply(on=d, code=outcome, repeats=self._facts_for(number, outcome, d))
        with transaction(self.engine) as session:
            step.record(session, self._ctx(session), number)

    def _facts_for(self, number: str, outcome: str, on: date) -> str:
        """Record what outcomes 4.3, 5.2 and 5.4 presuppose (rulebook §11.8) on the reply's
        day; returns the earlier application a 5.2 reply repeats ("" otherwise)."""
        with transaction(self.engine) as session:
            ctx = self._ctx(session)
            if outcome == "4.3":
                asked = steps.CorrectionRequested(on=on, served=on)
                asked.record(session, ctx, number)
                steps.CorrectionReceived(on=on).record(session, ctx, number)
            elif outcome == "5.4":
                issue_letter(
                    session, ctx=ctx, number=number, kind="art35",
                    options=LetterOptions(on=on, due=on),
                )  # fmt: skip
            elif outcome == "5.2":
                earlier = session.exec(
                    select(Application)
                    .where(col(Application.closed_on).is_not(None), Application.number != number)
                    .order_by(col(Application.id))
                ).first()
                assert earlier is not None, "a 5.2 reply repeats an application replied before"
                return earlier.number
        return ""


@pytest.fixture
def reg(engine: Engine, settings: Settings) -> Iterator[Register]:
    yield Register(engine, settings)
