"""The session report and the dashboard of all sessions (trends, competencies, what to practise)."""

from __future__ import annotations

from collections import Counter, defaultdict
from statistics import mean
from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse

from mockmirror.language.validity import HEADLINES, AnswerStatus
from mockmirror.report.document import AnswerReport
from mockmirror.report.session import (
    DELIVERY_MEASURES,
    answer_status,
    build_session_report,
    counts_in_averages,
    session_figures,
)
from mockmirror.store import SessionRecord
from mockmirror.web.deps import PrincipalDep, ServicesDep, SessionDep
from mockmirror.web.schemas import AnswerOut, Competency, Dashboard, DashboardPoint, SessionOut
from mockmirror.web.security import report_page

router = APIRouter(tags=["reports"])


def _reports(session: SessionRecord) -> list[tuple[Any, AnswerReport]]:
    """The analysed answers of a session with their report documents."""
    return [(a, AnswerReport.model_validate(a.report)) for a in session.answers if a.report is not None]


@router.get("/api/sessions/{session_id}/report",
            summary="The session report: every answer, feedback, summary")
def session_report(session: SessionDep) -> dict:
    analysed = _reports(session)
    documents = {a.id: doc for a, doc in analysed}
    figures = session_figures([doc for _, doc in analysed])

    def answer_json(a: Any) -> dict:
        doc = documents.get(a.id)
        return {
            **AnswerOut.of(a).model_dump(mode="json"),
            "feedback": (a.report or {}).get("feedback"),
            "events": (a.report or {}).get("events", []),
            "words": (((a.report or {}).get("speech") or {}).get("transcript") or {}).get("words", []),
            "content_score": doc.content.overall_score if doc is not None else None,
            "overall_score": doc.fusion.overall.score if doc is not None and doc.fusion is not None else None,
            "verdict": answer_status(doc) if doc is not None else None,
            "verdict_headline": HEADLINES[AnswerStatus(answer_status(doc))] if doc is not None else None,
            "counts": counts_in_averages(doc) if doc is not None else False,
        }

    return {
        "session": SessionOut.of(session).model_dump(mode="json"),
        "answers": [answer_json(a) for a in session.answers],
        # The same numbers as the printable session report and the dashboard (session_figures).
        "figures": figures.model_dump(mode="json"),
        "averages": {key: getattr(figures, key) for key in DELIVERY_MEASURES},
        "dialogue_summary": session.summary,
        "session_report_html_url": f"/api/sessions/{session.id}/report.html" if analysed else None,
    }


def _session_document(session: SessionRecord):
    """The report package's session report over the analysed answers (None before the first)."""
    analysed = _reports(session)
    if not analysed:
        return None
    return build_session_report(
        [doc for _, doc in analysed], [f"/api/answers/{a.id}/report.html" for a, _ in analysed]
    )


@router.get("/api/sessions/{session_id}/report.html", response_class=HTMLResponse,
            summary="The session report as one HTML page (scores per answer, top strengths and improvements)")
def session_report_html(session: SessionDep) -> HTMLResponse:
    from mockmirror.report.session import render_session_html

    document = _session_document(session)
    if document is None:
        raise HTTPException(409, "no answer of this session has been analysed yet")
    return report_page(render_session_html(document))


def _point(s: SessionRecord) -> DashboardPoint:
    figures = session_figures([doc for _, doc in _reports(s)])
    return DashboardPoint(
        session_id=s.id, date=s.created_at, role=s.role, answers=figures.counted,
        words_per_minute=figures.words_per_minute,
        filler_rate_per_min=figures.filler_rate_per_min,
        eye_contact_ratio=figures.eye_contact_ratio,
        content_score=figures.content_score,
        response_latency_s=figures.response_latency_s,
    )


@router.get("/api/dashboard", response_model=Dashboard, summary="Trends across sessions and what to practise")
def dashboard(services: ServicesDep, principal: PrincipalDep) -> Dashboard:
    sessions = sorted(services.store.list_sessions(principal.owner_id), key=lambda s: s.created_at)
    bank = services.interviews.bank
    by_competency: dict[str, list[float]] = defaultdict(list)
    topics: Counter[str] = Counter()
    points = []
    for s in sessions:
        for a, doc in _reports(s):
            if not counts_in_averages(doc):
                continue  # skipped and non-answers leave trends and competencies alone
            score = doc.content.overall_score
            if score is not None and a.question_id and a.question_id in bank:
                by_competency[bank.get(a.question_id).competency.value].append(score)
            topics.update(p.topic for p in doc.feedback.improvements)
        point = _point(s)
        if point.answers:
            points.append(point)
    ranked = sorted(
        (Competency(name=k, answers=len(v), mean_content_score=round(mean(v), 1))
         for k, v in by_competency.items()),
        key=lambda c: c.mean_content_score,
    )
    half = len(ranked) // 2  # never the same competency in both lists
    worst, best = ranked[: min(3, half)], list(reversed(ranked[max(half, len(ranked) - 3) :]))
    if worst:  # a tie is neither strongest nor weakest
        best = [c for c in best if c.mean_content_score > worst[-1].mean_content_score]
    if worst:
        advice = f"Practise {worst[0].name.replace('_', ' ')} questions"
        if topics:
            advice += f" and work on {topics.most_common(1)[0][0].replace('_', ' ')}"
    elif topics:
        advice = f"Work on {topics.most_common(1)[0][0].replace('_', ' ')} in your next session"
    else:
        advice = "Run a first mock interview to see your trends."
    return Dashboard(
        sessions=points,
        best_competencies=best, worst_competencies=worst,
        frequent_improvements=[(k, n) for k, n in topics.most_common(5) if k],
        next_practice=advice + ("." if not advice.endswith(".") else ""),
    )
