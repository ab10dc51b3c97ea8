"""Named errors of the disclosure layer. The CLI and the web layer each map them once.

Every error names the `field` it is about; messages are Chinese with a short English gloss.
"""

from __future__ import annotations

from pathlib import Path


class DisclosureError(Exception):
    """Base class of everything a user can cause."""

    exit_code = 2
    http_status = 400

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InvalidInput(DisclosureError):
    """A value that is malformed or not allowed (bad date, unknown department, …)."""


class NotFound(DisclosureError):
    exit_code = 4
    http_status = 404


class Conflict(DisclosureError):
    """The request contradicts the record (a second reply, a stage that does not allow it)."""

    exit_code = 5
    http_status = 409


class PermissionDenied(DisclosureError):
    exit_code = 6
    http_status = 403


class ConfigError(DisclosureError):
    exit_code = 3
    http_status = 500


def readable_file(path: Path, field: str) -> Path:
    """`path` when it is a file to read; `InvalidInput` naming `field` and saying what it is
    instead (missing, a folder, a device such as /dev/null)."""
    if path.is_file():
        return path
    if path.is_dir():
        raise InvalidInput(f"这是一个文件夹，不是文件：{path}", field=field)
    if path.exists():
        raise InvalidInput(f"不是普通文件：{path}", field=field)
    raise InvalidInput(f"文件不存在：{path}", field=field)
