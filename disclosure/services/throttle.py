"""The login throttle, kept in the database (`login_failure`): shared by every worker process
and surviving restarts (docs/security.md, "Guessing passwords").

Two kinds of attempt are counted apart:

- From a **known browser** — one that signed in successfully as this user before and shows
  its signed device cookie (`web.devices`): at most `attempts` failures per window for that
  browser, whatever anyone else does. Failures elsewhere never lock the real user out of
  their own browser, not even when a colleague or an attacker behind the same shared office
  address keeps failing (the OWASP "device cookie" scheme).
- From **any other client**: at most `attempts` failures per window per account (from all
  addresses together: guessing spread over many addresses is throttled too) and at most
  `address_attempts` failures per window per address (guessing many accounts from one).

A block lasts until enough failures have left the window; nothing is locked for good.
Blocked attempts are refused before the password is checked and are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete
from sqlmodel import Session, col, select

from disclosure.ops.models import LoginFailure


@dataclass(frozen=True)
class ThrottlePolicy:
    attempts: int  # failures per account (or per known browser) per window
    address_attempts: int  # failures per address per window
    window: timedelta


def _key(username: str) -> str:
    return username.strip().casefold()[:100]


def _wait(session: Session, condition, limit: int, now: datetime, window: timedelta) -> int:  # type: ignore[no-untyped-def]
    """Seconds until fewer than `limit` failures matching `condition` are in the window."""
    stmt = (
        select(LoginFailure.at)
        .where(condition, LoginFailure.at > now - window)
        .order_by(col(LoginFailure.at).desc())
        .limit(limit)
    )
    times = list(session.exec(stmt).all())
    if len(times) < limit:
        return 0
    return max(1, int((times[-1] + window - now).total_seconds()) + 1)


def blocked_for(
    session: Session,
    *,
    policy: ThrottlePolicy,
    username: str,
    address: str,
    device: str | None,
    now: datetime,
) -> int:
    """Seconds before another attempt is allowed (0: allowed now)."""
    if device:
        return _wait(session, LoginFailure.device == device, policy.attempts, now, policy.window)
    anonymous = col(LoginFailure.device).is_(None)
    by_account = _wait(
        session,
        and_(col(LoginFailure.username) == _key(username), anonymous),
        policy.attempts,
        now,
        policy.window,
    )
    by_address = _wait(
        session,
        and_(col(LoginFailure.address) == address[:64], anonymous),
        policy.address_attempts,
        now,
        policy.window,
    )
    return max(by_account, by_address)


def record_failure(
    session: Session,
    *,
    policy: ThrottlePolicy,
    username: str,
    address: str,
    device: str | None,
    now: datetime,
) -> bool:
    """Count a failed attempt; True when it starts a block (for the audit log)."""
    session.execute(delete(LoginFailure).where(col(LoginFailure.at) <= now - policy.window))
    session.add(LoginFailure(at=now, username=_key(username), address=address[:64], device=device))
    session.flush()
    return (
        blocked_for(
            session, policy=policy, username=username, address=address, device=device, now=now
        )
        > 0
    )


def record_success(session: Session, *, username: str, address: str, device: str | None) -> None:
    """A successful sign-in forgets this browser's failures and this account's from here."""
    if device:
        session.execute(delete(LoginFailure).where(col(LoginFailure.device) == device))
    session.execute(
        delete(LoginFailure).where(
            col(LoginFailure.username) == _key(username),
            col(LoginFailure.address) == address[:64],
        )
    )
