"""The scan's faster query paths give what the straightforward ones gave (both databases):
the handler's address read in the page query, the page's clock events read by id range, the
approval queue's applications read in one query, the rest of a digest counted after its last
listed row, rows built as tuples in `INSERT_COLUMNS` order; and the background `Writer`."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, case, func, select, update
from sqlmodel import col

from disclosure.db import transaction
from disclosure.models import Application, EventRecord, User
from disclosure.services.office import Office
from disclosure.settings import Settings
from notifier import outbox, people_reminders, scan
from notifier.models import OutboxItem
from notifier.policy import CALENDAR_COVERAGE, Hit
from notifier.writer import Writer
from tests.notifier.conftest import NOW, register

TODAY = date(2026, 3, 23)
T = OutboxItem.__table__  # type: ignore[attr-defined]


def _numbers(engine: Engine, settings: Settings, n: int) -> list[str]:
    return [register(engine, settings, received=date(2026, 3, 2)) for _ in range(n)]


def _ids(engine: Engine, numbers: list[str]) -> list[int]:
    with transaction(engine, write=False) as s:
        stmt = select(Application.id).where(col(Application.number).in_(numbers))
        return sorted(i for (i,) in s.execute(stmt))


def _handler_addresses(engine: Engine) -> dict[int, str]:
    """The reference: application id → the handler's e-mail, for open applications with
    a handler (the scan held this dict for every open application before the page join)."""
    stmt = (
        select(Application.id, User.email)
        .join(User, col(User.id) == col(Application.handler_id))
        .where(col(Application.is_open).is_(True), col(User.active).is_(True), User.email != "")
    )
    with transaction(engine, write=False) as s:
        return {app_id: email for app_id, email in s.execute(stmt) if app_id is not None}


def test_the_page_query_reads_the_handler_address_as_handler_addresses_does(
    engine: Engine, settings: Settings, office: Office
) -> None:
    numbers = _numbers(engine, settings, 5)
    ids = _ids(engine, numbers)
    with transaction(engine) as s:
        users = [
            User(username="a", password_hash="x", role="clerk", created_at=NOW, email="a@x.cn"),
            User(username="b", password_hash="x", role="clerk", created_at=NOW, email=""),
            User(
                username="c",
                password_hash="x",
                role="clerk",
                created_at=NOW,
                email="c@x.cn",
                active=False,
            ),
            User(username="d", password_hash="x", role="clerk", created_at=NOW, email="d@x.cn"),
        ]
        s.add_all(users)
        s.flush()
        for app_id, user in zip(ids, users, strict=False):  # the fifth has no handler
            s.execute(update(Application).where(col(Application.id) == app_id).values(
                handler_id=user.id))  # fmt: skip
    far = date(2027, 1, 1)  # every open application is inside this horizon
    pages = list(scan._pages(engine, office, far, TODAY, need_events=False))
    read = {a.id: a.handler_email for apps, _ in pages for a in apps}
    assert set(ids) <= set(read)
    expected = _handler_addresses(engine)
    assert {i: e for i, e in read.items() if e is not None} == expected
    assert [read[i] for i in ids] == ["a@x.cn", None, None, "d@x.cn", None]


def test_clock_events_are_read_for_the_pages_applications_only(
    engine: Engine, settings: Settings, office: Office
) -> None:
    first, middle, last = _ids(engine, _numbers(engine, settings, 3))
    with transaction(engine) as s:
        for app_id in (middle, last):  # `middle` is not in the page (e.g. closed)
            s.add(EventRecord(application_id=app_id, kind="correction_requested",
                              on=date(2026, 3, 3), recorded_at=NOW))  # fmt: skip
    with transaction(engine, write=False) as s:
        s.info["office"] = office
        assert set(scan._computed(s, [first, last])) == {last}
        assert scan._computed(s, [first]) == {}


def test_the_approval_queue_reads_its_applications_in_one_query(
    engine: Engine, settings: Settings
) -> None:
    numbers = _numbers(engine, settings, 3)
    with transaction(engine, write=False) as s:
        batched = people_reminders._applications(s, set(numbers))
        for number in numbers:  # as before: one query per queued sign-off
            app = s.exec(select(Application).where(Application.number == number)).scalar_one()
            got = batched[number]
            assert (got.id, got.number, got.content, got.lead_department_id) == (
                app.id, app.number, app.content, app.lead_department_id
            )  # fmt: skip
        assert people_reminders._applications(s, set()) == {}


def _row(number: str, clock: str, threshold: str, due: date, left: int, dept: str) -> dict:
    return {
        "application_id": int(number[-3:]),
        "clock": clock,
        "threshold": threshold,
        "due_on": due,
        "recipient": "office@example.gov.cn",
        "number": number,
        "summary": "申请内容",
        "department": dept,
        "days_left": left,
        "queued_on": TODAY,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": NOW,
        "claim_token": "tok",
        "claimed_at": NOW,
        "last_error": "",
        "created_at": NOW,
    }


def _rest_by_offset(engine: Engine, c: outbox.Claim, offset: int) -> list[Any]:
    """The former `claimed_rest`: the rows after the first `offset` in the digest order."""
    rest = select(T.c.department, T.c.due_on).where(outbox._held(c))
    sub = rest.order_by(*outbox._digest_order()).offset(offset).subquery()
    stmt = select(
        sub.c.department,
        func.count(),
        func.coalesce(func.sum(case((sub.c.due_on < TODAY, 1), else_=0)), 0),
        func.min(sub.c.due_on),
    ).group_by(sub.c.department)
    with transaction(engine, write=False) as s:
        return sorted(tuple(r) for r in s.execute(stmt))


def test_the_rest_after_the_last_listed_row_is_what_an_offset_counted(engine: Engine) -> None:
    rows = [_row("2026-000", CALENDAR_COVERAGE, "coverage", date(2026, 12, 31), 283, "")]
    for i in range(1, 41):  # ties on the due date, days left and number: the order is total
        due = date(2026, 3, 16 + i % 5)
        for clock in ("reply_due", "internal_target"):
            for threshold in ("due", f"overdue:{TODAY}"):
                dept = ("第一处", "第二处", "")[i % 3]
                rows.append(_row(f"2026-{i % 7:03d}", clock, threshold, due, i % 4 - 2, dept))
    rows = list({tuple(r[k] for k in outbox.KEY): r for r in rows}.values())
    with transaction(engine) as s:
        outbox.insert_if_absent(s, rows)
    c = outbox.Claim("office@example.gov.cn", "tok")
    total = len(rows)
    for listed in (1, 2, 7, 30, 31, 59, total - 1):
        streamed = list(outbox.claimed_rows(engine, c, limit=listed))
        got = outbox.claimed_rest(engine, c, streamed[-1], TODAY)
        assert sorted(tuple(r) for r in got) == _rest_by_offset(engine, c, listed), listed
        assert sum(r[1] for r in got) == total - listed


def test_rows_are_tuples_in_insert_column_order() -> None:
    class App:
        id = 7
        number = "2026-000007"
        content = "申请公开  某项目的\n环境影响评价报告及批复文件、公示材料与专家论证意见全文"

    hit = Hit("reply_due", date(2026, 3, 25), "ahead:2", 2)
    rows = scan._rows(App(), hit, ["a@x.cn", "b@x.cn"], "第一处", TODAY, NOW, "tok")
    summary = "申请公开 某项目的 环境影响评价报告及批复文件、公示材料与…"  # 30 characters
    assert [dict(zip(outbox.INSERT_COLUMNS, r, strict=True)) for r in rows] == [
        {
            "application_id": 7,
            "clock": "reply_due",
            "threshold": "ahead:2",
            "due_on": date(2026, 3, 25),
            "recipient": to,
            "number": "2026-000007",
            "summary": summary,
            "department": "第一处",
            "days_left": 2,
            "queued_on": TODAY,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": NOW,
            "claim_token": "tok",
            "claimed_at": NOW,
            "last_error": "",
            "created_at": NOW,
        }
        for to in ("a@x.cn", "b@x.cn")
    ]
    [warn] = scan._rows(None, Hit(CALENDAR_COVERAGE, date(2026, 12, 31), "coverage", 9),
                        ["o@x.cn"], "", TODAY, NOW)  # fmt: skip
    assert dict(zip(outbox.INSERT_COLUMNS, warn, strict=True))["claimed_at"] is None


def test_the_writer_runs_jobs_in_order_one_ahead_and_hands_back_results() -> None:
    seen: list[tuple[str, int]] = []
    threads: set[str] = set()

    def job(i: int) -> int:
        threads.add(threading.current_thread().name)
        return i * 10

    with Writer() as writer:
        for i in range(5):
            writer.submit(lambda i=i: job(i), then=lambda n: seen.append(("then", n)))
            assert len(seen) == i  # the previous job's result, not this one's
    assert seen == [("then", n) for n in (0, 10, 20, 30, 40)]
    assert threads and threading.current_thread().name not in threads


def test_the_writer_raises_a_failed_job_and_waits_for_it_on_error() -> None:
    def fail() -> int:
        raise RuntimeError("write failed")

    with pytest.raises(RuntimeError, match="write failed"), Writer() as writer:
        writer.submit(fail, then=lambda n: None)
        writer.wait()
    finished: list[bool] = []

    def slow() -> int:
        threading.Event().wait(0.2)
        finished.append(True)
        return 1

    with pytest.raises(KeyError), Writer() as writer:
        writer.submit(slow, then=lambda n: None)
        raise KeyError("the scan fails while a write is in flight")
    assert finished == [True]  # leaving the block waited for the job in flight
