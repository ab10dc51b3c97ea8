"""Secret key and CSRF tokens. No state is created at import time."""

from __future__ import annotations

import hmac
import os
import secrets
from typing import Any

from disclosure.data_folder import secret_key_path
from disclosure.settings import Settings

CSRF_KEY = "csrf"
CSRF_FIELD = "csrf_token"


def secret_key(settings: Settings) -> str:
    """`[web] secret_key`, else a key generated once and kept in a private file."""
    if settings.web.secret_key:
        return settings.web.secret_key
    path = secret_key_path(settings)
    if path.is_file():
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key)
    return key


def csrf_token(session: dict[str, Any]) -> str:
    """The session's CSRF token, made on first use."""
    token = session.get(CSRF_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        session[CSRF_KEY] = token
    return token


def csrf_valid(session: dict[str, Any], submitted: object) -> bool:
    expected = session.get(CSRF_KEY)
    if not expected or not isinstance(submitted, str) or not submitted:
        return False
    return hmac.compare_digest(expected.encode(), submitted.encode())
