"""audit actions for publishing the annual report (report_published, report_republished)

`disclosure report lock` and the /annual page's lock button are audited: the CHECK of
`audit_log.action` takes the two new values. On SQLite the table is recreated (batch), which
drops its triggers: they are created again, exactly as migration 0011 made them, so the log
stays append-only. Downgrading refuses while entries of the new actions exist (the log is a
record: nothing is deleted to make room for an older schema).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

BEFORE = (
    "sign_in",
    "sign_in_failed",
    "sign_in_locked",
    "sign_out",
    "user_created",
    "user_changed",
    "user_enabled",
    "user_disabled",
    "password_changed",
    "department_created",
    "department_changed",
    "calendar_loaded",
    "calendar_reverted",
    "ledger_exported",
    "report_exported",
    "audit_exported",
    "document_downloaded",
    "api_token_used",
    "backup_created",
    "backup_failed",
    "restored",
)
ADDED = ("report_published", "report_republished")
REFUSAL = "audit_log is append-only"


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _sqlite_triggers() -> None:
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
        )


def _set_actions(actions: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("ck_audit_action", "audit_log", type_="check")
        op.create_check_constraint("ck_audit_action", "audit_log", _in("action", actions))
        return
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    with op.batch_alter_table("audit_log", recreate="always") as batch:
        batch.drop_constraint("ck_audit_action", type_="check")
        batch.create_check_constraint("ck_audit_action", _in("action", actions))
    _sqlite_triggers()


def upgrade() -> None:
    _set_actions(BEFORE + ADDED)


def downgrade() -> None:
    n = (
        op.get_bind()
        .execute(sa.text(f"SELECT COUNT(*) FROM audit_log WHERE {_in('action', ADDED)}"))
        .scalar_one()
    )
    if n:
        raise RuntimeError(f"{n} audit entries of report publication exist; not downgrading")
    _set_actions(BEFORE)
