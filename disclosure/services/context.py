"""The four values every mutation needs, travelling together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from disclosure.services.office import Office
from disclosure.settings import Settings


@dataclass(frozen=True)
class Context:
    """Who acts, on which day, at what moment, under which office settings and calendar.

    `today` is the office's date (its time zone; a `--today` override in the CLI), `now` the
    UTC timestamp stored with each record, `actor` the name recorded as having acted.
    """

    office: Office
    today: date
    actor: str
    now: datetime

    @property
    def settings(self) -> Settings:
        return self.office.settings
