"""The batched recompute (raw driver rows, memo, raw comparison, per-database writes) gives
exactly what the engine gives application by application through the ORM (both databases).

A seeded register of varied histories — every engine step, letters served through the step
(`served_on`), through service records (direct, by post signed for or not) or not at all,
notes with separators and quotes, receipts corrected, applications without a receipt, a
closed one, many identical histories (memo hits) with different stored columns (stale or
not) — is recomputed with small batches; the reference is `services.deadlines.compute_for`
per application.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from disclosure.db import transaction
from disclosure.errors import DisclosureError
from disclosure.models import Application, EventRecord
from disclosure.notices import recompute as recompute_mod
from disclosure.notices import service, writes
from disclosure.notices.recompute import STORED, recompute_open
from disclosure.services.deadlines import columns, compute_events, compute_for, events_of
from disclosure.services.office import Office
from disclosure.settings import Settings
from rules.events import Event, EventKind
from tests.notices.data import FICTIONAL_2027

pytestmark = pytest.mark.usefixtures("engine")
TODAY = date(2026, 12, 21)
NOW = datetime(2026, 12, 21, 2, 0, tzinfo=UTC)
NOTES = ["", "暂停", 'a|b;c,"d"', "it's", "分办\n第二行"]
Moves = list[tuple[str, str, date | None, date | None, bool]]


History = list[tuple[Event, str]]  # each event, and how its letter is served ("" if none)


def _history(rnd: random.Random, office: Office) -> History:
    """A history valid for the engine, with how each letter step is served."""
    cal = office.calendar
    start = date(2026, 11, 23)
    days = [start + timedelta(n) for n in range((TODAY - start).days + 1)]
    days = [d for d in days if cal.is_working_day(d)]
    received = rnd.choice(days[-12:]) if rnd.random() < 0.6 else rnd.choice(days)
    after = [d for d in days if d > received] or [received]
    pick = lambda: rnd.choice(after)  # noqa: E731
    evs = [(Event(EventKind.RECEIVED, received, trusted=True), "")]
    for _ in range(rnd.choice([0, 0, 1, 1, 2, 3])):
        r, on = rnd.random(), pick()
        mode = rnd.choice(["none", "data", "direct", "post_signed", "post_unsigned"])
        served = None if mode in ("none", "post_unsigned") else min(on + timedelta(2), TODAY)
        if r < 0.15:
            evs.append((Event(EventKind.CORRECTION_REQUESTED, on, served=served), mode))
            if rnd.random() < 0.5:
                evs.append((Event(EventKind.CORRECTION_RECEIVED, max(on, pick())), ""))
        elif r < 0.3:
            party = rnd.choice(["某公司", "第三方2"])
            evs.append((Event(EventKind.CONSULTATION_SENT, on, party=party, served=served), mode))
            if rnd.random() < 0.5:
                evs.append((Event(EventKind.CONSULTATION_ANSWERED, pick(), party=party), ""))
        elif r < 0.45:
            evs.append((Event(EventKind.FEE_NOTICE_SENT, on, served=served), mode))
            if rnd.random() < 0.4:
                evs.append((Event(EventKind.FEE_PAID, max(on, pick())), ""))
            elif rnd.random() < 0.3:
                evs.append((Event(EventKind.LATE_PAYMENT_ACCEPTED, on, note="同意"), ""))
        elif r < 0.65:
            n = rnd.randint(1, 20)
            evs.append((Event(EventKind.EXTENSION_GRANTED, on, days=n, approver="主任"), ""))
        elif r < 0.8:
            end = on + timedelta(rnd.randint(0, 10))
            evs.append((Event(EventKind.PAUSE, on, end=end, note=rnd.choice(NOTES)), ""))
        else:
            due = rnd.choice([date(2027, 1, 29), date(2027, 2, 26)])
            evs.append((Event(EventKind.DEFERRED, on, due=due), ""))
    evs.sort(key=lambda e: e[0].on)
    return evs


def _valid(history: History, *offices: Office) -> bool:
    """As logged records are read (`trusted`)."""
    evs = [e._replace(trusted=True) for e, _ in history]
    try:
        for office in offices:
            compute_events("", evs, office)
    except DisclosureError:
        return False
    return True


def _insert(session: Session, i: int, history: History) -> None:
    received = history[0][0].on if history else None
    app = Application(
        number=f"2026-{i:05d}", year=2026, seq=i, channel="in_person",
        arrived_on=received or TODAY, received_on=received, applicant_name=f"申请人{i}",
        applicant_type="natural", content="请求公开", stage="handling",
        created_at=NOW, updated_at=NOW, created_by="test",
    )  # fmt: skip
    session.add(app)
    session.flush()

    def add(kind: str, on: date, **kw: Any) -> EventRecord:
        rec = EventRecord(application_id=app.id, kind=kind, on=on, recorded_at=NOW, **kw)
        session.add(rec)
        session.flush()
        return rec

    add("registered", app.arrived_on or TODAY)
    add("assigned", app.arrived_on or TODAY, note="分办")
    if received is not None and i % 9 == 4:  # a receipt corrected (the column follows)
        app.received_on = app.arrived_on = received - timedelta(2)
        change = {"old": received.isoformat(), "new": app.received_on.isoformat()}
        add("receipt_corrected", TODAY, data={"changes": {"received": change}})
    for letter, (e, mode) in enumerate(history):
        data: dict[str, Any] = {}
        if mode == "data":
            assert e.served is not None
            data["served_on"] = e.served.isoformat()
        rec = add(
            e.kind.value, e.on, days=e.days, due_on=e.due, end_on=e.end, party=e.party,
            approver=e.approver, note=e.note, data=data,
        )  # fmt: skip
        if mode in ("direct", "post_signed", "post_unsigned"):
            record = {
                "letter_id": 1000 * i + letter, "reference": f"第{letter}号",
                "step_event_id": rec.id, "method": "direct" if mode == "direct" else "post_ems",
                "on": e.on.isoformat(), "tracking": "", "proof_document_id": None,
                "signed": e.served.isoformat() if e.served else None,
            }  # fmt: skip
            add("letter_served", e.on, data=record)


def _stale(rnd: random.Random, app: Application) -> None:
    """Stored columns that do not match their history (as after an interrupted write)."""
    r = rnd.random()
    if r < 0.08 and app.reply_due:
        app.reply_due = app.reply_due + timedelta(1)
    elif r < 0.14:
        app.provisional = not app.provisional
    elif r < 0.18:
        app.next_action_due = None
    elif r < 0.21:
        app.flag_count += 2
    elif r < 0.24:
        app.awaiting_correction = not app.awaiting_correction


@pytest.fixture
def register(engine: Engine, settings: Settings) -> service.Plan:
    """About 300 applications, stored with the shipped calendar (2027 provisional); the
    plan of loading the fictional 2027 notice."""
    with transaction(engine) as session:
        plan = service.plan_load(
            session, settings=settings, raw=FICTIONAL_2027.encode(), source_name="t.toml",
            today=TODAY,
        )  # fmt: skip
        rnd = random.Random(20)
        pool: list[History] = []
        for i in range(1, 301):
            if pool and rnd.random() < 0.45:  # the same history as an earlier application
                history = rnd.choice(pool)
                if rnd.random() < 0.4:  # the same events, but no letter served
                    unserved = [(e._replace(served=None), "none" if m else m) for e, m in history]
                    history = unserved if _valid(unserved, plan.old, plan.new) else history
            else:
                history = _history(rnd, plan.old)
                while not _valid(history, plan.old, plan.new):
                    history = _history(rnd, plan.old)
                pool.append(history)
            _insert(session, i, [] if i % 50 == 0 else history)  # % 50: not yet received
        for app in session.exec(select(Application)).all():
            for name, value in columns(compute_for(app, events_of(session, app), plan.old)).items():
                setattr(app, name, value)
            if app.number != "2026-00007":
                _stale(rnd, app)
            else:  # closed: never recomputed
                app.is_open, app.reply_due = False, date(2020, 1, 1)
            session.add(app)
    return plan


def _reference(session: Session, plan: service.Plan) -> tuple[int, int, Moves, dict[str, Any]]:
    """recomputed, changed, moved clocks and new stored columns, application by
    application through the ORM and the engine."""
    apps = session.exec(
        select(Application).where(Application.is_open == True).order_by(Application.id)  # noqa: E712
    ).all()
    changed, moved, stored = 0, [], {}
    for app in apps:
        records = events_of(session, app)
        new = compute_for(app, records, plan.new)
        cols = columns(new)
        stored[app.number] = cols
        changed += any(getattr(app, k) != v for k, v in cols.items())
        before = compute_for(app, records, plan.old)
        old_clocks = before.open_clocks() if before is not None else {}
        for clock, due in (new.open_clocks() if new is not None else {}).items():
            was = getattr(app, STORED[clock]) if clock in STORED else old_clocks.get(clock)
            if was == due:
                continue
            prov = False
            if was is not None and app.received_on is not None:
                end = was
                if clock.value == "internal_target" and app.reply_due:
                    end = max(was, app.reply_due)
                prov = plan.old.calendar.provisional_in(min(app.received_on, was), end)
            moved.append((app.number, clock.value, was, due, prov))
    return len(apps), changed, moved, stored


def _moves(result: recompute_mod.Recomputed) -> Moves:
    return [(m.number, m.clock.value, m.old, m.new, m.was_provisional) for m in result.moved]


def _rows(engine: Engine) -> dict[str, dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM application ORDER BY id")).all()
    return {r.number: dict(r._mapping) for r in rows}


@pytest.mark.parametrize("memo", [True, False])
def test_the_batched_recompute_gives_what_the_engine_gives(
    engine: Engine, register: service.Plan, memo: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recompute_mod._Engine, "memo", memo)
    plan = register
    with transaction(engine, write=False) as session:
        recomputed, changed, moved, _ = _reference(session, plan)
        got = recompute_open(session, old=plan.old, new=plan.new, write=False, batch=7)
    # The data exercise what they should: moved clocks of both kinds, changed rows, served.
    assert recomputed == 299 and 60 < changed < recomputed and len(moved) > 40
    assert {m[1] for m in moved} >= {"reply_due", "correction_deadline", "fee_payment_due"}
    assert (got.recomputed, got.changed) == (recomputed, changed)
    assert _moves(got) == moved


@pytest.mark.parametrize("pipeline", [True, False])
def test_written_columns_are_the_engines_and_nothing_else_changes(
    engine: Engine, register: service.Plan, pipeline: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL both write paths: pipelined UPDATE … FROM unnest per batch, and COPY
    (where libpq has no pipeline mode)."""
    monkeypatch.setattr(writes, "pipeline_supported", lambda: pipeline)
    plan = register
    before = _rows(engine)
    with transaction(engine, write=False) as session:
        _, changed, moved, expected = _reference(session, plan)
    with transaction(engine) as session:
        got = recompute_open(session, old=plan.old, new=plan.new, write=True, batch=7)
    assert (got.changed, _moves(got)) == (changed, moved)
    after = _rows(engine)
    with Session(engine) as session:
        apps = {a.number: a for a in session.exec(select(Application)).all()}
        for number, app in apps.items():
            new = expected.get(number, {})
            for name in after[number]:
                if name in new:
                    assert getattr(app, name) == new[name], (number, name)
                else:  # not recomputed: not touched
                    assert after[number][name] == before[number][name], (number, name)
    assert apps["2026-00007"].reply_due == date(2020, 1, 1)
    with transaction(engine, write=False) as session:  # nothing left to change
        again = recompute_open(session, old=plan.new, new=plan.new, write=False, batch=7)
    assert again.changed == 0 and again.moved == []
