"""The `letter` table: one row per issued letter, holding its serial number (文号) and its file.

A row is a record (`disclosure.letters.records`): written once with its stored .docx
(`docx_sha256`, in the file store) and the facts it was rendered from (`facts`), never
rewritten. The letter in force of a kind and variant on an application is the last of its
correction chain (`corrects_id` names the letter a correction replaces).
Unique (series, year, serial): numbers are never shared within a series and year; they come
from `disclosure.services.numbering.next_number`, gapless, in the transaction that adds the row.
`variant` separates letters of one kind on one application (the consulted party's name).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from disclosure.letters.kinds import LetterKind

KIND_CHECK = "kind IN (" + ", ".join(f"'{k.value}'" for k in LetterKind) + ")"


class Letter(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(KIND_CHECK, name="ck_letter_kind"),
        Index("ix_letter_app_kind_variant", "application_id", "kind", "variant"),
        UniqueConstraint("series", "year", "serial", name="uq_letter_series_year_serial"),
    )

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    kind: str = Field(max_length=32)
    variant: str = Field(default="", max_length=200)
    series: str = Field(max_length=32)  # key of settings.letters.series
    year: int
    serial: int
    reference: str = Field(max_length=100)  # the 文号 as printed
    issued_on: date
    event_id: int | None = Field(default=None, foreign_key="event.id")
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    docx_sha256: str | None = Field(default=None, max_length=64)  # the issued file
    facts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    corrects_id: int | None = Field(default=None, foreign_key="letter.id")
    correction_reason: str = Field(default="", max_length=500)
    created_at: datetime
    updated_at: datetime
    created_by: str = Field(default="", max_length=100)
