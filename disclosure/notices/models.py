"""The `calendar_version` table: every state a year's loaded holiday notices have had.

A row is written once and never changed (records are immutable). `calendar load` adds the
next version of each year in the file; `calendar revert YEAR --to N` adds one more, a copy of
version N's notices naming N in `reverts_to`. The highest version of a year is in force;
version 0 stands for "nothing loaded" (the shipped data, or provisional), never a row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from disclosure.vocabulary import CalendarAction

ACTION_CHECK = "action IN (" + ", ".join(f"'{a.value}'" for a in CalendarAction) + ")"


class CalendarVersion(SQLModel, table=True):
    __tablename__ = "calendar_version"
    __table_args__ = (
        CheckConstraint(ACTION_CHECK, name="ck_calendar_version_action"),
        CheckConstraint("version >= 1", name="ck_calendar_version_version"),
        UniqueConstraint("year", "version", name="uq_calendar_version_year_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    year: int
    version: int  # 1, 2, … within the year
    action: str = Field(max_length=16)
    reverts_to: int | None = None  # a revert: the version whose notices it restores (0: none)
    # Every loaded notice of the year in force from this version on, as `[[notice]]` TOML
    # (read by rules.schedule / rules.notice_file); "" when none is loaded.
    notices_text: str
    source_name: str = Field(default="", max_length=300)  # the file as the user named it
    source_sha256: str = Field(default="", max_length=64)  # of its text, UTF-8 without BOM
    recomputed: int = 0  # open applications recomputed
    moved: int = 0  # clocks that moved
    moved_applications: int = 0
    loaded_at: datetime
    loaded_by: str = Field(default="", max_length=100)
