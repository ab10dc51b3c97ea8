"""`services.numbering`: registration numbers unique and gapless per year, also when clerks
register at the same moment — real concurrent writers (threads with their own transactions,
and separate `disclosure register` processes), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from disclosure.db import transaction
from disclosure.errors import Conflict
from disclosure.schemas import ApplicationCreate
from disclosure.services import registration as svc
from disclosure.services import steps
from disclosure.services.context import Context
from disclosure.services.numbering import next_number, next_numbers, peek_last
from disclosure.services.office import Office
from tests.conftest import NOW

TODAY = date(2026, 11, 27)


class Boom(Exception):
    """Raised inside a transaction after a number was taken, to force a rollback."""


def item(day: date = date(2026, 11, 2)) -> ApplicationCreate:
    return ApplicationCreate(
        channel="in_person",
        received_on=day,
        applicant_name="并发",
        applicant_type="natural",
        content="x",
    )


def run_threads(count: int, work: Callable[[int], Any]) -> list[BaseException]:
    """Run `work(i)` in `count` threads released together; returns their exceptions."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def target(i: int) -> None:
        barrier.wait()
        try:
            work(i)
        except BaseException as exc:  # collected and inspected by the test
            errors.append(exc)

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    return errors


def seqs(engine: Engine, year: int) -> list[int]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT seq FROM application WHERE year = :y ORDER BY seq"), {"y": year}
        )
        return [r[0] for r in rows]


def counter(engine: Engine, year: int) -> int:
    with transaction(engine, write=False) as s:
        return peek_last(s, series="application", year=year)


def test_first_numbers_and_ranges(engine: Engine) -> None:
    with transaction(engine) as s:
        assert next_number(s, series="t", year=2026) == 1
        assert next_number(s, series="t", year=2026) == 2
        assert list(next_numbers(s, series="t", year=2026, count=3)) == [3, 4, 5]
        assert next_number(s, series="t", year=2027) == 1  # per year
        assert next_number(s, series="u", year=2026) == 1  # per series
    with pytest.raises(Boom), transaction(engine) as s:
        assert next_number(s, series="t", year=2026) == 6
        raise Boom
    with transaction(engine) as s:
        assert next_number(s, series="t", year=2026) == 6  # the rollback gave 6 back
        with pytest.raises(ValueError):
            next_numbers(s, series="t", year=2026, count=0)


def test_concurrent_threads_number_without_gaps(engine: Engine, office: Office) -> None:
    writers, each = 6, 5

    def work(i: int) -> None:
        for _ in range(each):
            with transaction(engine) as s:
                svc.register_application(
                    s, data=item(), ctx=Context(office, TODAY, f"clerk{i}", NOW)
                )

    assert run_threads(writers, work) == []
    assert seqs(engine, 2026) == list(range(1, writers * each + 1))
    assert counter(engine, 2026) == writers * each


def test_rollbacks_under_concurrency_leave_no_gaps(engine: Engine, office: Office) -> None:
    """Every third transaction fails after taking its number; the survivors stay gapless."""
    writers, each = 6, 6
    committed = []
    lock = threading.Lock()

    def work(i: int) -> None:
        for k in range(each):
            try:
                with transaction(engine) as s:
                    app = svc.register_application(
                        s, data=item(), ctx=Context(office, TODAY, f"clerk{i}", NOW)
                    )
                    if (i + k) % 3 == 0:
                        raise Boom(app.number)
                with lock:
                    committed.append(app.number)
            except Boom:
                pass

    assert run_threads(writers, work) == []
    n = len(committed)
    assert 0 < n < writers * each
    assert seqs(engine, 2026) == list(range(1, n + 1))
    assert sorted(committed) == [f"2026-{i:05d}" for i in range(1, n + 1)]
    assert counter(engine, 2026) == n
    with engine.connect() as conn:
        orphans = conn.execute(
            text(
                "SELECT count(*) FROM event"
                " WHERE application_id NOT IN (SELECT id FROM application)"
            )
        ).scalar_one()
    assert orphans == 0


def test_concurrent_first_number_of_a_new_year(engine: Engine, office: Office) -> None:
    """The counter row for 2025 does not exist yet: all writers race to create it."""

    def work(i: int) -> None:
        with transaction(engine) as s:
            svc.register_application(
                s, data=item(date(2025, 3, 3)), ctx=Context(office, TODAY, "c", NOW)
            )

    assert run_threads(8, work) == []
    assert seqs(engine, 2025) == list(range(1, 9))


def test_two_clerks_replying_at_once_reply_once(engine: Engine, office: Office) -> None:
    with transaction(engine) as s:
        number = svc.register_application(
            s, data=item(), ctx=Context(office, TODAY, "c", NOW)
        ).number

    def work(i: int) -> None:
        with transaction(engine) as s:
            step = steps.Reply(on=TODAY, code=["1", "2", "3.1", "4.1"][i])
            step.record(s, Context(office, TODAY, f"clerk{i}", NOW), number)

    errors = run_threads(4, work)
    assert len(errors) == 3 and all(isinstance(e, Conflict) for e in errors), errors
    # The losers waited for the winner's row lock and then saw its reply ("already replied"),
    # rather than racing past the check and tripping over the engine afterwards.
    assert {e.field for e in errors} == {"outcome"}, errors  # type: ignore[attr-defined]
    with engine.connect() as conn:
        replies = conn.execute(text("SELECT count(*) FROM event WHERE kind = 'replied'"))
        assert replies.scalar_one() == 1


def test_separate_processes_number_without_gaps(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """Six `disclosure register` processes started together, plus one that fails."""
    exe = Path(sys.executable).with_name("disclosure")
    env = {**os.environ, "DISCLOSURE_DATABASE__URL": db_url, "DISCLOSURE_ACTOR": "proc"}
    env.pop("DISCLOSURE_CONFIG", None)
    base = [
        str(exe), "register", "--channel", "in_person", "--received", "2026-11-02",
        "--applicant", "进程", "--applicant-type", "natural", "--content", "x",
        "--today", "2026-11-27", "--json",
    ]  # fmt: skip
    commands = [base] * 6 + [[*base, "--department", "nope"]]
    procs = [
        subprocess.Popen(
            cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for cmd in commands
    ]
    results = [(p.wait(timeout=180), *p.communicate()) for p in procs]
    codes = [r[0] for r in results]
    assert codes == [0] * 6 + [2], [r[2] for r in results]
    numbers = sorted(json.loads(r[1])["number"] for r in results[:6])
    assert numbers == [f"2026-{i:05d}" for i in range(1, 7)]
    assert "--department" in results[6][2]
    assert seqs(engine, 2026) == [1, 2, 3, 4, 5, 6]
