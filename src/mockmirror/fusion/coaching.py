"""More feedback points from the fused cues and content sub-scores, the session's top three, and
optional LLM rewording that must keep every number.

Each point states the measure and its number, cites moments, and gives one concrete tip. The
per-answer rules in feedback.py come first; these add what they do not cover.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from mockmirror.fusion.feedback import Evidence, Feedback, FeedbackPoint, clock
from mockmirror.fusion.fuse import FusionResult
from mockmirror.fusion.indicators import Cue
from mockmirror.language.content import ContentAnalysis

WEAK_CUE = 60.0  # a cue scoring below this is an improvement
STRONG_CUE = 90.0  # at or above this (and reliable) a strength
WEAK_SUBSCORE, STRONG_SUBSCORE = 50.0, 85.0

TIPS = {
    "pace_stability": "Keep one pace: rehearse the answer aloud and mark a breath after each sentence.",
    "vocal_variety": "Stress the key word of each sentence (the number, the result) a little louder.",
    "fidgeting": "Sit back with both feet on the floor and rest your hands; move on purpose, not on repeat.",
    "blink_rate": "Take one slow breath before you start; look briefly away from the screen between answers.",
    "facial_activity": "Let your face follow the story: brows up at the problem, a smile at the result.",
    "volume": "Move closer to the microphone or away from the noise, and speak to the back of the room.",
    "specificity": "Add one concrete detail per step: a number, a name, a date or a tool.",
    "ownership": "Say “I” for what you did yourself; keep “we” for the team's part.",
    "hedging": "Drop “I think / maybe / sort of” before facts you are sure of.",
    "repetition": "Plan three keywords for the answer so you do not circle back to the same phrase.",
    "readability": "Split long sentences: one idea, one sentence.",
}


def _reference_phrase(reference: str | None) -> str:
    """How a cue's reference reads inside a sentence: "(full marks at 50% of face time)" or
    "(compared with your own baseline …)"."""
    if not reference or reference.startswith("none"):
        return ""
    if reference.startswith("full marks"):
        return f" ({reference})"
    if reference.startswith("own baseline"):
        return f" (compared with your {reference})"
    return f" (compared with the {reference})"


def _cue_point(cue: Cue) -> FeedbackPoint | None:
    if not cue.used or cue.score is None or cue.name not in TIPS:
        return None
    ref = _reference_phrase(cue.reference)
    if cue.score < WEAK_CUE:
        return FeedbackPoint(
            "improvement",
            cue.name,
            f"{cue.summary[:1].upper()}{cue.summary[1:]}{ref}.",
            TIPS[cue.name],
            cue.measure,
            cue.value,
            round(0.3 + 0.5 * (WEAK_CUE - cue.score) / WEAK_CUE * cue.reliability, 3),
            list(cue.evidence),
        )
    if cue.score >= STRONG_CUE and cue.name in ("pace_stability", "vocal_variety", "facial_activity"):
        return FeedbackPoint(
            "strength",
            cue.name,
            f"{cue.summary[:1].upper()}{cue.summary[1:]}{ref}.",
            "",
            cue.measure,
            cue.value,
            round(0.3 * cue.reliability, 3),
            list(cue.evidence),
        )
    return None


def fusion_feedback(fusion: FusionResult, content: ContentAnalysis) -> list[FeedbackPoint]:
    points: list[FeedbackPoint] = []
    seen: set[str] = set()
    for ind in fusion.indicators:
        for cue in ind.cues:
            if cue.name in seen:
                continue
            seen.add(cue.name)
            point = _cue_point(cue)
            if point is not None:
                points.append(point)
    for name in ("specificity", "ownership", "hedging", "repetition", "readability"):
        sub = content.scores.get(name)
        if sub is None or sub.score is None:
            continue
        evidence = [
            Evidence(c.start, c.end, c.note or c.text[:40])
            for c in sub.evidence
            if c.start is not None and c.end is not None
        ][:4]
        if sub.score < WEAK_SUBSCORE:
            points.append(
                FeedbackPoint(
                    "improvement",
                    name,
                    f"{sub.summary} ({name} {sub.score:.0f}/100).",
                    TIPS[name],
                    f"content.scores.{name}",
                    sub.score,
                    round(0.35 + 0.4 * (WEAK_SUBSCORE - sub.score) / WEAK_SUBSCORE, 3),
                    evidence,
                )
            )
        elif sub.score >= STRONG_SUBSCORE and name in ("specificity", "ownership"):
            points.append(
                FeedbackPoint(
                    "strength",
                    name,
                    f"{sub.summary} ({name} {sub.score:.0f}/100).",
                    "",
                    f"content.scores.{name}",
                    sub.score,
                    0.45,
                    evidence,
                )
            )
    return points


def session_feedback(feedbacks: Sequence[Feedback], labels: Sequence[str], limit: int = 3) -> Feedback:
    """The session's top strengths and improvements: topics ranked by summed impact over answers.

    A topic seen in several answers outranks a one-off; each point names the answers and cites
    their moments (labels are prefixed with the answer's label, e.g. "answer 2").
    """
    out: dict[str, list[FeedbackPoint]] = {"strength": [], "improvement": []}
    for kind in out:
        by_topic: dict[str, list[tuple[str, FeedbackPoint]]] = defaultdict(list)
        for label, fb in zip(labels, feedbacks, strict=True):
            for p in fb.strengths if kind == "strength" else fb.improvements:
                by_topic[p.topic].append((label, p))
        ranked = sorted(by_topic.items(), key=lambda kv: -sum(p.impact for _, p in kv[1]))
        for topic, items in ranked[:limit]:
            best_label, best = max(items, key=lambda lp: lp[1].impact)
            where = ", ".join(label for label, _ in items)
            evidence = [
                Evidence(e.start, e.end, f"{label}: {e.label}") for label, p in items for e in p.evidence[:2]
            ]
            message = (
                f"In {len(items)} of {len(feedbacks)} answers ({where}). "
                f"Most marked in {best_label}: {best.message}"
                if len(items) > 1
                else f"In {best_label}: {best.message}"
            )
            out[kind].append(
                FeedbackPoint(
                    kind,
                    topic,
                    message,
                    best.tip,
                    best.measure,
                    best.value,
                    round(min(1.0, sum(p.impact for _, p in items) / len(feedbacks)), 3),
                    evidence,
                )
            )
    notes = sorted({n for fb in feedbacks for n in fb.notes})
    return Feedback(strengths=out["strength"], improvements=out["improvement"], notes=notes)


def point_text(point: FeedbackPoint) -> str:
    return f"{point.message} Tip: {point.tip}" if point.tip else point.message


def reword_feedback(feedback: Feedback, phraser) -> Feedback:
    """Reword each point with the interview LLM backends (``interview.llm.Phraser``).

    The guard rejects new numbers; here every number of the template must also survive
    (``clock`` times included). On any failure the template stays and ``phrased`` is empty.
    """
    from mockmirror.interview.llm.guard import numbers_in

    def one(point: FeedbackPoint) -> FeedbackPoint:
        template = point_text(point)
        times = tuple(clock(e.start) for e in point.evidence)
        result = phraser.feedback(template, facts=times)
        if result.source == "template":
            return point
        lost = numbers_in(template) - numbers_in(result.text)
        if lost:
            phraser.rejections.append(f"dropped numbers: {', '.join(sorted(lost))}")
            return point
        return replace(point, phrased=result.text, phrased_by=result.source)

    return Feedback(
        strengths=[one(p) for p in feedback.strengths],
        improvements=[one(p) for p in feedback.improvements],
        notes=list(feedback.notes),
    )
