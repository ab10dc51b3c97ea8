"""The per-transaction view of the office: settings plus the calendar in force."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy import text as sql_text
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from disclosure.calendar_source import make_calendar
from disclosure.notices.models import CalendarVersion
from disclosure.policy import engine_policy
from disclosure.settings import Settings
from rules.calendar import WorkingCalendar
from rules.engine import Policy
from rules.schedule import Notice, parse_notices


@dataclass(frozen=True, eq=False)  # compared and hashed by identity (see OfficeCache)
class Office:
    settings: Settings
    calendar: WorkingCalendar

    def policy(self, case_type: str | None = None) -> Policy:
        return engine_policy(self.settings, case_type or None)


# Parsed notices by their stored text. Several databases can share a process (tests, a
# migration next to the server), so the text itself is the key, never a row id.
_PARSED: dict[str, tuple[Notice, ...]] = {}
_PARSED_MAX = 256


def stored_notices(session: Session) -> list[Notice]:
    """The notices loaded into the database, in load order.

    Every request needs them (for the calendar) but they change about once a year, so each
    distinct text is parsed once per process; a request only reads the rows' text.
    """
    return _parse(_notice_rows(session))


def _notice_rows(session: Session) -> tuple[tuple[int, str], ...]:
    """(id, notices) of the version in force of each loaded year (its highest version)."""
    v, w = CalendarVersion, aliased(CalendarVersion)
    newest = select(func.max(w.version)).where(w.year == v.year).scalar_subquery()
    stmt = select(v.id, v.notices_text).where(v.version == newest).order_by(col(v.year))
    return tuple((row_id, text) for row_id, text in session.exec(stmt) if row_id is not None)


def _parse(rows: tuple[tuple[int, str], ...]) -> list[Notice]:
    out: list[Notice] = []
    for row_id, text in rows:
        if not text.strip():  # a year reverted to "nothing loaded"
            continue
        notices = _PARSED.get(text)
        if notices is None:
            notices = tuple(parse_notices(text, where=f"calendar_version[{row_id}]"))
            if len(_PARSED) >= _PARSED_MAX:
                _PARSED.clear()
            _PARSED[text] = notices
        out.extend(notices)
    return out


def load_office(session: Session, settings: Settings) -> Office:
    return _office(settings, _notice_rows(session))


def _office(settings: Settings, rows: tuple[tuple[int, str], ...]) -> Office:
    return Office(settings, make_calendar(settings, _parse(rows)))


# The ids of the versions in force, as plain SQL: every web request runs it, and a text
# statement costs SQLAlchemy almost nothing to prepare next to the ORM form of the same
# correlated subquery (`_notice_rows`), whose construction and cache key were a fifth of
# the list page's CPU (docs/bench-notes/web.md).
_VERSION_IDS = sql_text(
    "SELECT v.id FROM calendar_version v WHERE v.version = "
    "(SELECT max(w.version) FROM calendar_version w WHERE w.year = v.year) ORDER BY v.year"
)


class OfficeCache:
    """The `Office` of one settings object, rebuilt only when the stored notices change.

    Each `load` reads the ids of the calendar versions in force, so a year loaded by another
    process or worker counts from the next request on. Versions are records (a load or a
    revert appends a row, never rewrites one), so the same ids mean the same notices: the
    texts are read only when the ids change. While they are unchanged the same `Office`
    object is returned, which caches keyed by it (the list rows, `web.listing`) rely on.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._last: tuple[tuple[int, ...], Office] | None = None

    def load(self, session: Session) -> Office:
        # On the session's connection: a Core statement needs none of the ORM's steps.
        ids = tuple(session.connection().execute(_VERSION_IDS).scalars())
        last = self._last  # one read: another thread may replace it meanwhile
        if last is not None and last[0] == ids:
            return last[1]
        rows = _notice_rows(session)
        office = _office(self.settings, rows)
        self._last = (tuple(row_id for row_id, _text in rows), office)
        return office
