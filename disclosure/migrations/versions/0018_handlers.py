"""people: the handler (承办人) of an application and a user's e-mail address

Adds `application.handler_id` (the account handling the case in its lead department, set by
`disclosure assign --handler`, cleared when the department sends the case back) and
`user.email` (where the handler's reminders go, `disclosure user email`). The hand-off
itself (signed for, sent back, a cooperating department's answer) is events of the log: no
table of its own.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs (no table rebuild, see 0015): SQLite takes the REFERENCES inline.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE application ADD COLUMN handler_id INTEGER "
            'CONSTRAINT fk_application_handler_id REFERENCES "user" (id)'
        )
    else:
        op.add_column("application", sa.Column("handler_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_application_handler_id", "application", "user", ["handler_id"], ["id"]
        )
    op.create_index("ix_application_handler_id", "application", ["handler_id"], unique=False)
    # The server default fills existing rows; the model leaves it to inserts.
    op.add_column(
        "user",
        sa.Column(
            "email",
            sqlmodel.sql.sqltypes.AutoString(length=200),
            nullable=False,
            server_default="",
        ),
    )


def downgrade() -> None:
    op.drop_column("user", "email")
    op.drop_index("ix_application_handler_id", table_name="application")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_application_handler_id", "application", type_="foreignkey")
    op.drop_column("application", "handler_id")
