"""Gapless numbers per (series, year), safe under concurrent writers.

The counter row is incremented with UPDATE … RETURNING inside the caller's transaction: on
PostgreSQL the row lock makes a second writer wait until the first commits or rolls back; on
SQLite the write transaction already holds the database lock (BEGIN IMMEDIATE). A rollback
gives the numbers back, so there are no gaps. The first number of a year creates the row with
INSERT … ON CONFLICT DO NOTHING (a concurrent creator waits on the primary key, then skips).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlmodel import Session

# Same SQL on SQLite (3.35+) and PostgreSQL (9.5+).
_INSERT = (
    "INSERT INTO counter (series, year, last) VALUES (:s, :y, 0) "
    "ON CONFLICT (series, year) DO NOTHING"
)
_NEXT = "UPDATE counter SET last = last + :n WHERE series = :s AND year = :y RETURNING last"
_RAISE = (
    "UPDATE counter SET last = CASE WHEN last < :v THEN :v ELSE last END "
    "WHERE series = :s AND year = :y"
)


def next_numbers(session: Session, *, series: str, year: int, count: int) -> range:
    """`count` consecutive numbers of `series` in `year` (the first one of a year is 1)."""
    if count < 1:
        raise ValueError("count must be >= 1")
    params = {"s": series, "y": year, "n": count}
    value = session.execute(text(_NEXT), params).scalar()
    if value is None:  # first number of this series and year
        session.execute(text(_INSERT), params)
        value = session.execute(text(_NEXT), params).scalar_one()
    last = int(value)
    return range(last - count + 1, last + 1)


def raise_counter(session: Session, *, series: str, year: int, to: int) -> None:
    """Leave the counter of `series` in `year` at `to` or above (never lower): numbers up to
    `to` are in use (an imported ledger's, say)."""
    params = {"s": series, "y": year, "v": to}
    session.execute(text(_INSERT), params)
    session.execute(text(_RAISE), params)


def next_number(session: Session, *, series: str, year: int) -> int:
    """The next number of `series` in `year`, starting at 1."""
    return next_numbers(session, series=series, year=year, count=1)[0]


def peek_last(session: Session, *, series: str, year: int) -> int:
    row = session.execute(
        text("SELECT last FROM counter WHERE series = :s AND year = :y"),
        {"s": series, "y": year},
    ).first()
    return int(row[0]) if row else 0


def number_year_fits(year: int, basis: date) -> bool:
    """Whether an application number of `year` fits its receipt date (or arrival while
    unconfirmed), `basis`. A number is given in the year of the basis as registered; the
    basis may then move (rulebook §3.3): a later registration of an earlier receipt (遗漏登记,
    a receipt corrected back across the new year) leaves the number a year later; an arrival
    confirmed or corrected into January leaves it a year earlier. Never more than that."""
    return year in (basis.year, basis.year + 1) or (year == basis.year - 1 and basis.month == 1)
