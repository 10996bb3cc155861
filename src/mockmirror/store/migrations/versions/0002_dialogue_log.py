"""The dialogue's event log (to rebuild an interview after a restart) and answers' job ids.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interview_sessions") as batch:
        batch.add_column(sa.Column("dialogue_events", sa.JSON, nullable=False, server_default="[]"))
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("job_id", sa.String(32), nullable=True))
        batch.add_column(sa.Column("question_end_s", sa.Float, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("question_end_s")
        batch.drop_column("job_id")
    with op.batch_alter_table("interview_sessions") as batch:
        batch.drop_column("dialogue_events")
