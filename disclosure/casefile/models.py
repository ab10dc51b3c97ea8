"""Tables of the case file: `document` and `case_archive`. Kinds are CHECKed strings.

Both are append-only records: a document row is never rewritten (its bytes are named by their
SHA-256 in the file store), and an archive volume, once stored, is what is handed out again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from disclosure.vocabulary import DocumentKind

KIND_CHECK = "kind IN (" + ", ".join(f"'{k.value}'" for k in DocumentKind) + ")"


class Document(SQLModel, table=True):
    __tablename__ = "document"
    __table_args__ = (
        CheckConstraint(KIND_CHECK, name="ck_document_kind"),
        Index("ix_document_application_id_id", "application_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id")
    event_id: int | None = Field(default=None, foreign_key="event.id")  # the step it belongs to
    kind: str = Field(max_length=32)
    original_name: str = Field(max_length=255)
    media_type: str = Field(max_length=100)  # detected from the bytes (casefile.detect)
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    sha256: str = Field(max_length=64, index=True)
    uploaded_by: str = Field(default="", max_length=100)
    uploaded_at: datetime
    releasable: bool = False  # may be released to the applicant
    note: str = ""


class CaseArchive(SQLModel, table=True):
    """One stored volume of an application's archive package: 0 = 正卷, 1, 2, … = 补充卷."""

    __tablename__ = "case_archive"
    __table_args__ = (
        UniqueConstraint("application_id", "volume", name="uq_case_archive_app_volume"),
    )

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    volume: int
    sha256: str = Field(max_length=64)  # the PDF in the file store
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    pages: int
    zip_sha256: str | None = Field(default=None, max_length=64)  # items not converted to PDF
    document_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    letter_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    last_event_id: int = 0  # the event log in this volume runs up to this event
    event_id: int | None = Field(default=None, foreign_key="event.id")  # its CASE_ARCHIVED
    created_at: datetime
    created_by: str = Field(default="", max_length=100)
