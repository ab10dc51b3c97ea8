"""Who a reminder goes to besides the office and the lead department: the handler (承办人).

The handler is the account on `application.handler_id` (`disclosure assign --handler`); its
reminders go to the account's e-mail (`disclosure user email`), while it is active. The
scan's page query reads it with each application (`handler_join`, `HANDLER_EMAIL`: an outer
join on the account's primary key), so nothing per application is held across pages.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Label, and_
from sqlmodel import col

from disclosure.models import Application, User


def unique(addresses: list[str]) -> list[str]:
    """Stripped, non-empty, without case-insensitive repeats, in order."""
    seen: set[str] = set()
    out = []
    for a in addresses:
        a = a.strip()
        if a and a.lower() not in seen:
            seen.add(a.lower())
            out.append(a)
    return out


HANDLER_EMAIL: Label[str] = col(User.email).label("handler_email")


def handler_join() -> tuple[Any, Any]:
    """`select(…).outerjoin(*handler_join())`: the application's handler while the account is
    active and has an address (`HANDLER_EMAIL` is None otherwise)."""
    on = and_(
        col(User.id) == col(Application.handler_id),
        col(User.active).is_(True),
        col(User.email) != "",
    )
    return User, on


def with_handler(recipients: list[str], handler: str | None) -> list[str]:
    """`recipients` plus the handler's address (once), when there is one."""
    return unique([*recipients, handler]) if handler else recipients
