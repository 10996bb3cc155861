"""A session report combining several answer reports: per-answer scores, the session's top
three strengths and improvements (citing answers and moments), and the mean indicators.

Entry points (stable, for the CLI and the web app): ``build_session_report(reports)`` →
``SessionReport`` (JSON-serialisable), ``render_session_html(session)`` → one HTML page.
"""

from __future__ import annotations

from datetime import UTC, datetime
from statistics import mean

from pydantic import BaseModel, Field

from mockmirror import __version__
from mockmirror.fusion.coaching import session_feedback
from mockmirror.fusion.feedback import Feedback
from mockmirror.report.document import SCHEMA_VERSION, AnswerReport

INDICATORS = ("engagement", "composure", "clarity", "content")


class SessionAnswer(BaseModel):
    label: str = Field(description="'answer 1', 'answer 2'… in the order given")
    file_name: str
    question: str
    duration_s: float
    created_at: datetime
    overall_score: float | None
    indicators: dict[str, float | None] = Field(
        description="indicator name → score 0–100 (null: not measured)"
    )
    content_score: float | None
    words_per_minute: float | None
    filler_count: int
    eye_contact_ratio: float | None
    report_link: str | None = Field(None, description="Relative link to the answer's HTML report, if any")


class SessionReport(BaseModel):
    schema_version: str = SCHEMA_VERSION
    kind: str = "session"
    created_at: datetime
    answers: list[SessionAnswer]
    overall_score: float | None = Field(description="Mean of the answers' overall scores that have one")
    indicators: dict[str, float | None] = Field(description="Mean of each indicator over the answers")
    feedback: Feedback = Field(description="Top 3 strengths and improvements over the session")
    notes: list[str] = Field(default_factory=list)
    mockmirror_version: str = __version__


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(mean(present), 1) if present else None


def build_session_report(
    reports: list[AnswerReport], report_links: list[str | None] | None = None
) -> SessionReport:
    if not reports:
        raise ValueError("a session report needs at least one answer report")
    links = report_links or [None] * len(reports)
    answers = []
    notes: list[str] = []
    for i, (r, link) in enumerate(zip(reports, links, strict=True), start=1):
        fusion = r.fusion
        indicators = {name: None for name in INDICATORS}
        overall = None
        if fusion is not None:
            indicators.update({ind.name: ind.score for ind in fusion.indicators})
            overall = fusion.overall.score
        else:
            notes.append(
                f"answer {i} ({r.input.file_name}) is a schema {r.schema_version} report without indicators"
            )
        answers.append(
            SessionAnswer(
                label=f"answer {i}",
                file_name=r.input.file_name,
                question=r.question,
                duration_s=r.input.duration_s,
                created_at=r.created_at,
                overall_score=overall,
                indicators=indicators,
                content_score=r.content.overall_score,
                words_per_minute=r.summary.words_per_minute,
                filler_count=r.summary.filler_count,
                eye_contact_ratio=r.summary.eye_contact_ratio,
                report_link=link,
            )
        )
    feedback = session_feedback([r.feedback for r in reports], [a.label for a in answers])
    return SessionReport(
        created_at=datetime.now(UTC),
        answers=answers,
        overall_score=_mean([a.overall_score for a in answers]),
        indicators={name: _mean([a.indicators.get(name) for a in answers]) for name in INDICATORS},
        feedback=feedback,
        notes=notes,
    )


def render_session_html(session: SessionReport) -> str:
    from mockmirror.report.charts import radar_svg, score_bars_svg
    from mockmirror.report.html import _environment

    template = _environment().get_template("session.html")
    return template.render(
        s=session,
        radar=radar_svg([(k.capitalize(), v) for k, v in session.indicators.items()], "Mean indicators"),
        bars=score_bars_svg(
            [(a.label, a.overall_score) for a in session.answers],
            "Overall score per answer",
        ),
    )
