"""Fixtures for letter tests: an office with its own letterhead, remedy organs and helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import Engine
from sqlmodel import Session, select

from disclosure.db import transaction
from disclosure.letters.models import Letter
from disclosure.letters.service import IssuedLetter, LetterOptions, issue_letter
from disclosure.models import EventRecord
from disclosure.services import steps
from disclosure.services.context import Context
from disclosure.services.lookup import get_application
from disclosure.services.office import load_office
from disclosure.services.registration import parse_create, register_application
from disclosure.settings import Settings
from tests.conftest import NOW, base_settings

APPLICANT = "A<B & C公司"
AGENCY = "广州市应急管理局"
RECONSIDERATION = "广州市人民政府"
COURT = "广州铁路运输法院"


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return base_settings(
        tmp_path,
        db_url,
        office={"agency_name": AGENCY, "agency_abbr": "穗应急", "phone": "020-12345678"},
        remedy={"reconsideration_organ": RECONSIDERATION, "court": COURT},
    )


def docx_text(content: bytes) -> str:
    """Every paragraph of a .docx, one per line (what a reader of the letter sees)."""
    doc = Document(BytesIO(content))
    return "\n".join(p.text for p in doc.paragraphs)


@dataclass
class Desk:
    """A clerk's desk: register applications, issue letters, read the ledger."""

    engine: Engine
    settings: Settings

    def register(self, received: date = date(2026, 3, 2), content: str = "2025年度检查记录") -> str:
        data = parse_create(
            {
                "channel": "in_person",
                "received_on": received,
                "applicant_name": APPLICANT,
                "applicant_type": "business",
                "content": content,
            }
        )
        with transaction(self.engine) as s:
            office = load_office(s, self.settings)
            app = register_application(s, data=data, ctx=Context(office, received, "t", NOW))
            return app.number

    def issue(
        self, number: str, kind: str, today: date = date(2026, 3, 5), **opts: object
    ) -> tuple[IssuedLetter, str]:
        with transaction(self.engine) as s:
            office = load_office(s, self.settings)
            issued = issue_letter(
                s,
                ctx=Context(office, today, "t", NOW),
                number=number,
                kind=kind,
                options=LetterOptions(**opts),  # type: ignore[arg-type]
            )
            content = issued.render()
        return issued, docx_text(content)

    def record(self, number: str, step: steps.Step, today: date) -> None:
        with transaction(self.engine) as s:
            step.record(s, Context(load_office(s, self.settings), today, "t", NOW), number)

    def events(self, number: str, kind: str) -> list[EventRecord]:
        with transaction(self.engine, write=False) as s:
            app = get_application(s, number)
            stmt = select(EventRecord).where(
                EventRecord.application_id == app.id, EventRecord.kind == kind
            )
            return list(s.exec(stmt).all())

    def letters(self) -> list[Letter]:
        with Session(self.engine) as s:
            return list(s.exec(select(Letter).order_by(Letter.id)).all())

    def app(self, number: str):  # type: ignore[no-untyped-def]
        with transaction(self.engine, write=False) as s:
            return get_application(s, number)


@pytest.fixture
def desk(engine: Engine, settings: Settings) -> Desk:
    return Desk(engine, settings)
