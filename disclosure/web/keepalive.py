"""Reconnect after a number of requests per connection, so several workers share the load.

With `disclosure serve --workers N` every worker process accepts on the same socket and keeps
each keep-alive connection it accepted for as long as the browser keeps it open. Measured
here: 20 users who connect at the same moment all landed on one of two workers (20/0, 19/1),
which then did all the work. Like nginx's `keepalive_requests` and Apache's
`MaxKeepAliveRequests`, the answer to every `limit`-th request on a connection says
`Connection: close`; the client reconnects (browsers do so silently), and a worker with less
to do is the likelier one to accept it, so connections spread over the workers.
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_TRACKED = 10_000  # connections remembered at once (ports are reused: a stale count only
# closes one connection a little early)


class KeepAliveLimit:
    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.served: dict[Any, int] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] != "http" or self.limit <= 0 or client is None:
            await self.app(scope, receive, send)
            return
        key = tuple(client)
        n = self.served.get(key, 0) + 1
        if n < self.limit:
            if len(self.served) >= MAX_TRACKED:
                self.served.clear()
            self.served[key] = n
            await self.app(scope, receive, send)
            return
        self.served.pop(key, None)

        async def closing(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"connection"]
                message["headers"] = [*headers, (b"connection", b"close")]
            await send(message)

        await self.app(scope, receive, closing)
