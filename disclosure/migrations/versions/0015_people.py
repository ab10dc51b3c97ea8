"""people: applicants, the sign-off chain's roles, one-time passwords

Adds the `applicant` table (one row per resident ID number, unified social credit code, or
name and phone) and `application.applicant_id`; `user.approval_role` (the user's place in the
sign-off chain before a reply, disclosure.people.approval_chain) and
`user.must_change_password` (set by `disclosure user reset`). Drafts, approvals and
send-backs are events of the application's log: no table of their own.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

APPROVAL_ROLES = "'department_head', 'office_head', 'leader'"


def upgrade() -> None:
    op.create_table(
        "applicant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("key_kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("id_number", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("credit_code", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "key_kind IN ('id_number', 'credit_code', 'name_phone')", name="ck_key_kind"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    # Plain ADD COLUMNs (no table rebuild): SQLite cannot drop `application` or `user` while
    # other rows reference them; it takes the column's REFERENCES and CHECK inline (written
    # out, as Alembic adds constraints to SQLite only by a rebuild).
    check = f"approval_role IS NULL OR approval_role IN ({APPROVAL_ROLES})"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE application ADD COLUMN applicant_id INTEGER "
            "CONSTRAINT fk_application_applicant_id REFERENCES applicant (id)"
        )
        op.execute(
            'ALTER TABLE "user" ADD COLUMN approval_role VARCHAR(20) '
            f"CONSTRAINT ck_approval_role CHECK ({check})"
        )
    else:
        op.add_column("application", sa.Column("applicant_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_application_applicant_id", "application", "applicant", ["applicant_id"], ["id"]
        )
        op.add_column(
            "user",
            sa.Column(
                "approval_role", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True
            ),
        )
        op.create_check_constraint("ck_approval_role", "user", check)
    op.create_index("ix_application_applicant_id", "application", ["applicant_id"], unique=False)
    # The server default fills existing rows; the model leaves it to inserts.
    op.add_column(
        "user",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("user", "must_change_password")  # ALTER TABLE … DROP COLUMN (SQLite 3.35+)
    op.drop_column("user", "approval_role")
    op.drop_index("ix_application_applicant_id", table_name="application")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_application_applicant_id", "application", type_="foreignkey")
    op.drop_column("application", "applicant_id")
    op.drop_table("applicant")
