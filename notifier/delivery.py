"""Delivering claimed reminders: one digest per recipient, each marked sent right after the
server accepted it, every failure logged and recorded on its outbox rows."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any

from sqlalchemy import Engine

from disclosure.services.office import Office
from notifier import outbox
from notifier.digest import build, render_bounded
from notifier.mail import (
    PermanentFailure,
    Sender,
    TemporaryFailure,
    build_message,
    message_id,
    template_env,
)
from notifier.writer import Writer

log = logging.getLogger("notifier")


@dataclass
class ScanResult:
    today: str
    working_day: bool = True
    queued: int = 0  # new outbox rows this run
    sent: int = 0  # reminders delivered this run
    messages: int = 0  # e-mails (digests) delivered this run
    failed: int = 0  # reminders that failed permanently this run
    retry: int = 0  # reminders put back for a later run after a temporary failure
    pending: int = 0  # reminders still waiting after the run (all runs)
    errors: list[str] = field(default_factory=list)
    outbox_dir: str | None = None  # where .eml files went (no SMTP host)
    transport: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def undelivered(self) -> int:
        """Reminders of this run that did not reach their recipient."""
        return self.failed + self.retry

    def summary(self) -> str:
        """One line for the log (English)."""
        return (
            f"{self.today}: queued {self.queued}, sent {self.sent} in {self.messages} messages, "
            f"{self.retry} to retry, {self.failed} failed, {self.pending} pending"
        )


def deliver(
    engine: Engine,
    office: Office,
    sender: Sender,
    *,
    today: date,
    now: datetime,
    result: ScanResult,
    token: str | None = None,
) -> None:
    """One digest per recipient: claim its due rows that nobody holds (one UPDATE; the rows
    this run queued carry `token` already), stream them into a bounded digest, render it
    once, send it, and mark the claim sent in its own short transaction after the server's
    250 (a crash in between re-sends the same Message-ID after the claim lease). The "sent"
    UPDATE runs in the background (`notifier.writer`) while the next digest is claimed, built
    and encoded; it is done before the next digest is sent or a failure is recorded."""
    settings = office.settings
    env = template_env(settings)
    unreachable: TemporaryFailure | None = None
    with Writer() as writer:  # a digest's rows are marked sent while the next one is built
        for recipient in outbox.recipients_due(engine, now, token):
            unreachable = _deliver_one(
                engine, office, sender, env, writer, recipient,
                today=today, now=now, result=result, token=token, unreachable=unreachable,
            )  # fmt: skip


def _deliver_one(
    engine: Engine,
    office: Office,
    sender: Sender,
    env: Any,
    writer: Writer,
    recipient: str,
    *,
    today: date,
    now: datetime,
    result: ScanResult,
    token: str | None,
    unreachable: TemporaryFailure | None,
) -> TemporaryFailure | None:
    """One recipient's digest; returns the temporary failure that makes the server count as
    unreachable for the rest of the run (or the one given)."""
    settings = office.settings
    claim = outbox.claim(engine, recipient, now, token)
    if claim is None:
        return unreachable  # another notifier process took them
    try:
        if unreachable is not None and getattr(sender, "unreachable", False):
            # The server is down: back off everyone in this run without trying again.
            raise TemporaryFailure(str(unreachable), unreachable.detail)
        span = outbox.claim_span(engine, claim)
        built = build(engine, claim, office, today)
        if span is None or built.rows == 0:
            return unreachable  # the claim lost its rows (an expired lease taken over)
        digest = render_bounded(env, recipient, built)
        msgid = message_id(span.first, span.last, span.rows, settings.smtp.sender)
        msg = build_message(
            digest, settings.smtp.sender, now=now, timezone=settings.office.timezone,
            msgid=msgid,
        )  # fmt: skip
        writer.wait()  # the previous digest is marked sent before this one goes out
        sender.send(msg, recipient)
    except TemporaryFailure as exc:
        writer.wait()  # results and log lines in the order of the digests
        retry, failed = outbox.mark_retry(
            engine, claim, now, str(exc), settings.notifier.max_attempts
        )
        result.retry += retry
        result.failed += failed
        result.errors.append(f"{recipient}：{exc}")
        unreachable = exc
        log.warning(
            "delivery to %s failed temporarily (%d reminders to retry, %d given up "
            "after %d attempts): %s",
            recipient, retry, failed, settings.notifier.max_attempts, exc.detail,
        )  # fmt: skip
    except PermanentFailure as exc:
        writer.wait()
        failed = outbox.mark_failed(engine, claim, now, str(exc))
        result.failed += failed
        result.errors.append(f"{recipient}：{exc}")
        log.error("delivery to %s failed (%d reminders): %s", recipient, failed, exc.detail)
    else:

        def done(sent: int, recipient: str = recipient, msgid: str = msgid) -> None:
            result.sent += sent
            result.messages += 1
            log.info("sent %d reminders to %s as %s", sent, recipient, msgid)

        writer.submit(partial(outbox.mark_sent, engine, claim, now), then=done)
    return unreachable
