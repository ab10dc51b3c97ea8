"""list-page indexes: (is_open, reply_due, id) and (reply_due, id)

The application list orders by `reply_due NULLS LAST, id` and shows one page (LIMIT/OFFSET).
With `id` in the index PostgreSQL reads the page straight from the index (no incremental
sort); `(reply_due, id)` does the same for the "all applications" list, which otherwise
sorted every row.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_application_open_due_id", "application", ["is_open", "reply_due", "id"])
    op.create_index("ix_application_due_id", "application", ["reply_due", "id"])


def downgrade() -> None:
    op.drop_index("ix_application_due_id", table_name="application")
    op.drop_index("ix_application_open_due_id", table_name="application")
