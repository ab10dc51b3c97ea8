"""outbox: when each row was last tried, and an index of failed rows

`last_attempt_at` is set by every delivery attempt (sent, retry, failed), so the dashboard and
`notify status` can say when the last failure happened. The partial index
`(last_attempt_at) WHERE status = 'failed'` lets the dashboard count recent failures without
reading the sent history.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

FAILED = sa.text("status = 'failed'")


def upgrade() -> None:
    with op.batch_alter_table("notifier_outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("last_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    op.create_index(
        "ix_outbox_failed",
        "notifier_outbox",
        ["last_attempt_at"],
        sqlite_where=FAILED,
        postgresql_where=FAILED,
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_failed", table_name="notifier_outbox")
    with op.batch_alter_table("notifier_outbox", schema=None) as batch_op:
        batch_op.drop_column("last_attempt_at")
