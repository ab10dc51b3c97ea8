"""report tables

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("result", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.CheckConstraint(
            "kind IN ('reconsideration', 'litigation_direct', 'litigation_after_review')",
            name="ck_review_case_kind",
        ),
        sa.CheckConstraint(
            "result IN ('maintained', 'corrected', 'other', 'pending')",
            name="ck_review_case_result",
        ),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review_case", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_case_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_review_case_filed_on"), ["filed_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_case_filed_on"))
        batch_op.drop_index(batch_op.f("ix_review_case_application_id"))
    op.drop_table("review_case")
