"""The request gate: who is asking is checked before a request body is read, and bodies are
bounded (docs/security.md, "Request bodies").

For every request that may carry a body (POST and the other unsafe methods):

1. A declared `Content-Length` above the limit is answered 413 at once.
2. Except on the sign-in form, the sender must be signed in (a live server-side session):
   otherwise the answer is a redirect to the login page, sent before a byte of the body is
   read, with `Connection: close` so the server drops the rest instead of reading it.
3. The body is counted as the application reads it; past the limit reading stops with 413
   (a chunked upload that declared no length). At most the limit is ever buffered or spooled.

The sign-in form's limit is small (`LOGIN_BODY_LIMIT`); every other request's is
`[web] max_request_mb`. The user found here is kept on the request (`request.state.user`),
so the route's own sign-in check costs nothing more.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from disclosure.clock import now_utc
from disclosure.db import transaction
from disclosure.models import User
from disclosure.services.sessions import find_user

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_POSTS = frozenset({"/login"})
API_PATHS = "/api/"  # the JSON API authenticates by token itself (disclosure.api.auth)
LOGIN_BODY_LIMIT = 64 * 1024
SESSION_TOKEN = "sid"  # the key of the session token in the (signed) session cookie


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        mib = limit / (1024 * 1024)
        size = f"{mib:.0f} MB" if mib >= 1 else f"{limit // 1024} KB"
        super().__init__(413, f"提交的内容过大（上限 {size}）", headers={"Connection": "close"})


def signed_in_user(engine: Engine, session_data: Mapping[str, Any]) -> User | None:
    """The active user of the session cookie's token (detached), or None."""
    token = session_data.get(SESSION_TOKEN)
    if not isinstance(token, str) or not token:
        return None
    with transaction(engine, write=False) as session:
        user = find_user(session, token, now=now_utc())
        if user is not None:
            session.expunge(user)
        return user


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return -1
    return None


async def _answer(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestGate:
    """Pure ASGI middleware; sits inside the session middleware (it reads `scope["session"]`)."""

    def __init__(self, app: ASGIApp, *, engine: Engine, max_body: int) -> None:
        self.app = app
        self.engine = engine
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        public = scope["path"] in PUBLIC_POSTS
        limit = LOGIN_BODY_LIMIT if public else self.max_body
        declared = _declared_length(scope)
        if declared is not None and declared < 0:
            await _answer(send, 400, [], "请求头 Content-Length 无效".encode())
            return
        if declared is not None and declared > limit:
            await _answer(send, 413, [], str(BodyTooLarge(limit).detail).encode())
            return
        if not public and not scope["path"].startswith(API_PATHS):
            user = signed_in_user(self.engine, scope.get("session") or {})
            if user is None:
                await _answer(send, 303, [(b"location", b"/login")], "请先登录".encode())
                return
            scope.setdefault("state", {})["user"] = user
        await self.app(scope, _bounded(receive, limit), send)


def _bounded(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return counted
