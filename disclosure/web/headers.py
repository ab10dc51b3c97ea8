"""Security headers on every response (docs/security.md, "HTTP headers").

- Content-Security-Policy: scripts, styles, images and fonts from this site only — no inline
  script, no inline style, no `eval` — nothing may frame the pages (`frame-ancestors 'none'`),
  forms post only here.
- X-Content-Type-Options nosniff, X-Frame-Options DENY (older browsers), Referrer-Policy
  same-origin, Cross-Origin-Opener/Resource-Policy same-origin, a Permissions-Policy that
  turns off what the product never uses.
- Cache-Control: no-store on everything but /static: pages and downloads carry personal data
  and must not stay in a shared computer's cache.
- Strict-Transport-Security (one year) when the site is served over HTTPS (`[web] https`, or
  the request came over HTTPS, directly or through a trusted proxy).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=31536000"
STATIC_PREFIX = "/static/"

ALWAYS = [
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "same-origin"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith(STATIC_PREFIX)
        secure = self.https or scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS:
                    headers.setdefault(name, value)
                if not static:
                    headers.setdefault("cache-control", "no-store")
                if secure:
                    headers.setdefault("strict-transport-security", HSTS)
            await send(message)

        await self.app(scope, receive, with_headers)
