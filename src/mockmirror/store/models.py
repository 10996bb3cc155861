"""SQLAlchemy 2 tables. JSON columns hold the pydantic report and measures as plain dicts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

LOCAL_OWNER = "local"  # the one person of personal mode


def utc_now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar = {dict[str, Any]: JSON, list[Any]: JSON}


class SessionRecord(Base):
    """One mock interview (or one uploaded answer), with what the candidate consented to."""

    __tablename__ = "interview_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # Whose interview: an account id in institution mode, LOCAL_OWNER in personal mode.
    owner_id: Mapped[str] = mapped_column(
        String(32), default=LOCAL_OWNER, server_default=LOCAL_OWNER, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    kind: Mapped[str] = mapped_column(String(16), default="interview")  # interview | upload
    role: Mapped[str] = mapped_column(String(40), default="any")
    job_title: Mapped[str] = mapped_column(String(200), default="")
    job_description: Mapped[str] = mapped_column(Text, default="")
    core_questions: Mapped[int] = mapped_column(Integer, default=5)
    difficulty: Mapped[int] = mapped_column(Integer, default=2)
    max_follow_ups: Mapped[int] = mapped_column(Integer, default=2)
    warm_up: Mapped[bool] = mapped_column(Boolean, default=True)
    closing: Mapped[bool] = mapped_column(Boolean, default=True)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    recent_ids: Mapped[list[Any]] = mapped_column(default=list)  # question ids to avoid, oldest first
    # Consent, per modality, as the candidate gave it on the consent screen.
    camera: Mapped[bool] = mapped_column(Boolean, default=True)
    microphone: Mapped[bool] = mapped_column(Boolean, default=True)
    keep_recording: Mapped[bool] = mapped_column(Boolean, default=False)
    emotion_inference: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(16), default="asking")
    prompt: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # what the recruiter says now
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    question_ids: Mapped[list[Any]] = mapped_column(default=list)  # asked, for the next plan's variety
    calibration: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # start / answer(text) / skip / stop, in order: replayed on the same plan to rebuild the dialogue.
    dialogue_events: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")

    answers: Mapped[list[AnswerRecord]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        order_by="AnswerRecord.position",
        passive_deletes=True,
    )


class AnswerRecord(Base):
    """One spoken answer: its recording (a file), analysis status, measures and report."""

    __tablename__ = "answers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    session_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("interview_sessions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    source: Mapped[str] = mapped_column(String(16), default="live")  # live | upload
    prompt_kind: Mapped[str] = mapped_column(String(16), default="question")
    question_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    question: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="recording")
    stage: Mapped[str] = mapped_column(String(80), default="")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Relative to the data dir, so the data dir can move; None once deleted (not kept).
    recording_path: Mapped[str | None] = mapped_column(String(500), nullable=True)
    duration_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    transcript: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # report summary
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # the AnswerReport
    dialogue_feedback: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    cues: Mapped[list[Any]] = mapped_column(default=list)  # live nudges sent during the answer
    job_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    question_end_s: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")

    session: Mapped[SessionRecord] = relationship(back_populates="answers")


class AnalysisJob(Base):
    """An answer's analysis as a durable job: what state it is in, how often it was tried and why
    it last stopped, so a restart or a killed worker never leaves an answer without an outcome."""

    __tablename__ = "analysis_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    answer_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("answers.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(String(16), default="queued", index=True)  # queued|running|done|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # tries started
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    worker: Mapped[str | None] = mapped_column(String(120), nullable=True)  # host:pid running it
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    not_before: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)  # backoff
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class UserSetting(Base):
    """Per-user preferences (default consent, calibration baseline…), one JSON value per key."""

    __tablename__ = "user_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, onupdate=utc_now)


class Account(Base):
    """A person who logs in (institution mode): student, coach or admin."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16), default="student")  # student | coach | admin
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class LoginSession(Base):
    """A server-side login: the cookie holds a random token, the table only its SHA-256."""

    __tablename__ = "login_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SessionShare(Base):
    """A student shared one of their sessions with a coach, who may then read its report."""

    __tablename__ = "session_shares"

    session_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("interview_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    coach_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class AuditEvent(Base):
    """Who did what to whose data, and when: logins, account changes, shares, exports, deletions.
    It names people and ids, never the content of an interview."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, index=True)
    actor: Mapped[str] = mapped_column(String(80))  # a user name, "local", or "anonymous"
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(64), default="")


class Cohort(Base):
    """A group (a class, a course): its students practise what its coaches assign."""

    __tablename__ = "cohorts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class CohortMember(Base):
    __tablename__ = "cohort_members"

    cohort_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Assignment(Base):
    """A mock interview a coach asks a cohort to practise (what to set up, not anyone's answers)."""

    __tablename__ = "assignments"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    cohort_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("cohorts.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40), default="any")
    core_questions: Mapped[int] = mapped_column(Integer, default=5)
    difficulty: Mapped[int] = mapped_column(Integer, default=2)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
