"""More feedback points from the fused cues and content sub-scores, the session's top three, and
optional LLM rewording that must keep every number.

Each point says in plain words what was seen and why it matters, gives one concrete tip, cites
moments where there are any, and keeps the measure, its value and the reference in ``measure`` /
``value`` / ``detail`` (the "How this was measured" trace). Content sub-score points belong to an
answered answer only. The per-answer rules in feedback.py come first; these add what they do not
cover.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from mockmirror.core.clock import clock
from mockmirror.fusion.feedback import Evidence, Feedback, FeedbackPoint, answered, listing
from mockmirror.fusion.fuse import FusionResult
from mockmirror.fusion.indicators import Cue
from mockmirror.language.content import ContentAnalysis
from mockmirror.language.validity import quote

WEAK_CUE = 60.0  # a cue scoring below this is an improvement
STRONG_CUE = 90.0  # at or above this (and reliable) a strength
WEAK_SUBSCORE, STRONG_SUBSCORE = 50.0, 85.0

TIPS = {
    "pace_stability": "Keep one pace: rehearse the answer aloud and mark a breath after each sentence.",
    "vocal_variety": "Stress the key word of each sentence, such as the number or the result, a little more.",
    "fidgeting": "Sit back with both feet on the floor and rest your hands; move on purpose, not on repeat.",
    "blink_rate": "Take one slow breath before you start, and look away from the screen between answers.",
    "facial_activity": "Let your face follow the story: raise your brows at the problem, smile at the end.",
    "volume": "Move closer to the microphone or away from the noise, and speak to the back of the room.",
    "specificity": "Add one concrete detail to each step: a number, a name, a date or a tool.",
    "ownership": "Say “I” for what you did yourself; keep “we” for the team's part.",
    "hedging": "Drop “I think”, “maybe” and “sort of” before facts you are sure of.",
    "repetition": "Plan three key words for the answer so you do not circle back to the same phrase.",
    "readability": "Split long sentences: one idea, one sentence.",
}
# Content sub-scores as a candidate would name them ("Detail score: 40/100").
SUBSCORE_WORDS = {
    "specificity": "Detail",
    "ownership": "Ownership",
    "hedging": "Directness",
    "repetition": "Variety",
    "readability": "Sentence clarity",
}
SUBSCORE_WEAK = {
    "specificity": "Your answer stayed general, with few numbers, names or examples. Concrete details make "
    "a story believable.",
    "ownership": "It was hard to tell what you did yourself: you said “we” much more than “I”. Interviewers "
    "want to hear your own part.",
    "hedging": "You often softened your points with words like “I think” or “maybe”. That can make you "
    "sound unsure of facts you know.",
    "repetition": "Some words came back again and again, or you restarted sentences. That makes the answer "
    "harder to follow.",
    "readability": "Some of your sentences were long and hard to follow. Short sentences are easier to take "
    "in when spoken.",
}
SUBSCORE_STRONG = {
    "specificity": "You gave concrete details, such as numbers, names or examples. That makes your story "
    "believable.",
    "ownership": "You made clear what you did yourself, using “I” for your own actions.",
}


def _compared_with(cue: Cue) -> str | None:
    """"in your warm-up recording" / "in your earlier answers" when the cue used the user's own."""
    reference = cue.reference or ""
    if reference.startswith("own baseline (calibration"):
        return "in your warm-up recording"
    if reference.startswith("own baseline"):
        return "in your earlier answers"
    return None


