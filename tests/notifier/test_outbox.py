"""Claims on the outbox (both databases): a run's own rows, free rows, expired leases."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, select, text

from disclosure.db import transaction
from notifier import outbox
from notifier.models import OutboxItem
from tests.notifier.conftest import NOW

TODAY = date(2026, 3, 23)


def row(app_id: int, recipient: str, token: str | None) -> dict[str, Any]:
    return {"application_id": app_id, "clock": "reply_due", "threshold": "due",
            "due_on": TODAY, "recipient": recipient, "number": f"2026-{app_id:05d}",
            "summary": "申请内容", "department": "第一处", "days_left": 0, "queued_on": TODAY,
            "status": "pending", "attempts": 0, "next_attempt_at": NOW, "claim_token": token,
            "claimed_at": NOW if token else None, "last_error": "", "created_at": NOW}  # fmt: skip


def queue(engine: Engine, rows: list[dict[str, Any]]) -> int:
    with transaction(engine) as s:
        return outbox.insert_if_absent(s, rows)


def numbers(engine: Engine, claim: outbox.Claim) -> list[str]:
    return sorted(r.number for r in outbox.claimed_rows(engine, claim))


def test_a_runs_rows_are_its_own_and_free_rows_go_to_the_first_claim(engine: Engine) -> None:
    a, b = outbox.new_token(), outbox.new_token()
    assert a != b
    assert queue(engine, [row(1, "x@example.cn", a), row(2, "x@example.cn", None)]) == 2
    # Run B queues the same reminder again: the key collides, the row stays run A's.
    assert queue(engine, [row(1, "x@example.cn", b)]) == 0

    claim_b = outbox.claim(engine, "x@example.cn", NOW, b)
    assert claim_b is not None and numbers(engine, claim_b) == ["2026-00002"]  # only the free row
    claim_a = outbox.claim(engine, "x@example.cn", NOW, a)
    assert claim_a is not None and numbers(engine, claim_a) == ["2026-00001"]
    assert outbox.claim(engine, "x@example.cn", NOW, outbox.new_token()) is None
    assert outbox.recipients_due(engine, NOW) == []  # nothing free …
    assert outbox.recipients_due(engine, NOW, a) == ["x@example.cn"]  # … but A holds a row
    counts = outbox.counts(engine)
    assert (counts["pending"], counts["sending"]) == (0, 2)

    assert outbox.mark_sent(engine, claim_a, NOW) == 1
    assert outbox.mark_sent(engine, claim_a, NOW) == 0  # already sent: never twice
    counts = outbox.counts(engine)
    assert (counts["sent"], counts["sending"]) == (1, 1)


def test_a_crashed_runs_rows_are_claimable_after_the_lease(engine: Engine) -> None:
    crashed = outbox.new_token()
    queue(engine, [row(1, "x@example.cn", crashed)])
    assert outbox.claim(engine, "x@example.cn", NOW + timedelta(minutes=5)) is None
    later = NOW + outbox.CLAIM_LEASE + timedelta(seconds=1)
    claim = outbox.claim(engine, "x@example.cn", later)
    assert claim is not None and numbers(engine, claim) == ["2026-00001"]
    with transaction(engine, write=False) as s:
        item = s.scalars(select(OutboxItem)).one()
    assert (item.claim_token, item.status) == (claim.token, "pending")


def test_a_temporary_failure_frees_the_rows_for_a_later_run(engine: Engine) -> None:
    token = outbox.new_token()
    queue(engine, [row(1, "x@example.cn", token), row(2, "y@example.cn", token)])
    claim = outbox.claim(engine, "x@example.cn", NOW, token)
    assert claim is not None
    assert outbox.mark_retry(engine, claim, NOW, "451 try later", max_attempts=5) == (1, 0)
    # Not due before the back-off; then free for any run, and y's row is untouched.
    assert outbox.claim(engine, "x@example.cn", NOW, outbox.new_token()) is None
    retry_at = NOW + outbox.backoff(1)
    again = outbox.claim(engine, "x@example.cn", retry_at, outbox.new_token())
    assert again is not None and numbers(engine, again) == ["2026-00001"]
    assert outbox.claim(engine, "y@example.cn", retry_at, outbox.new_token()) is None


def test_migration_0006_turns_old_sending_rows_into_held_pending_rows(engine: Engine) -> None:
    from alembic import command

    from disclosure.migrate import alembic_config

    cfg = alembic_config(engine)
    command.downgrade(cfg, "0005")
    queue_old = (
        "INSERT INTO notifier_outbox (application_id, clock, threshold, due_on, recipient, "
        "number, summary, department, days_left, queued_on, status, attempts, "
        "next_attempt_at, claim_token, claimed_at, last_error, created_at) VALUES "
        "(1, 'reply_due', 'due', :d, 'x@example.cn', '2026-00001', '', '', 0, :d, 'sending', "
        "0, :t, 'old', :t, '', :t)"
    )
    with transaction(engine) as s:
        s.connection().execute(text(queue_old), {"d": TODAY, "t": NOW})
    command.upgrade(cfg, "head")
    with transaction(engine, write=False) as s:
        item = s.scalars(select(OutboxItem)).one()
    assert (item.status, item.claim_token) == ("pending", "old")
    assert outbox.counts(engine)["sending"] == 1
