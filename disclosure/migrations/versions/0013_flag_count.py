"""application.flag_count: the late steps the engine flags, stored like the other deadlines

Rows written before this revision hold 0 until they are next recomputed (any step on the
application, a calendar load, or `disclosure recompute`).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no table rebuild): SQLite cannot drop `application` while events
    # reference it. The server default fills existing rows; the model leaves it to inserts.
    op.add_column(
        "application",
        sa.Column("flag_count", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_column("application", "flag_count")  # ALTER TABLE … DROP COLUMN (SQLite 3.35+)
