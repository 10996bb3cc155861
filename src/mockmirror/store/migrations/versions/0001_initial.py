"""Initial schema: interview sessions, answers, user settings.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "interview_sessions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("job_title", sa.String(200), nullable=False),
        sa.Column("job_description", sa.Text, nullable=False),
        sa.Column("core_questions", sa.Integer, nullable=False),
        sa.Column("difficulty", sa.Integer, nullable=False),
        sa.Column("max_follow_ups", sa.Integer, nullable=False),
        sa.Column("warm_up", sa.Boolean, nullable=False),
        sa.Column("closing", sa.Boolean, nullable=False),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("recent_ids", sa.JSON, nullable=False),
        sa.Column("camera", sa.Boolean, nullable=False),
        sa.Column("microphone", sa.Boolean, nullable=False),
        sa.Column("keep_recording", sa.Boolean, nullable=False),
        sa.Column("emotion_inference", sa.Boolean, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("prompt", sa.JSON, nullable=True),
        sa.Column("summary", sa.JSON, nullable=True),
        sa.Column("question_ids", sa.JSON, nullable=False),
        sa.Column("calibration", sa.JSON, nullable=True),
    )
    op.create_table(
        "answers",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "session_id",
            sa.String(32),
            sa.ForeignKey("interview_sessions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("prompt_kind", sa.String(16), nullable=False),
        sa.Column("question_id", sa.String(64), nullable=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("stage", sa.String(80), nullable=False),
        sa.Column("progress", sa.Float, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("recording_path", sa.String(500), nullable=True),
        sa.Column("duration_s", sa.Float, nullable=True),
        sa.Column("transcript", sa.Text, nullable=False),
        sa.Column("measures", sa.JSON, nullable=True),
        sa.Column("report", sa.JSON, nullable=True),
        sa.Column("dialogue_feedback", sa.JSON, nullable=True),
        sa.Column("cues", sa.JSON, nullable=False),
    )
    op.create_index("ix_answers_session_id", "answers", ["session_id"])
    op.create_table(
        "user_settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("user_settings")
    op.drop_index("ix_answers_session_id", table_name="answers")
    op.drop_table("answers")
    op.drop_table("interview_sessions")
