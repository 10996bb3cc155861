"""A session report combining several answer reports: per-answer scores, the session's top
three strengths and improvements (citing answers and moments), and the mean indicators.

Entry points (stable, for the CLI and the web app): ``session_figures(reports)`` → the headline
numbers (the one place they are computed: the in-app session report, the printable one and the
dashboard all call it), ``build_session_report(reports)`` → ``SessionReport`` (JSON-serialisable),
``render_session_html(session)`` → one HTML page. Only answers the verdict calls answered enter an
average: a skipped, empty or non-answer is listed as such and leaves every figure alone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from statistics import mean

from pydantic import BaseModel, Field

from mockmirror import __version__
from mockmirror.fusion.coaching import session_feedback
from mockmirror.fusion.feedback import Feedback
from mockmirror.language.validity import HEADLINES
from mockmirror.report.document import SCHEMA_VERSION, AnswerReport

INDICATORS = ("engagement", "composure", "clarity", "content")
DELIVERY_MEASURES = ("words_per_minute", "filler_rate_per_min", "eye_contact_ratio", "response_latency_s")


def counts_in_averages(report: AnswerReport) -> bool:
    """An answered answer (older reports without a verdict: one with words)."""
    verdict = report.content.verdict
    return verdict.answered if verdict is not None else report.content.word_count > 0


def answer_status(report: AnswerReport) -> str:
    verdict = report.content.verdict
    if verdict is not None:
        return verdict.status.value
    return "answered" if report.content.word_count > 0 else "skipped"


class SessionFigures(BaseModel):
    """The session's headline numbers: means over the answers that count (answered ones)."""

    answers: int = Field(description="Answers analysed")
    counted: int = Field(description="Answers that count in the averages (the verdict says answered)")
    overall_score: float | None = Field(description="Mean overall score (0–100)")
    content_score: float | None = Field(description="Mean content score (0–100)")
    indicators: dict[str, float | None] = Field(description="Mean of each indicator (0–100)")
    words_per_minute: float | None
    filler_rate_per_min: float | None
    eye_contact_ratio: float | None = Field(description="Share of face time looking at the camera, 0–1")
    response_latency_s: float | None


def _answer_indicators(report: AnswerReport) -> dict[str, float | None]:
    indicators: dict[str, float | None] = {name: None for name in INDICATORS}
    if report.fusion is not None:
        indicators.update({ind.name: ind.score for ind in report.fusion.indicators})
    return indicators


def session_figures(reports: list[AnswerReport]) -> SessionFigures:
    counted = [r for r in reports if counts_in_averages(r)]
    indicators = [_answer_indicators(r) for r in counted]
    return SessionFigures(
        answers=len(reports),
        counted=len(counted),
        overall_score=_mean([r.fusion.overall.score if r.fusion is not None else None for r in counted]),
        content_score=_mean([r.content.overall_score for r in counted]),
        indicators={name: _mean([i.get(name) for i in indicators]) for name in INDICATORS},
        words_per_minute=_mean([r.summary.words_per_minute for r in counted]),
        filler_rate_per_min=_mean([r.summary.filler_rate_per_min for r in counted]),
        eye_contact_ratio=_mean([r.summary.eye_contact_ratio for r in counted], digits=3),
        response_latency_s=_mean([r.summary.response_latency_s for r in counted]),
    )


class SessionAnswer(BaseModel):
    label: str = Field(description="'answer 1', 'answer 2'… in the order given")
    file_name: str
    question: str
    duration_s: float
    created_at: datetime
    status: str = Field("answered", description="The verdict: answered, skipped, too_short, off_topic…")
    counts: bool = Field(True, description="Whether this answer enters the session's averages")
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
    figures: SessionFigures = Field(description="The headline numbers (session_figures)")
    overall_score: float | None = Field(description="Mean overall score of the answers that count")
    indicators: dict[str, float | None] = Field(description="Mean of each indicator, answers that count")
    feedback: Feedback = Field(description="Top 3 strengths and improvements over the session")
    notes: list[str] = Field(default_factory=list)
    mockmirror_version: str = __version__


def _mean(values: list[float | None], digits: int = 1) -> float | None:
    present = [v for v in values if v is not None]
    return round(mean(present), digits) if present else None


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
        if fusion is None:
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
                status=answer_status(r),
                counts=counts_in_averages(r),
                overall_score=fusion.overall.score if fusion is not None else None,
                indicators=_answer_indicators(r),
                content_score=r.content.overall_score,
                words_per_minute=r.summary.words_per_minute,
                filler_count=r.summary.filler_count,
                eye_contact_ratio=r.summary.eye_contact_ratio,
                report_link=link,
            )
        )
    counted = [(r, a) for r, a in zip(reports, answers, strict=True) if a.counts]
    feedback = session_feedback([r.feedback for r, _ in counted], [a.label for _, a in counted])
    figures = session_figures(reports)
    return SessionReport(
        created_at=datetime.now(UTC),
        answers=answers,
        figures=figures,
        overall_score=figures.overall_score,
        indicators=figures.indicators,
        feedback=feedback,
        notes=notes,
    )


def render_session_html(session: SessionReport) -> str:
    from mockmirror.report.charts import radar_svg, score_bars_svg
    from mockmirror.report.html import _environment

    template = _environment().get_template("session.html")
    return template.render(
        s=session,
        status_words={status.value: headline.lower() for status, headline in HEADLINES.items()},
        radar=radar_svg([(k.capitalize(), v) for k, v in session.indicators.items()], "Mean indicators"),
        bars=score_bars_svg(
            [(a.label, a.overall_score) for a in session.answers if a.counts],
            "Overall score per answer",
        ),
    )
