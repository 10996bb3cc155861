"""The versioned JSON report of one answer (the boundary type; see docs/report-schema.md).

Bump SCHEMA_VERSION's minor number when adding fields, the major number when renaming or removing
one. ``docs/report.schema.json`` is generated from this model (``mockmirror schema``) and a test
keeps it in step.
"""

from __future__ import annotations

import platform
from dataclasses import replace
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field

from mockmirror import __version__
from mockmirror.analysis.pipeline import AnswerAnalysis
from mockmirror.core.types import Event
from mockmirror.face.track import FaceTrack
from mockmirror.fusion.feedback import Feedback
from mockmirror.fusion.fuse import FusionResult, expression_name
from mockmirror.language.content import ContentAnalysis
from mockmirror.speech.track import SpeechTrack

SCHEMA_VERSION = "1.5"


class InputInfo(BaseModel):
    file_name: str = Field(description="Base name only: the report does not record full paths.")
    duration_s: float
    has_audio: bool
    has_video: bool
    width: int
    height: int
    video_fps: float


class SummaryMetrics(BaseModel):
    """The headline numbers; each also appears, with its evidence, in its modality section."""

    duration_s: float
    word_count: int
    words_per_minute: float | None
    response_latency_s: float | None
    filler_count: int
    filler_rate_per_min: float | None
    pause_count: int
    longest_pause_s: float
    mean_volume_dbfs: float | None
    face_visible_ratio: float | None
    eye_contact_ratio: float | None
    blink_count: int | None
    blink_rate_per_min: float | None
    smile_ratio: float | None
    dominant_expression: str | None
    relevance: float | None
    star_coverage: float


class ProducedBy(BaseModel):
    mockmirror_version: str = __version__
    python: str = Field(default_factory=platform.python_version)
    models: dict[str, str] = Field(default_factory=dict, description="model name → sha256")
    timings_s: dict[str, float] = Field(default_factory=dict)


class AnswerReport(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=False)

    schema_version: str = SCHEMA_VERSION
    kind: str = "answer"
    created_at: datetime
    question: str
    question_end_s: float
    input: InputInfo
    summary: SummaryMetrics
    feedback: Feedback
    events: list[Event] = Field(description="All timed observations, sorted by start time.")
    speech: SpeechTrack
    face: FaceTrack
    content: ContentAnalysis
    produced_by: ProducedBy
    fusion: FusionResult | None = Field(
        None,
        description="Indicators with evidence, the overall score and its weights, mismatches, the "
        "reference used and the inference policy (docs/fusion.md). Absent before 1.2.",
    )


def build_report(analysis: AnswerAnalysis, model_hashes: dict[str, str] | None = None) -> AnswerReport:
    speech, face, content, media = analysis.speech, analysis.face, analysis.content, analysis.media
    ss, fs = speech.summary, face.summary
    summary = SummaryMetrics(
        duration_s=round(media.duration, 3),
        word_count=content.word_count if not speech.available else ss.word_count,
        words_per_minute=ss.words_per_minute,
        response_latency_s=ss.response_latency_s,
        filler_count=ss.filler_count,
        filler_rate_per_min=ss.filler_rate_per_min,
        pause_count=ss.pause_count,
        longest_pause_s=ss.longest_pause_s,
        mean_volume_dbfs=ss.mean_volume_dbfs,
        face_visible_ratio=fs.face_visible_ratio if face.available else None,
        eye_contact_ratio=fs.eye_contact_ratio,
        blink_count=fs.blink_count if face.available else None,
        blink_rate_per_min=fs.blink_rate_per_min,
        smile_ratio=fs.smile_ratio,
        dominant_expression=fs.dominant_expression,
        relevance=content.relevance,
        star_coverage=content.star_coverage,
    )
    events = sorted([*speech.events, *face.events], key=lambda e: (e.start, e.kind))
    fusion = analysis.fusion
    if fusion is not None and not fusion.policy.emotion_inference and face.available:
        # Emotion inference off: the expression classes are named as facial configurations.
        face = _observable_expressions(face, fusion)
        summary.dominant_expression = face.summary.dominant_expression
    return AnswerReport(
        created_at=datetime.now(UTC),
        question=analysis.question,
        question_end_s=analysis.question_end_s,
        input=InputInfo(
            file_name=media.path.name,
            duration_s=media.duration,
            has_audio=media.has_audio,
            has_video=media.has_video,
            width=media.width,
            height=media.height,
            video_fps=media.video_fps,
        ),
        summary=summary,
        feedback=analysis.feedback,
        events=events,
        speech=speech,
        face=face,
        content=content,
        produced_by=ProducedBy(models=model_hashes or {}, timings_s=analysis.timings_s),
        fusion=fusion,
    )


def _observable_expressions(face: FaceTrack, fusion: FusionResult) -> FaceTrack:
    def rename(probs: dict[str, float] | None) -> dict[str, float] | None:
        return {expression_name(k, fusion.policy): v for k, v in probs.items()} if probs else probs

    s = face.summary
    dominant = expression_name(s.dominant_expression, fusion.policy) if s.dominant_expression else None
    summary = replace(
        s, expression_distribution=rename(s.expression_distribution) or {}, dominant_expression=dominant
    )
    frames = [replace(f, expression=rename(f.expression)) for f in face.frames]
    return replace(face, frames=frames, summary=summary)


def report_json_schema() -> dict:
    return AnswerReport.model_json_schema()
