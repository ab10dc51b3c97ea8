"""webhook deadline deliveries (issue 21)

`api_webhook_delivery` also carries "a deadline became due soon / overdue" deliveries, which
belong to no event: `event_id` becomes nullable and such a row is keyed by `deadline_key`
(`<application id>:<clock>:<state>`), unique per subscriber, so each state of each clock is
sent once per subscriber (`disclosure.api.webhook_deadlines`).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_webhook_delivery") as batch:
        batch.alter_column("event_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(
            sa.Column("deadline_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )
        batch.create_unique_constraint(
            "uq_api_webhook_delivery_deadline", ["webhook_id", "deadline_key"]
        )


def downgrade() -> None:
    # Deliveries are records: never deleted to make room for an older schema.
    n = (
        op.get_bind()
        .execute(sa.text("SELECT COUNT(*) FROM api_webhook_delivery WHERE event_id IS NULL"))
        .scalar_one()
    )
    if n:
        raise RuntimeError(f"{n} deadline webhook deliveries exist; not downgrading")
    with op.batch_alter_table("api_webhook_delivery") as batch:
        batch.drop_constraint("uq_api_webhook_delivery_deadline", type_="unique")
        batch.drop_column("deadline_key")
        batch.alter_column("event_id", existing_type=sa.Integer(), nullable=False)
