"""letter: issued letters become records (stored .docx, digest, facts, corrections)

Adds `docx_sha256` (the issued file in the file store), `facts` (the template context it was
rendered from), `corrects_id` and `correction_reason` (a correction is a new letter naming the
one it corrects), and drops the one-letter-per-kind uniqueness that a correction chain breaks.
Letters numbered before this revision keep `docx_sha256` empty: they are frozen the first time
they are printed after the upgrade, rendered from the events up to their own date
(`disclosure.letters.records`).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("letter") as batch:
        batch.add_column(
            sa.Column("docx_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch.add_column(sa.Column("facts", sa.JSON(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("corrects_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column(
                "correction_reason",
                sqlmodel.sql.sqltypes.AutoString(length=500),
                nullable=False,
                server_default="",
            )
        )
        batch.create_foreign_key("fk_letter_corrects_id", "letter", ["corrects_id"], ["id"])
        batch.drop_constraint("uq_letter_app_kind_variant", type_="unique")
        batch.create_index(
            "ix_letter_app_kind_variant", ["application_id", "kind", "variant"], unique=False
        )
    with op.batch_alter_table("letter") as batch:
        batch.alter_column("facts", server_default=None)
        batch.alter_column("correction_reason", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("letter") as batch:
        batch.drop_index("ix_letter_app_kind_variant")
        batch.create_unique_constraint(
            "uq_letter_app_kind_variant", ["application_id", "kind", "variant"]
        )
        batch.drop_constraint("fk_letter_corrects_id", type_="foreignkey")
        batch.drop_column("correction_reason")
        batch.drop_column("corrects_id")
        batch.drop_column("facts")
        batch.drop_column("docx_sha256")
