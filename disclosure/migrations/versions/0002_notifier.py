"""notifier tables

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notifier_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("clock", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("threshold", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("recipient", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("department", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("days_left", sa.Integer(), nullable=False),
        sa.Column("queued_on", sa.Date(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("claim_token", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("claimed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed')", name="ck_outbox_status"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "application_id", "clock", "threshold", "due_on", "recipient", name="uq_outbox_key"
        ),
    )
    with op.batch_alter_table("notifier_outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_status_recipient", ["status", "recipient", "next_attempt_at"], unique=False
        )
        batch_op.create_index("ix_outbox_claim", ["claim_token"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notifier_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_claim")
        batch_op.drop_index("ix_outbox_status_recipient")
    op.drop_table("notifier_outbox")
