"""Stage moves as one event kind: `stage:<stage>` → `stage_moved` with data {"to": stage}.

The event's meaning is unchanged (which stage, when, who, note); only its encoding follows
the one vocabulary (`disclosure.vocabulary.EventKind.STAGE_MOVED`).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_event = sa.table(
    "event",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("data", sa.JSON),
)


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(_event.c.id, _event.c.kind, _event.c.data).where(
            _event.c.kind.like("stage:%")
        )
    ).all()
    for row_id, kind, data in rows:
        if isinstance(data, str):
            data = json.loads(data)
        moved = {**(data or {}), "to": kind.split(":", 1)[1]}
        conn.execute(
            sa.update(_event)
            .where(_event.c.id == row_id)
            .values(kind="stage_moved", data=moved)
        )


def downgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(_event.c.id, _event.c.data).where(_event.c.kind == "stage_moved")
    ).all()
    for row_id, data in rows:
        if isinstance(data, str):
            data = json.loads(data)
        conn.execute(
            sa.update(_event)
            .where(_event.c.id == row_id)
            .values(kind=f"stage:{(data or {}).get('to', '')}")
        )
