"""What every request of the web app needs, kept on `app.state.web` (`web.deps.web`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine

from disclosure.services.office import OfficeCache
from disclosure.services.throttle import ThrottlePolicy
from disclosure.settings import Settings
from disclosure.web.listing import ListedCache


@dataclass
class WebState:
    """What every request needs; kept on `app.state.web`."""

    settings: Settings
    engine: Engine
    templates: Jinja2Templates
    throttle: ThrottlePolicy
    clock: Callable[[], date]
    owns_engine: bool
    offices: OfficeCache
    rows: ListedCache
    secret: str
    sign_ins: threading.BoundedSemaphore  # password checks running at once (services.passwords)
    # The API's write transactions on SQLite, one at a time in this process (`api.writes`).
    api_writes: threading.Lock = field(default_factory=threading.Lock)

    @property
    def session_lifetime(self) -> timedelta:
        return timedelta(hours=self.settings.web.session_hours)

    def today(self) -> date:
        return self.clock()
