"""Where an installation keeps its own files: the secret key and the running services' locks.

Next to the SQLite file; for other databases under `data/` beside the config. The web layer
(the key signs sessions), backups (the key is part of every backup) and `disclosure.ops`
(which services run) all ask here, so none of them reaches into another's module.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from disclosure.db import database_url
from disclosure.settings import Settings

SECRET_FILE = "secret_key"


def data_dir(settings: Settings) -> Path:
    url = make_url(database_url(settings))
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).parent
    return settings.resolve("data")


def secret_key_path(settings: Settings) -> Path:
    return data_dir(settings) / SECRET_FILE
