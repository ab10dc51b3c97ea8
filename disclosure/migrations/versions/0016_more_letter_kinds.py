"""letter kinds: 决定公开告知书, 协办函, 送达回证 (issue 14)

Widens the CHECK constraint on `letter.kind` to the three new kinds of
`disclosure.letters.kinds.LetterKind`.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

OLD = (
    "receipt", "correction", "extension", "consultation", "consultation_agency",
    "consultation_notice", "fee", "art35", "deferred", "abandoned", "reply",
)  # fmt: skip
NEW = (*OLD, "disclose_notice", "cooperation", "service_receipt")


def _check(kinds: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def upgrade() -> None:
    with op.batch_alter_table("letter") as batch:
        batch.drop_constraint("ck_letter_kind", type_="check")
        batch.create_check_constraint("ck_letter_kind", _check(NEW))


def downgrade() -> None:
    # Issued letters are records: never deleted to make room for an older schema.
    n = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT COUNT(*) FROM letter WHERE kind IN ('disclose_notice', 'cooperation', 'service_receipt')"
            )
        )
        .scalar_one()
    )
    if n:
        raise RuntimeError(f"{n} letters of the kinds added in 0016 exist; not downgrading")
    with op.batch_alter_table("letter") as batch:
        batch.drop_constraint("ck_letter_kind", type_="check")
        batch.create_check_constraint("ck_letter_kind", _check(OLD))
