"""Case-file fixtures: real files (a PDF, JPEG, PNG, TIFF, DOCX made by the letters package,
XLSX, OFD), a file store per test, and a CLI desk that registers, replies and issues letters."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from reportlab.pdfgen import canvas
from sqlalchemy import Engine, func
from sqlmodel import select

from disclosure.casefile.models import Document
from disclosure.db import transaction
from disclosure.models import EventRecord
from disclosure.settings import Settings
from disclosure.storage import FileStore, file_store
from tests.conftest import base_settings


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return base_settings(tmp_path, db_url, documents={"dir": str(tmp_path / "docs"), "max_mb": 1})


@pytest.fixture
def store(settings: Settings) -> FileStore:
    return file_store(settings)


def pdf_bytes(*pages: str) -> bytes:
    """A real PDF, one page per text (Helvetica, so pdftotext reads it back)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=True)
    for text in pages or ("page",):
        c.setFont("Helvetica", 18)
        c.drawString(72, 700, text)
        c.showPage()
    c.save()
    return buf.getvalue()


def image_bytes(fmt: str, size: tuple[int, int] = (1240, 1754), mode: str = "RGB") -> bytes:
    """A scan-like image: a white page with a framed box (A4 at 150 dpi by default)."""
    im = Image.new(mode, size, "white")
    ImageDraw.Draw(im).rectangle([80, 80, size[0] - 80, 400], outline="black", width=6)
    buf = io.BytesIO()
    im.save(buf, format=fmt, dpi=(150, 150))
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["项目", "金额"])  # type: ignore[union-attr]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ofd_bytes() -> bytes:
    """A minimal OFD package (GB/T 33190-2016): a zip with OFD.xml at its root."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in (
            ("OFD.xml", '<?xml version="1.0"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>'),
            ("Doc_0/Document.xml", "<ofd:Document/>"),
        ):
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 3, 1, 0, 0, 0)), text)
    return buf.getvalue()


def counts(engine: Engine, store: FileStore) -> tuple[int, int, int]:
    """(document rows, events, files in the store): what a refused upload must not change."""
    with transaction(engine, write=False) as s:
        docs = s.exec(select(func.count()).select_from(Document)).one()
        events = s.exec(select(func.count()).select_from(EventRecord)).one()
    return docs, events, len(list(store.digests()))


@pytest.fixture
def desk(cli, tmp_path: Path) -> Callable[..., Any]:  # type: ignore[no-untyped-def]
    """`desk(*args)` runs the CLI (documents stored under tmp_path/docs) and returns the
    result; `desk.ok(*args)` also asserts success."""
    import os

    os.environ["DISCLOSURE_DOCUMENTS__DIR"] = str(tmp_path / "docs")

    def run(*args: str):  # type: ignore[no-untyped-def]
        return cli(*args)

    def ok(*args: str):  # type: ignore[no-untyped-def]
        r = cli(*args)
        assert r.exit_code == 0, (args, r.stdout, r.stderr)
        return r

    run.ok = ok  # type: ignore[attr-defined]
    yield run
    os.environ.pop("DISCLOSURE_DOCUMENTS__DIR", None)


def register(desk, **extra: str) -> str:  # type: ignore[no-untyped-def]
    args = [
        "register",
        "--channel",
        "in_person",
        "--received",
        "2026-03-02",
        "--applicant",
        "张三",
        "--applicant-type",
        "natural",
        "--content",
        "2025年某河道水质监测报告",
        "--department",
        "zcfg",
        "--today",
        "2026-03-02",
        "--json",
    ]
    for k, v in extra.items():
        args += [f"--{k.replace('_', '-')}", v]
    import json

    return json.loads(desk.ok(*args).stdout)["number"]
