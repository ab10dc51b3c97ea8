"""Gapless numbers per (series, year), safe under concurrent writers.

The counter row is incremented with UPDATE … RETURNING inside the caller's transaction: on
PostgreSQL the row lock makes a second writer wait; on SQLite the write transaction already
holds the database lock (BEGIN IMMEDIATE). A rollback gives the number back, so no gaps.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

# Same SQL on SQLite (3.24+) and PostgreSQL (9.5+).
_INSERT = (
    "INSERT INTO counter (series, year, last) VALUES (:s, :y, 0) "
    "ON CONFLICT (series, year) DO NOTHING"
)
_NEXT = "UPDATE counter SET last = last + 1 WHERE series = :s AND year = :y RETURNING last"


def next_number(session: Session, *, series: str, year: int) -> int:
    """The next number of `series` in `year`, starting at 1."""
    params = {"s": series, "y": year}
    session.execute(text(_INSERT), params)
    value = session.execute(text(_NEXT), params).scalar_one()
    return int(value)


def peek_last(session: Session, *, series: str, year: int) -> int:
    row = session.execute(
        text("SELECT last FROM counter WHERE series = :s AND year = :y"),
        {"s": series, "y": year},
    ).first()
    return int(row[0]) if row else 0
