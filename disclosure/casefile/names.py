"""How the case file names people: the display name, else the username, mapped at render time.

Records keep the actor's username (a login, or "api:…", "system"); the pages, the cover and
the web section show `people.accounts.shown_name` of it. `shown_names` is its batched form,
for a page that lists many documents or events: one query per `BATCH` distinct usernames.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from disclosure.models import User

BATCH = 500  # usernames per IN (…) list


def shown_names(session: Session, usernames: Iterable[str]) -> dict[str, str]:
    """{username: shown name} for every given username (and ""), as `shown_name` names each:
    "" for "", the username itself when there is no such user or it has no display name."""
    wanted = sorted({u for u in usernames if u})
    out = {u: u for u in wanted}
    for i in range(0, len(wanted), BATCH):
        chunk = wanted[i : i + BATCH]
        stmt = select(User.username, User.display_name).where(col(User.username).in_(chunk))
        for username, display in session.exec(stmt):
            if display:
                out[username] = display
    out[""] = ""
    return out
