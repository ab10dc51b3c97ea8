"""Turning submitted form values into typed values; errors name the form field."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData, UploadFile

from disclosure.errors import InvalidInput
from disclosure.textinput import iso_date


async def _form(request: Request) -> FormData:
    return await request.form()  # Starlette caches it, so the CSRF check reads the same one


Form = Annotated[FormData, Depends(_form)]


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def optional_date(form: FormData, name: str) -> date | None:
    value = text(form, name)
    if not value:
        return None
    return iso_date(value, name)  # strictly YYYY-MM-DD (disclosure.textinput)


def required_date(form: FormData, name: str) -> date:
    d = optional_date(form, name)
    if d is None:
        raise InvalidInput("请填写日期", field=name)
    return d


def optional_int(value: str | None, name: str, *, minimum: int = 0) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        n = int(value)
    except ValueError as exc:
        raise InvalidInput(f"须为整数，收到 {value!r}", field=name) from exc
    if n < minimum:
        raise InvalidInput(f"不能小于 {minimum}", field=name)
    return n


def required_int(form: FormData, name: str, *, minimum: int = 0) -> int:
    n = optional_int(text(form, name), name, minimum=minimum)
    if n is None:
        raise InvalidInput("请填写数字", field=name)
    return n


def values(form: FormData) -> dict[str, str]:
    """Submitted values for re-displaying a form (files and the CSRF token left out)."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


def saved_upload(upload: UploadFile, folder: Path, fallback: str) -> Path:
    """Write `upload` into `folder` (a fresh temporary one) under the name it was uploaded
    with, so that a refusal names the file the person chose, not a temporary name;
    `fallback` (e.g. "form.xlsx") when that name is no plain file name."""
    name = Path((upload.filename or "").replace("\\", "/")).name
    if name in ("", ".", "..") or len(name.encode()) > 200:
        name = fallback
    path = folder / name
    path.write_bytes(upload.file.read())
    return path