def _cue_words(cue: Cue, weak: bool) -> tuple[str, list[Evidence]]:
    """What a weak (or strong) cue means for the candidate, and the moments worth linking."""
    own = _compared_with(cue)
    moments = list(cue.evidence)
    if cue.name == "pace_stability":
        if not weak:
            return "You kept an even speaking speed from phrase to phrase. That sounds prepared and calm.", []
        where = ""
        if len(moments) >= 2:
            where = f": slowest at {clock(moments[0].start)}, fastest at {clock(moments[1].start)}"
        return (
            f"Your speaking speed changed a lot from phrase to phrase{where}. An even pace sounds prepared "
            "and calm.",
            moments,
        )
    if cue.name == "vocal_variety":
        if not weak:
            more = f", more than {own}" if own else ""
            return f"Your voice had a lively rise and fall{more}. That keeps an interviewer listening.", []
        what = "its pitch" if cue.measure == "pitch_variation_st" else "its loudness"
        usual = own or "in lively conversation"
        return (
            f"Your voice stayed quite flat: {what} moved less than {usual}. A flat voice can make a good "
            "story sound dull.",
            [],
        )
    if cue.name == "facial_activity":
        if not weak:
            return "Your face was expressive while you spoke. That helps an interviewer follow you.", []
        share = "" if cue.value is None else f" It showed expression {100 * cue.value:.0f}% of the time."
        return (
            f"Your face stayed quite still while you spoke.{share} A little expression helps an interviewer "
            "follow the story.",
            [],
        )
    if cue.name == "fidgeting":
        ratio = (cue.value or 0.0) / max(cue.reference_value or 1.0, 0.1)
        usual = f"as {own}" if own else "as is usual on camera"
        return (
            f"Your head moved a lot while you spoke, about {ratio:.0f} times as much {usual}. Constant "
            "movement draws the eye away from what you say.",
            moments,
        )
    if cue.name == "blink_rate":
        rate, ref = cue.value or 0.0, cue.reference_value or 0.0
        usual = "usual for you" if own else "usual"
        more = "more" if rate > ref else "less"
        return (
            f"You blinked about {rate:.0f} times a minute, {more} than the {ref:.0f} that is {usual}. "
            "Blinking much more or less than usual stands out on camera.",
            moments,
        )
    if cue.name == "volume":
        return (
            "Your voice was hard to pick out from the background noise. An interviewer may miss words.",
            [],
        )
    return cue.summary, moments


def _cue_point(cue: Cue) -> FeedbackPoint | None:
    if not cue.used or cue.score is None or cue.name not in TIPS:
        return None
    detail = (
        f"{cue.measure} = {cue.value} {cue.unit}; score {cue.score:.0f}/100 against {cue.reference}; "
        f"reliability {cue.reliability:.2f}"
    )
    if cue.score < WEAK_CUE:
        message, moments = _cue_words(cue, weak=True)
        return FeedbackPoint(
            "improvement",
            cue.name,
            message,
            TIPS[cue.name],
            cue.measure,
            cue.value,
            round(0.3 + 0.5 * (WEAK_CUE - cue.score) / WEAK_CUE * cue.reliability, 3),
            moments,
            detail=detail,
        )
    if cue.score >= STRONG_CUE and cue.name in ("pace_stability", "vocal_variety", "facial_activity"):
        message, moments = _cue_words(cue, weak=False)
        return FeedbackPoint(
            "strength",
            cue.name,
            message,
            "",
            cue.measure,
            cue.value,
            round(0.3 * cue.reliability, 3),
            moments,
            detail=detail,
        )
    return None


def fusion_feedback(fusion: FusionResult, content: ContentAnalysis) -> list[FeedbackPoint]:
    """Points from the fused cues, and from the content sub-scores of an answered answer only."""
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
    if not answered(content):
        return points
    for name in ("specificity", "ownership", "hedging", "repetition", "readability"):
        sub = content.scores.get(name)
        if sub is None or sub.score is None:
            continue
        evidence = [
            Evidence(c.start, c.end, f"“{quote(c.text, 8)}”")
            for c in sub.evidence
            if c.start is not None and c.end is not None
        ][:4]
        score = f" {SUBSCORE_WORDS[name]} score: {sub.score:.0f}/100."
        detail = f"content.scores.{name} = {sub.score:.0f}; {sub.summary}"
        if sub.score < WEAK_SUBSCORE:
            points.append(
                FeedbackPoint(
                    "improvement",
                    name,
                    SUBSCORE_WEAK[name] + score,
                    TIPS[name],
                    f"content.scores.{name}",
                    sub.score,
                    round(0.35 + 0.4 * (WEAK_SUBSCORE - sub.score) / WEAK_SUBSCORE, 3),
                    evidence,
                    detail=detail,
                )
            )
        elif sub.score >= STRONG_SUBSCORE and name in SUBSCORE_STRONG:
            points.append(
                FeedbackPoint(
                    "strength",
                    name,
                    SUBSCORE_STRONG[name] + score,
                    "",
                    f"content.scores.{name}",
                    sub.score,
                    0.45,
                    evidence,
                    detail=detail,
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
            where = listing([label for label, _ in items])
            evidence = [
                Evidence(e.start, e.end, f"{label}: {e.label}") for label, p in items for e in p.evidence[:2]
            ]
            message = (
                f"This came up in {len(items)} of your {len(feedbacks)} answers: {where}. "
                f"In {best_label}: {best.message}"
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
                    headline=best.headline,
                    detail="; ".join(f"{label}: {p.detail}" for label, p in items if p.detail),
                )
            )
    notes = sorted({n for fb in feedbacks for n in fb.notes})
    details = sorted({d for fb in feedbacks for d in fb.details})
    return Feedback(strengths=out["strength"], improvements=out["improvement"], notes=notes, details=details)


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
        details=list(feedback.details),
    )
