"""Durable analysis jobs: state, attempts and last error of each answer's analysis.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analysis_jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("answer_id", sa.String(32), sa.ForeignKey("answers.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("worker", sa.String(120), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_analysis_jobs_answer_id", "analysis_jobs", ["answer_id"])
    op.create_index("ix_analysis_jobs_state", "analysis_jobs", ["state"])


def downgrade() -> None:
    op.drop_index("ix_analysis_jobs_state", "analysis_jobs")
    op.drop_index("ix_analysis_jobs_answer_id", "analysis_jobs")
    op.drop_table("analysis_jobs")
