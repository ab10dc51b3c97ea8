"""Device cookies: a browser that signed in as a user before is recognised at the next login.

The throttle (services.throttle) counts a known browser's failures on their own, so failures
from elsewhere (an attacker, a colleague behind the same office address) never lock the real
user out of their own browser. The cookie is signed with the secret key (itsdangerous), tied
to one username, sent only to /login, and lasts `DEVICE_DAYS`.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

DEVICE_DAYS = 180
_SALT = "disclosure-device"


def cookie_name(https: bool) -> str:
    return "__Secure-disclosure_device" if https else "disclosure_device"


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        secret, salt=_SALT, signer_kwargs={"digest_method": hashlib.sha256}
    )


def known_device(request: Request, *, secret: str, https: bool, username: str) -> str | None:
    """The device id of this browser if it signed in as `username` before, else None."""
    raw = request.cookies.get(cookie_name(https))
    if not raw:
        return None
    try:
        data: Any = _serializer(secret).loads(raw, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != username.strip().casefold():
        return None
    device = data.get("d")
    return device if isinstance(device, str) and device else None


def remember_device(
    response: Response, *, secret: str, https: bool, username: str, device: str | None
) -> None:
    """Set (or renew) the device cookie after a successful sign-in."""
    value = _serializer(secret).dumps(
        {"u": username.strip().casefold(), "d": device or secrets.token_urlsafe(16)}
    )
    response.set_cookie(
        cookie_name(https),
        value,
        max_age=DEVICE_DAYS * 86400,
        path="/login",
        secure=https,
        httponly=True,
        samesite="strict",
    )
