"""The session report and the dashboard of all sessions (trends, competencies, what to practise)."""

from __future__ import annotations

from collections import Counter, defaultdict
from statistics import mean

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse

from mockmirror.store import SessionRecord
from mockmirror.web.deps import ServicesDep, SessionDep
from mockmirror.web.schemas import AnswerOut, Competency, Dashboard, DashboardPoint, SessionOut

router = APIRouter(tags=["reports"])


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(mean(present), 3) if present else None


def _content_score(report: dict | None) -> float | None:
    return ((report or {}).get("content") or {}).get("overall_score")


def _improvements(report: dict | None) -> list[dict]:
    return ((report or {}).get("feedback") or {}).get("improvements") or []


@router.get("/api/sessions/{session_id}/report",
            summary="The session report: every answer, feedback, summary")
def session_report(session: SessionDep) -> dict:
    done = [a for a in session.answers if a.report is not None]
    return {
        "session": SessionOut.of(session).model_dump(mode="json"),
        "answers": [
            {
                **AnswerOut.of(a).model_dump(mode="json"),
                "feedback": (a.report or {}).get("feedback"),
                "events": (a.report or {}).get("events", []),
                "words": (((a.report or {}).get("speech") or {}).get("transcript") or {}).get("words", []),
                "content_score": _content_score(a.report),
            }
            for a in session.answers
        ],
        "averages": {
            key: _mean([(a.measures or {}).get(key) for a in done])
            for key in ("words_per_minute", "filler_rate_per_min", "eye_contact_ratio", "response_latency_s")
        },
        "dialogue_summary": session.summary,
        "session_report_html_url": f"/api/sessions/{session.id}/report.html" if done else None,
    }


def _session_document(session: SessionRecord):
    """The report package's session report over the analysed answers (None before the first)."""
    from mockmirror.report.document import AnswerReport
    from mockmirror.report.session import build_session_report

    done = [a for a in session.answers if a.report is not None]
    if not done:
        return None
    reports = [AnswerReport.model_validate(a.report) for a in done]
    return build_session_report(reports, [f"/api/answers/{a.id}/report.html" for a in done])


@router.get("/api/sessions/{session_id}/report.html", response_class=HTMLResponse,
            summary="The session report as one HTML page (scores per answer, top strengths and improvements)")
def session_report_html(session: SessionDep) -> HTMLResponse:
    from mockmirror.report.session import render_session_html

    document = _session_document(session)
    if document is None:
        raise HTTPException(409, "no answer of this session has been analysed yet")
    return HTMLResponse(render_session_html(document))


def _point(s: SessionRecord) -> DashboardPoint:
    done = [a for a in s.answers if a.measures]
    return DashboardPoint(
        session_id=s.id, date=s.created_at, role=s.role, answers=len(done),
        words_per_minute=_mean([a.measures.get("words_per_minute") for a in done]),
        filler_rate_per_min=_mean([a.measures.get("filler_rate_per_min") for a in done]),
        eye_contact_ratio=_mean([a.measures.get("eye_contact_ratio") for a in done]),
        content_score=_mean([_content_score(a.report) for a in done]),
        response_latency_s=_mean([a.measures.get("response_latency_s") for a in done]),
    )


@router.get("/api/dashboard", response_model=Dashboard, summary="Trends across sessions and what to practise")
def dashboard(services: ServicesDep) -> Dashboard:
    sessions = sorted(services.store.list_sessions(), key=lambda s: s.created_at)
    bank = services.interviews.bank
    by_competency: dict[str, list[float]] = defaultdict(list)
    topics: Counter[str] = Counter()
    for s in sessions:
        for a in s.answers:
            score = _content_score(a.report)
            if score is not None and a.question_id and a.question_id in bank:
                by_competency[bank.get(a.question_id).competency.value].append(score)
            topics.update(p.get("topic", "") for p in _improvements(a.report))
    ranked = sorted(
        (Competency(name=k, answers=len(v), mean_content_score=round(mean(v), 1))
         for k, v in by_competency.items()),
        key=lambda c: c.mean_content_score,
    )
    half = len(ranked) // 2  # never the same competency in both lists
    worst, best = ranked[: min(3, half)], list(reversed(ranked[max(half, len(ranked) - 3) :]))
    if worst:
        advice = f"Practise {worst[0].name.replace('_', ' ')} questions"
        if topics:
            advice += f" and work on {topics.most_common(1)[0][0].replace('_', ' ')}"
    elif topics:
        advice = f"Work on {topics.most_common(1)[0][0].replace('_', ' ')} in your next session"
    else:
        advice = "Run a first mock interview to see your trends."
    return Dashboard(
        sessions=[_point(s) for s in sessions if s.answers],
        best_competencies=best, worst_competencies=worst,
        frequent_improvements=[(k, n) for k, n in topics.most_common(5) if k],
        next_practice=advice + ("." if not advice.endswith(".") else ""),
    )
