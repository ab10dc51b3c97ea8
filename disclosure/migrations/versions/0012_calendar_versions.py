"""calendar_version: every load and revert of a year's holiday notices, kept

Replaces `calendar_notice` (whose rows a reissued notice deleted). Each year that had loaded
notices becomes version 1 of that year, holding those notices in load order.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("reverts_to", sa.Integer(), nullable=True),
        sa.Column("notices_text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("source_name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("source_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("recomputed", sa.Integer(), nullable=False),
        sa.Column("moved", sa.Integer(), nullable=False),
        sa.Column("moved_applications", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("loaded_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.CheckConstraint("action IN ('load', 'revert')", name="ck_calendar_version_action"),
        sa.CheckConstraint("version >= 1", name="ck_calendar_version_version"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "version", name="uq_calendar_version_year_version"),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT year, source_text, loaded_at, loaded_by FROM calendar_notice ORDER BY id")
    ).all()
    years: dict[int, list] = {}
    for row in rows:
        years.setdefault(row.year, []).append(row)
    table = sa.table(
        "calendar_version",
        *(
            sa.column(c)
            for c in (
                "year", "version", "action", "notices_text", "source_name", "source_sha256",
                "recomputed", "moved", "moved_applications", "loaded_at", "loaded_by",
            )
        ),
    )  # fmt: skip
    for year, notices in sorted(years.items()):
        op.bulk_insert(
            table,
            [
                {
                    "year": year,
                    "version": 1,
                    "action": "load",
                    "notices_text": "\n".join(n.source_text for n in notices),
                    "source_name": "升级前载入的通知",
                    "source_sha256": "",
                    "recomputed": 0,
                    "moved": 0,
                    "moved_applications": 0,
                    "loaded_at": notices[-1].loaded_at,
                    "loaded_by": notices[-1].loaded_by,
                }
            ],
        )
    with op.batch_alter_table("calendar_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_notice_year"))
    op.drop_table("calendar_notice")


def downgrade() -> None:
    op.create_table(
        "calendar_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("source_text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("loaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("loaded_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("calendar_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_notice_year"), ["year"], unique=False)
    # The version in force of each year becomes one row (its notices as one text).
    op.execute(
        "INSERT INTO calendar_notice (year, title, source_text, loaded_at, loaded_by) "
        "SELECT v.year, '（自 calendar_version 恢复）', v.notices_text, v.loaded_at, v.loaded_by "
        "FROM calendar_version v WHERE v.notices_text <> '' AND v.version = "
        "(SELECT max(w.version) FROM calendar_version w WHERE w.year = v.year)"
    )
    op.drop_table("calendar_version")
