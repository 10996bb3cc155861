"""Feedback points from measured behaviour, each citing the moments it rests on.

Rules are deterministic and observable ("182 WPM", "looked away 4 s at 0:42"): no mind-reading,
no invented numbers. A modality that is missing or unreliable contributes no point (and the
report says why), instead of a point built on noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from mockmirror.core.types import Event
from mockmirror.face.track import FaceTrack
from mockmirror.language.content import ContentAnalysis
from mockmirror.speech.track import SpeechTrack

Kind = Literal["strength", "improvement", "note"]

MIN_RELIABILITY = 0.4  # below this a modality's measures are not turned into advice
MIN_WORDS_FOR_PACE = 20  # pace on fewer words is too noisy to coach on
SHORT_ANSWER_WORDS = 60  # a behavioural answer under ~30 s of speech rarely covers STAR
LATENCY_SLOW_S = 4.0
FILLER_RATE_HIGH = 4.0  # per minute; fluent speakers in interviews typically stay below this
# A hand over the face for at least this long (in all) is worth a word.
HAND_OVER_FACE_MIN_S = 1.5
EYE_CONTACT_LOW = 0.5
EYE_CONTACT_GOOD = 0.7


@dataclass(frozen=True, slots=True)
class Evidence:
    start: float
    end: float
    label: str


@dataclass(slots=True)
class FeedbackPoint:
    kind: Kind
    topic: str  # pace, fillers, pauses, latency, eye_contact, smile, content, structure…
    message: str  # what was observed, with the number
    tip: str = ""  # a concrete next step
    measure: str = ""  # the summary metric behind it
    value: float | None = None
    impact: float = 0.5  # 0..1, used to rank points
    evidence: list[Evidence] = field(default_factory=list)
    # Optional LLM rewording of message + tip (kept only if every number survives; see coaching.py).
    phrased: str = ""
    phrased_by: str = ""


def clock(seconds: float) -> str:
    """0:42 style time for messages."""
    seconds = max(0.0, seconds)
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def _evidence(events: list[Event], limit: int = 6) -> list[Evidence]:
    ranked = sorted(events, key=lambda e: e.duration, reverse=True)[:limit]
    return [Evidence(e.start, e.end, e.label or e.kind) for e in sorted(ranked, key=lambda e: e.start)]


def speech_feedback(speech: SpeechTrack, pace_band: tuple[float, float]) -> list[FeedbackPoint]:
    if not speech.available or speech.reliability.score < MIN_RELIABILITY:
        return []
    s = speech.summary
    points: list[FeedbackPoint] = []
    words = [w for w in speech.transcript.words if not w.is_filler]
    span = [Evidence(words[0].start, words[-1].end, "your answer")] if words else []
    low, high = pace_band
    if s.words_per_minute is not None and s.word_count >= MIN_WORDS_FOR_PACE:
        wpm = s.words_per_minute
        if wpm > high:
            points.append(
                FeedbackPoint(
                    "improvement",
                    "pace",
                    f"You spoke at {wpm:.0f} WPM, above the {low:.0f}–{high:.0f} "
                    "WPM band that listeners find easy to follow.",
                    "Slow down: pause for a breath at the end of each sentence.",
                    "words_per_minute",
                    wpm,
                    min(1.0, 0.5 + (wpm - high) / 60),
                    span,
                )
            )
        elif wpm < low:
            points.append(
                FeedbackPoint(
                    "improvement",
                    "pace",
                    f"You spoke at {wpm:.0f} WPM, below the {low:.0f}–{high:.0f} "
                    "WPM band; slow delivery can sound hesitant.",
                    "Rehearse the key points so they come out in one flow.",
                    "words_per_minute",
                    wpm,
                    min(1.0, 0.4 + (low - wpm) / 80),
                    span,
                )
            )
        else:
            points.append(
                FeedbackPoint(
                    "strength",
                    "pace",
                    f"Your pace, {wpm:.0f} WPM, sits in the {low:.0f}–{high:.0f} WPM band.",
                    "",
                    "words_per_minute",
                    wpm,
                    0.5,
                    span,
                )
            )
    fillers = [e for e in speech.events if e.kind == "filler"]
    minutes = max(s.speaking_time_s, 1.0) / 60
    if s.filler_rate_per_min is not None and s.filler_count >= 3 and s.filler_rate_per_min > FILLER_RATE_HIGH:
        common = ", ".join(
            f'"{w}" ×{n}' for w, n in sorted(s.fillers_by_word.items(), key=lambda kv: -kv[1])[:3]
        )
        points.append(
            FeedbackPoint(
                "improvement",
                "fillers",
                f"{s.filler_count} filler words ({s.filler_rate_per_min:.1f} per minute): {common}.",
                "Replace a filler with a silent pause; a one-second pause sounds confident.",
                "filler_rate_per_min",
                s.filler_rate_per_min,
                min(1.0, 0.4 + s.filler_rate_per_min / 20),
                _evidence(fillers),
            )
        )
    elif s.word_count >= MIN_WORDS_FOR_PACE and s.filler_count / minutes <= 1.0:
        points.append(
            FeedbackPoint(
                "strength",
                "fillers",
                f"Almost no filler words ({s.filler_count} in the answer).",
                "",
                "filler_count",
                float(s.filler_count),
                0.4,
                _evidence(fillers),
            )
        )
    long_pauses = [e for e in speech.events if e.kind == "long_pause"]
    if long_pauses:
        longest = max(long_pauses, key=lambda e: e.duration)
        points.append(
            FeedbackPoint(
                "improvement",
                "pauses",
                f"{len(long_pauses)} long pause(s) mid-answer; the longest, "
                f"{longest.duration:.1f} s at {clock(longest.start)}.",
                'If you need time, say so briefly ("Let me think of the best example") before pausing.',
                "long_pause_count",
                float(len(long_pauses)),
                0.4 + 0.1 * min(len(long_pauses), 4),
                _evidence(long_pauses),
            )
        )
    if s.response_latency_s is not None:
        first = Evidence(0.0, s.response_latency_s, "time to first word")
        if s.response_latency_s > LATENCY_SLOW_S:
            points.append(
                FeedbackPoint(
                    "improvement",
                    "latency",
                    f"You started answering after {s.response_latency_s:.1f} s.",
                    "A 2–3 s pause to collect your thoughts is fine; longer, open with a framing "
                    "sentence while you think.",
                    "response_latency_s",
                    s.response_latency_s,
                    0.35,
                    [first],
                )
            )
    return points


def face_feedback(face: FaceTrack) -> list[FeedbackPoint]:
    if not face.available or face.reliability.score < MIN_RELIABILITY:
        return []
    s = face.summary
    points: list[FeedbackPoint] = []
    away = [e for e in face.events if e.kind == "gaze_away"]
    if s.eye_contact_ratio is not None:
        pct = 100 * s.eye_contact_ratio
        if s.eye_contact_ratio < EYE_CONTACT_LOW:
            longest = max(away, key=lambda e: e.duration) if away else None
            where = (
                f"; the longest look away was {longest.duration:.1f} s at {clock(longest.start)}"
                if longest
                else ""
            )
            points.append(
                FeedbackPoint(
                    "improvement",
                    "eye_contact",
                    f"You looked toward the camera {pct:.0f} % of the time{where}.",
                    "Put a small sticker next to the camera lens and talk to it.",
                    "eye_contact_ratio",
                    s.eye_contact_ratio,
                    0.3 + 0.4 * (EYE_CONTACT_LOW - s.eye_contact_ratio),
                    _evidence(away),
                )
            )
        elif s.eye_contact_ratio >= EYE_CONTACT_GOOD:
            points.append(
                FeedbackPoint(
                    "strength",
                    "eye_contact",
                    f"Steady eye contact: toward the camera {pct:.0f} % of the time.",
                    "",
                    "eye_contact_ratio",
                    s.eye_contact_ratio,
                    0.35,
                )
            )
    covered = [e for e in face.events if e.kind == "hand_over_face"]
    covered_s = sum(e.duration for e in covered)
    if covered and covered_s >= HAND_OVER_FACE_MIN_S:
        first = covered[0]
        points.append(
            FeedbackPoint(
                "improvement",
                "hand_over_face",
                f"A hand was in front of your face for {covered_s:.1f} s in all, first at "
                f"{clock(first.start)}.",
                "Rest your hands on the desk or below the camera's view: a hand at the mouth "
                "muffles words and hides your expression.",
                "hand_over_face_ratio",
                s.hand_over_face_ratio,
                0.25 + 0.3 * min(1.0, s.hand_over_face_ratio or 0.0),
                _evidence(covered),
            )
        )
    smiles = [e for e in face.events if e.kind == "smile"]
    if s.smile_ratio is not None:
        if smiles:
            points.append(
                FeedbackPoint(
                    "strength",
                    "smile",
                    f"You smiled {len(smiles)} time(s) ({100 * s.smile_ratio:.0f} % of "
                    "the time).",
                    "",
                    "smile_ratio",
                    s.smile_ratio,
                    0.3,
                    _evidence(smiles),
                )
            )
        elif s.frames_analyzed >= 50:
            points.append(
                FeedbackPoint(
                    "improvement",
                    "smile",
                    "No smile was seen during the answer.",
                    "A brief smile when you greet or finish an answer makes you look at ease.",
                    "smile_ratio",
                    s.smile_ratio,
                    0.2,
                )
            )
    return points


def content_feedback(content: ContentAnalysis, spoken: bool) -> list[FeedbackPoint]:
    points: list[FeedbackPoint] = []
    if content.word_count == 0:
        return points
    span = _sentence_span(content)
    if content.off_topic and content.relevance is not None:
        points.append(
            FeedbackPoint(
                "improvement",
                "relevance",
                f"The answer seems off-topic: similarity to the question is {content.relevance:.2f}.",
                "Restate the question in your first sentence, then answer it.",
                "relevance",
                content.relevance,
                0.9,
                span,
            )
        )
    missing = [name for name, part in content.star.items() if not part.present]
    present = [name for name, part in content.star.items() if part.present]
    if len(present) >= 4:
        points.append(
            FeedbackPoint(
                "strength",
                "structure",
                f"Clear structure: {', '.join(present)} are all there.",
                "",
                "star_coverage",
                content.star_coverage,
                0.6,
                _star_evidence(content, present),
            )
        )
    elif missing and not content.off_topic:
        tip_by_part = {
            "situation": "Open with one sentence of context: where, when, who.",
            "task": "Say what you were responsible for or what had to be achieved.",
            "action": "Describe what *you* did, in the first person, step by step.",
            "result": "End with the outcome, ideally with a number (time saved, % improved).",
            "learning": "Close with what you learned or would do differently.",
        }
        first_missing = missing[0] if "result" not in missing else "result"
        points.append(
            FeedbackPoint(
                "improvement",
                "structure",
                f"No {' / '.join(missing)} found in the answer (STAR+Learning).",
                tip_by_part[first_missing],
                "star_coverage",
                content.star_coverage,
                0.5 + 0.1 * len(missing),
                _star_evidence(content, present),
            )
        )
    if spoken and content.word_count < SHORT_ANSWER_WORDS:
        points.append(
            FeedbackPoint(
                "improvement",
                "length",
                f"The answer is short ({content.word_count} words).",
                "Aim for 1–2 minutes on a behavioural question: enough for the whole STAR story.",
                "word_count",
                float(content.word_count),
                0.55,
                span,
            )
        )
    return points


def _sentence_span(content: ContentAnalysis) -> list[Evidence]:
    best = content.most_relevant_sentence
    if best is not None and best.start is not None and best.end is not None:
        return [Evidence(best.start, best.end, "most on-topic sentence")]
    return []


def _star_evidence(content: ContentAnalysis, parts: list[str]) -> list[Evidence]:
    evidence = []
    for name in parts:
        for sentence in content.star[name].evidence[:1]:
            if sentence.start is not None and sentence.end is not None:
                evidence.append(Evidence(sentence.start, sentence.end, name))
    return evidence


@dataclass(slots=True)
class Feedback:
    strengths: list[FeedbackPoint]
    improvements: list[FeedbackPoint]
    notes: list[str]  # what was not assessed and why


def build_feedback(
    speech: SpeechTrack,
    face: FaceTrack,
    content: ContentAnalysis,
    pace_band: tuple[float, float],
    duration_s: float,
    limit: int = 3,
    extra: list[FeedbackPoint] | None = None,
) -> Feedback:
    """Top strengths and improvements by impact, plus plain notes on what was not measured.

    ``extra`` adds points made elsewhere (fusion.coaching: pace stability, vocal variety, content
    sub-scores…); a topic already covered here is not repeated.
    """
    points = [
        *content_feedback(content, spoken=speech.available),
        *speech_feedback(speech, pace_band),
        *face_feedback(face),
    ]
    covered = {p.topic for p in points}
    points.extend(p for p in extra or [] if p.topic not in covered)
    for point in points:
        # A point about the answer as a whole (e.g. "no smile seen") cites the whole answer.
        if not point.evidence:
            point.evidence.append(Evidence(0.0, duration_s, "whole answer"))
    ranked = sorted(points, key=lambda p: p.impact, reverse=True)
    notes = []
    for name, track in (("Voice", speech), ("Face", face)):
        if not track.available:
            notes.append(f"{name} not analysed: {track.note}")
        elif track.reliability.score < MIN_RELIABILITY:
            notes.append(
                f"{name} measures are unreliable here ({'; '.join(track.reliability.reasons)}), "
                "so they are not used for advice."
            )
    # The off-topic note is already an improvement point; other content notes are not.
    has_relevance_point = any(p.topic == "relevance" for p in points)
    notes.extend(n for n in content.notes if not (has_relevance_point and "off-topic" in n))
    return Feedback(
        strengths=[p for p in ranked if p.kind == "strength"][:limit],
        improvements=[p for p in ranked if p.kind == "improvement"][:limit],
        notes=notes,
    )
