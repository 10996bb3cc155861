"""Pydantic models of the REST API (the OpenAPI spec at /api/openapi.json is built from these)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from mockmirror.interview.bank import RoleFamily
from mockmirror.store import AnswerRecord, SessionRecord
from mockmirror.web.security import scrub_paths


class Consent(BaseModel):
    """What the candidate agreed to, per modality (the consent screen)."""

    camera: bool = Field(True, description="Use the webcam for eye contact, face and expression cues.")
    microphone: bool = Field(True, description="Use the microphone (needed for spoken answers).")
    keep_recording: bool = Field(
        False, description="Keep the recordings for replay (else deleted after analysis)."
    )
    emotion_inference: bool = Field(
        False, description="Opt-in: name facial expressions as emotions (personal practice only)."
    )


class SessionCreate(BaseModel):
    kind: Literal["interview", "upload"] = "interview"
    role: RoleFamily = RoleFamily.ANY
    job_description: str = Field("", max_length=20_000, description="Pasted job ad; aims the questions.")
    core_questions: int = Field(5, ge=1, le=30, description="Core questions between warm-up and closing.")
    difficulty: int = Field(2, ge=1, le=3)
    max_follow_ups: int = Field(2, ge=0, le=5)
    warm_up: bool = True
    closing: bool = True
    seed: int | None = Field(None, description="Same seed, same questions (random when left out).")
    consent: Consent = Consent()


class Prompt(BaseModel):
    kind: str
    text: str
    question_id: str | None = None
    stage: str | None = None
    number: int = 0
    total: int = 0
    follow_up: str | None = None


class AnswerOut(BaseModel):
    id: str
    session_id: str
    position: int
    created_at: datetime
    source: str
    prompt_kind: str
    question_id: str | None
    question: str
    status: str
    stage: str
    progress: float
    error: str | None
    job_id: str | None
    has_recording: bool
    duration_s: float | None
    transcript: str
    measures: dict[str, Any] | None
    cues: list[Any]
    dialogue_feedback: dict[str, Any] | None
    report_url: str | None
    report_html_url: str | None
    recording_url: str | None

    @classmethod
    def of(cls, a: AnswerRecord) -> AnswerOut:
        done = a.report is not None
        return cls(
            id=a.id, session_id=a.session_id, position=a.position, created_at=a.created_at,
            source=a.source, prompt_kind=a.prompt_kind, question_id=a.question_id, question=a.question,
            status=a.status, stage=a.stage, progress=a.progress, job_id=a.job_id,
            error=scrub_paths(a.error) if a.error else None,
            has_recording=a.recording_path is not None, duration_s=a.duration_s, transcript=a.transcript,
            measures=a.measures, cues=a.cues or [], dialogue_feedback=a.dialogue_feedback,
            report_url=f"/api/answers/{a.id}/report" if done else None,
            report_html_url=f"/api/answers/{a.id}/report.html" if done else None,
            # Offered once analysed: before that it is the raw capture (and may yet be deleted).
            recording_url=f"/api/answers/{a.id}/recording" if a.recording_path and done else None,
        )


class SessionOut(BaseModel):
    id: str
    created_at: datetime
    kind: str
    role: str
    job_title: str
    has_job_description: bool
    core_questions: int
    difficulty: int
    max_follow_ups: int
    seed: int
    consent: Consent
    state: str
    prompt: Prompt | None
    summary: dict[str, Any] | None
    calibrated: bool
    answers: list[AnswerOut]

    @classmethod
    def of(cls, s: SessionRecord) -> SessionOut:
        return cls(
            id=s.id, created_at=s.created_at, kind=s.kind, role=s.role, job_title=s.job_title,
            has_job_description=bool(s.job_description.strip()), core_questions=s.core_questions,
            difficulty=s.difficulty, max_follow_ups=s.max_follow_ups, seed=s.seed,
            consent=Consent(camera=s.camera, microphone=s.microphone, keep_recording=s.keep_recording,
                            emotion_inference=s.emotion_inference),
            state=s.state, prompt=Prompt(**s.prompt) if s.prompt else None, summary=s.summary,
            calibrated=bool(s.calibration), answers=[AnswerOut.of(a) for a in s.answers],
        )


class JobOut(BaseModel):
    id: str
    kind: str
    state: str
    stage: str
    progress: float
    error: str | None
    subject: str
    attempts: int = 0  # tries started (an answer's analysis is retried after a passing failure)
    last_error: str | None = None  # why the last try stopped


class Calibration(BaseModel):
    """Gaze samples (yaw, pitch in degrees) taken while looking at the camera and the screen centre."""

    camera: list[tuple[float, float]] = Field(default_factory=list)
    screen_centre: list[tuple[float, float]] = Field(default_factory=list)
    speech_dbfs: float | None = None


class DashboardPoint(BaseModel):
    session_id: str
    date: datetime
    role: str
    answers: int
    words_per_minute: float | None
    filler_rate_per_min: float | None
    eye_contact_ratio: float | None
    content_score: float | None
    response_latency_s: float | None


class Competency(BaseModel):
    name: str
    answers: int
    mean_content_score: float


class Dashboard(BaseModel):
    sessions: list[DashboardPoint]
    best_competencies: list[Competency]
    worst_competencies: list[Competency]
    frequent_improvements: list[tuple[str, int]]
    next_practice: str


class Message(BaseModel):
    detail: str
