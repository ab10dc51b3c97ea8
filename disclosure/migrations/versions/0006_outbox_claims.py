"""outbox: claims set only the token; one partial index of pending rows

A claim no longer moves rows to `sending` (an indexed column): it sets `claim_token` and
`claimed_at`, so SQLite rewrites only the row and PostgreSQL can update it in place (HOT,
helped by a fillfactor that leaves room on each page). The two indexes
`(status, recipient, next_attempt_at)` and `(claim_token)` become one partial index
`(recipient, next_attempt_at) WHERE status = 'pending'`: every claim query names the
recipient, and sent rows leave the index. Rows left in `sending` by an older version become
`pending` with their claim kept (the lease still protects them).

Upgrading: stop every notifier process first (`disclosure notify`, `disclosure office`). A
process of the older version treats every `pending` row as free and would send rows that a
new-version run has already claimed.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    op.execute("UPDATE notifier_outbox SET status = 'pending' WHERE status = 'sending'")
    op.drop_index("ix_outbox_claim", table_name="notifier_outbox")
    op.drop_index("ix_outbox_status_recipient", table_name="notifier_outbox")
    op.create_index(
        "ix_outbox_pending",
        "notifier_outbox",
        ["recipient", "next_attempt_at"],
        sqlite_where=PENDING,
        postgresql_where=PENDING,
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE notifier_outbox SET (fillfactor = 70)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE notifier_outbox RESET (fillfactor)")
    op.drop_index("ix_outbox_pending", table_name="notifier_outbox")
    op.create_index(
        "ix_outbox_status_recipient", "notifier_outbox", ["status", "recipient", "next_attempt_at"]
    )
    op.create_index("ix_outbox_claim", "notifier_outbox", ["claim_token"])
    op.execute(
        "UPDATE notifier_outbox SET status = 'sending' "
        "WHERE status = 'pending' AND claim_token IS NOT NULL"
    )
