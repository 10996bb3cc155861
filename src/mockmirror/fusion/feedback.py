"""Feedback points from measured behaviour, in words a candidate can use.

Rules are deterministic and observable ("182 words a minute", "looked away 4 s at 0:42"): no
mind-reading, no invented numbers. Each point says what was seen, why it matters in an interview
(``message``) and one thing to try (``tip``), in plain English (../shared/docs/feedback-style.md,
docs/fusion.md §8). The technical trace — the measure, its value, the
thresholds — stays in ``measure``, ``value`` and ``detail`` for the report's "How this was
measured" section and the JSON.

A point cites moments (``evidence``) only where there is one: a filler, a pause, a look away. A
whole-answer statistic (overall pace, eye-contact share, no smile seen) has no moment. A modality
that is missing or unreliable contributes no point (the notes say why), and an answer that is not
an answer (``content.verdict``) gets one kind message and no praise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from mockmirror.core.clock import clock
from mockmirror.core.types import Event
from mockmirror.face.track import FaceTrack
from mockmirror.language.content import ContentAnalysis
from mockmirror.settings import FusionSettings
from mockmirror.speech.track import SpeechTrack

Kind = Literal["strength", "improvement", "note"]

# Below this a modality's measures are not turned into advice: the one setting, fusion.min_reliability
# (this is its default, for callers that pass no settings).
MIN_RELIABILITY: float = FusionSettings.model_fields["min_reliability"].default
MIN_WORDS_FOR_PACE = 20  # pace on fewer words is too noisy to coach on
PACE_SLACK_WPM = 5.0  # this close to the pace band still counts as in range ("just under")
SHORT_ANSWER_WORDS = 60  # a behavioural answer under ~30 s of speech rarely covers STAR
LATENCY_SLOW_S = 4.0
FILLER_RATE_HIGH = 4.0  # per minute; fluent speakers in interviews typically stay below this
# A hand over the face for at least this long (in all) is worth a word.
HAND_OVER_FACE_MIN_S = 1.5
EYE_CONTACT_LOW = 0.5
EYE_CONTACT_GOOD = 0.7

# The heading each point is shown under (the verdict's own headline for topic "answer").
HEADLINES: dict[str, str] = {
    "answer": "Your answer",
    "pace": "Speaking speed",
    "fillers": "Filler words",
    "pauses": "Long pauses",
    "latency": "Getting started",
    "eye_contact": "Eye contact",
    "hand_over_face": "Hands",
    "smile": "Smiling",
    "relevance": "Staying on the question",
    "structure": "Telling a full story",
    "length": "Length",
    "pace_stability": "An even pace",
    "vocal_variety": "A lively voice",
    "fidgeting": "Keeping still",
    "blink_rate": "Blinking",
    "facial_activity": "Facial expression",
    "volume": "Being heard",
    "specificity": "Concrete detail",
    "ownership": "Your own part",
    "hedging": "Sounding sure",
    "repetition": "Repetition",
    "readability": "Sentence length",
}
# The five parts of a STAR+Learning story, as a candidate would say them.
STORY_PARTS: dict[str, str] = {
    "situation": "the situation",
    "task": "your task",
    "action": "what you did",
    "result": "how it turned out",
    "learning": "what you learned",
}
STORY_TIPS: dict[str, str] = {
    "situation": "Open with one sentence of context: where you were, when, and who was involved.",
    "task": "Say what you were responsible for, or what had to be achieved.",
    "action": "Describe the steps you took yourself, step by step, using “I”.",
    "result": "End with how it turned out, with a number if you can, such as time saved.",
    "learning": "Close with what you learned or would do differently next time.",
}


@dataclass(frozen=True, slots=True)
class Evidence:
    start: float
    end: float
    label: str


@dataclass(slots=True)
class FeedbackPoint:
    kind: Kind
    topic: str  # pace, fillers, pauses, latency, eye_contact, smile, answer, structure…
    message: str  # for the candidate: what was seen (with its number and scale), why it matters
    tip: str = ""  # one concrete thing to try
    measure: str = ""  # the summary metric behind it (technical trace)
    value: float | None = None
    impact: float = 0.5  # 0..1, used to rank points
    # The moments it rests on; empty for a whole-answer statistic (overall pace, eye-contact share).
    evidence: list[Evidence] = field(default_factory=list)
    # Optional LLM rewording of message + tip (kept only if every number survives; see coaching.py).
    phrased: str = ""
    phrased_by: str = ""
    headline: str = ""  # the short heading it is shown under ("Speaking speed")
    detail: str = ""  # how it was measured: measure, value, thresholds (not candidate text)

    def __post_init__(self) -> None:
        if not self.headline:
            self.headline = HEADLINES.get(self.topic, self.topic.replace("_", " ").capitalize())


def times(n: int) -> str:
    """once, twice, 3 times."""
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def seconds(value: float) -> str:
    """4 s, 3.5 s, 12 s: a duration as people say it."""
    return f"{value:.0f} s" if value >= 10 or abs(value - round(value)) < 0.05 else f"{value:.1f} s"


def listing(items: list[str], last: str = "and") -> str:
    """a, b and c (or: a, b or c)."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]


# How a moment is named on its button (an event's own label can be technical: "Duchenne-like (AU6+AU12)").
EVENT_WORDS: dict[str, str] = {
    "gaze_away": "looked away",
    "long_pause": "long pause",
    "pause": "pause",
    "smile": "smile",
    "hand_over_face": "hand in front of the face",
    "blink": "blink",
    "head_shake": "head shake",
    "nod": "nod",
    "brief_expression": "brief expression",
    "gesture": "hand gesture",
    "posture_shift": "posture shift",
    "no_face": "face out of view",
    "multiple_faces": "another face in view",
    "eyes_closed": "eyes closed",
}


def event_label(event: Event) -> str:
    if event.kind == "filler" and event.label:
        return f"“{event.label}”"
    return EVENT_WORDS.get(event.kind, event.kind.replace("_", " "))


def _evidence(events: list[Event], limit: int = 6) -> list[Evidence]:
    ranked = sorted(events, key=lambda e: e.duration, reverse=True)[:limit]
    return [Evidence(e.start, e.end, event_label(e)) for e in sorted(ranked, key=lambda e: e.start)]


def _trace(measure: str, value: float | None, more: str = "") -> str:
    number = "not measured" if value is None else f"{value:.4g}"
    return f"{measure} = {number}" + (f"; {more}" if more else "")


def pace_point(wpm: float, pace_band: tuple[float, float], slack: float = PACE_SLACK_WPM) -> FeedbackPoint:
    """Pace against the band (``SpeechSettings.pace_band_wpm``), within ``slack`` WPM still in range."""
    low, high = pace_band
    band = f"{low:.0f}–{high:.0f}"
    detail = _trace("words_per_minute", wpm, f"band {band} WPM, ±{slack:.0f} WPM counts as in range")
    if wpm > high + slack:
        return FeedbackPoint(
            "improvement",
            "pace",
            f"You spoke at about {wpm:.0f} words a minute, faster than the comfortable range of {band}. "
            "At that speed an interviewer can miss your key points.",
            "Slow down a little: take a breath at the end of each sentence.",
            "words_per_minute",
            wpm,
            min(1.0, 0.5 + (wpm - high) / 60),
            detail=detail,
        )
    if wpm < low - slack:
        return FeedbackPoint(
            "improvement",
            "pace",
            f"You spoke at about {wpm:.0f} words a minute, slower than the comfortable range of {band}. "
            "A slow pace can make an answer sound unsure.",
            "Practise your key points aloud so they come out in one flow.",
            "words_per_minute",
            wpm,
            min(1.0, 0.4 + (low - wpm) / 80),
            detail=detail,
        )
    where = "inside" if low <= wpm <= high else ("just under" if wpm < low else "just over")
    return FeedbackPoint(
        "strength",
        "pace",
        f"You spoke at about {wpm:.0f} words a minute, {where} the comfortable range of {band}. "
        "That pace is easy to follow.",
        "",
        "words_per_minute",
        wpm,
        0.5 if where == "inside" else 0.4,
        detail=detail,
    )


def speech_feedback(
    speech: SpeechTrack, pace_band: tuple[float, float], min_reliability: float = MIN_RELIABILITY
) -> list[FeedbackPoint]:
    if not speech.available or speech.reliability.score < min_reliability:
        return []
    s = speech.summary
    points: list[FeedbackPoint] = []
    if s.words_per_minute is not None and s.word_count >= MIN_WORDS_FOR_PACE:
        points.append(pace_point(s.words_per_minute, pace_band))
    fillers = [e for e in speech.events if e.kind == "filler"]
    minutes = max(s.speaking_time_s, 1.0) / 60
    if s.filler_rate_per_min is not None and s.filler_count >= 3 and s.filler_rate_per_min > FILLER_RATE_HIGH:
        common = listing(
            [f"“{w}” {times(n)}" for w, n in sorted(s.fillers_by_word.items(), key=lambda kv: -kv[1])[:3]]
        )
        points.append(
            FeedbackPoint(
                "improvement",
                "fillers",
                f"You used {s.filler_count} filler words, about {s.filler_rate_per_min:.0f} a minute: "
                f"{common}. A few are normal, but many can make you sound unsure.",
                "When you need a moment, pause in silence instead: a short pause sounds calm.",
                "filler_rate_per_min",
                s.filler_rate_per_min,
                min(1.0, 0.4 + s.filler_rate_per_min / 20),
                _evidence(fillers),
                detail=_trace(
                    "filler_rate_per_min", s.filler_rate_per_min, f"more than {FILLER_RATE_HIGH:g} is flagged"
                ),
            )
        )
    elif s.word_count >= MIN_WORDS_FOR_PACE and s.filler_count / minutes <= 1.0:
        points.append(
            FeedbackPoint(
                "strength",
                "fillers",
                f"You used almost no filler words: {s.filler_count} in the whole answer. "
                "That makes you sound sure of what you say.",
                "",
                "filler_count",
                float(s.filler_count),
                0.4,
                _evidence(fillers),
                detail=_trace("filler_count", float(s.filler_count), "at most 1 per minute of speech"),
            )
        )
    long_pauses = [e for e in speech.events if e.kind == "long_pause"]
    if long_pauses:
        longest = max(long_pauses, key=lambda e: e.duration)
        where = f"{seconds(longest.duration)} at {clock(longest.start)}"
        seen = (
            f"There were {len(long_pauses)} long pauses in your answer; the longest lasted {where}."
            if len(long_pauses) > 1
            else f"There was one long pause in your answer: {where}."
        )
        points.append(
            FeedbackPoint(
                "improvement",
                "pauses",
                f"{seen} A long silence can make an interviewer wonder if you are stuck.",
                "If you need time to think, say so first: “Let me think of the best example.”",
                "long_pause_count",
                float(len(long_pauses)),
                0.4 + 0.1 * min(len(long_pauses), 4),
                _evidence(long_pauses),
                detail=_trace("long_pause_count", len(long_pauses), f"longest {longest.duration:.2f} s"),
            )
        )
    if s.response_latency_s is not None and s.response_latency_s > LATENCY_SLOW_S:
        spoken = [w for w in speech.transcript.words if w.text.strip()]
        first = spoken[0].start if spoken else s.response_latency_s
        points.append(
            FeedbackPoint(
                "improvement",
                "latency",
                f"You started answering {seconds(s.response_latency_s)} after the question. A few seconds "
                "to think is normal, but a longer silence can feel like a stall.",
                "Start with a short opening while you think, such as saying the question back in your "
                "own words.",
                "response_latency_s",
                s.response_latency_s,
                0.35,
                [Evidence(max(0.0, first - s.response_latency_s), first, "before your first word")],
                detail=_trace("response_latency_s", s.response_latency_s, f"more than {LATENCY_SLOW_S:g} s"),
            )
        )
    return points


def face_feedback(face: FaceTrack, min_reliability: float = MIN_RELIABILITY) -> list[FeedbackPoint]:
    if not face.available or face.reliability.score < min_reliability:
        return []
    s = face.summary
    points: list[FeedbackPoint] = []
    away = [e for e in face.events if e.kind == "gaze_away"]
    if s.eye_contact_ratio is not None:
        pct = 100 * s.eye_contact_ratio
        detail = _trace(
            "eye_contact_ratio",
            s.eye_contact_ratio,
            f"below {EYE_CONTACT_LOW:g} flagged, {EYE_CONTACT_GOOD:g} or more a strength",
        )
        if s.eye_contact_ratio < EYE_CONTACT_LOW:
            longest = max(away, key=lambda e: e.duration) if away else None
            where = (
                f"; the longest look away lasted {seconds(longest.duration)} at {clock(longest.start)}"
                if longest
                else ""
            )
            points.append(
                FeedbackPoint(
                    "improvement",
                    "eye_contact",
                    f"You looked at the camera {pct:.0f}% of the time{where}. "
                    "Interviewers read steady eye contact as confidence.",
                    "Put a small sticker next to the camera lens and talk to it, glancing back at it at "
                    "the end of each sentence.",
                    "eye_contact_ratio",
                    s.eye_contact_ratio,
                    0.3 + 0.4 * (EYE_CONTACT_LOW - s.eye_contact_ratio),
                    _evidence(away),
                    detail=detail,
                )
            )
        elif s.eye_contact_ratio >= EYE_CONTACT_GOOD:
            points.append(
                FeedbackPoint(
                    "strength",
                    "eye_contact",
                    f"You looked at the camera {pct:.0f}% of the time. Steady eye contact comes across as "
                    "confident.",
                    "",
                    "eye_contact_ratio",
                    s.eye_contact_ratio,
                    0.35,
                    detail=detail,
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
                f"{clock(first.start)}. It can muffle your words and hide your expression.",
                "Rest your hands on the desk or in your lap, below the camera.",
                "hand_over_face_ratio",
                s.hand_over_face_ratio,
                0.25 + 0.3 * min(1.0, s.hand_over_face_ratio or 0.0),
                _evidence(covered),
                detail=_trace("hand_over_face_ratio", s.hand_over_face_ratio, f"{covered_s:.2f} s in all"),
            )
        )
    smiles = [e for e in face.events if e.kind == "smile"]
    if s.smile_ratio is not None:
        detail = _trace("smile_ratio", s.smile_ratio, f"{len(smiles)} smile event(s)")
        if smiles:
            points.append(
                FeedbackPoint(
                    "strength",
                    "smile",
                    f"You smiled {times(len(smiles))}, first at {clock(smiles[0].start)}. "
                    "A smile makes you look at ease.",
                    "",
                    "smile_ratio",
                    s.smile_ratio,
                    0.3,
                    _evidence(smiles),
                    detail=detail,
                )
            )
        elif s.frames_analyzed >= 50:
            points.append(
                FeedbackPoint(
                    "improvement",
                    "smile",
                    "We did not see you smile during the answer. A smile helps you look at ease.",
                    "Smile briefly when you greet the interviewer and when you reach the result of your "
                    "story.",
                    "smile_ratio",
                    s.smile_ratio,
                    0.2,
                    detail=detail,
                )
            )
    return points


def answered(content: ContentAnalysis) -> bool:
    """An answer to the question (``content.verdict``); without a verdict, one with words."""
    if content.verdict is not None:
        return content.verdict.answered
    return content.word_count > 0


def verdict_point(content: ContentAnalysis, speech: SpeechTrack | None = None) -> FeedbackPoint | None:
    """The one content point of an answer that is not an answer: what was heard, what to try."""
    verdict = content.verdict
    if verdict is None or verdict.answered:
        return None
    evidence: list[Evidence] = []
    spoken = [w for w in speech.transcript.words if not w.is_filler] if speech and speech.available else []
    if spoken:  # the moment of what was heard (the verdict quotes its first words)
        heard = spoken[:12]
        evidence.append(Evidence(heard[0].start, heard[-1].end, "what we heard"))
    reasons = "; ".join(verdict.reasons)
    return FeedbackPoint(
        "improvement",
        "answer",
        verdict.message,
        "",
        "answer_status",
        None,
        1.0,
        evidence,
        headline=verdict.headline,
        detail=f"answer status: {verdict.status.value}" + (f" ({reasons})" if reasons else ""),
    )


def content_feedback(content: ContentAnalysis, spoken: bool) -> list[FeedbackPoint]:
    """Story structure and length of an answered answer (nothing for a non-answer: see verdict_point)."""
    points: list[FeedbackPoint] = []
    if content.word_count == 0 or not answered(content):
        return points
    if content.verdict is None and content.off_topic:  # an analysis made before the verdict existed
        points.append(
            FeedbackPoint(
                "improvement",
                "relevance",
                "This answer did not seem to address the question. An interviewer needs to hear that "
                "you answered what they asked.",
                "Start by restating the question, then answer it directly.",
                "relevance",
                content.relevance,
                0.9,
                detail=_trace("relevance", content.relevance),
            )
        )
        return points
    structure = content.scores.get("structure")
    star_applies = structure is None or structure.score is not None  # behavioural questions only
    missing = [name for name, part in content.star.items() if not part.present]
    present = [name for name, part in content.star.items() if part.present]
    n = len(present)
    detail = _trace("star_coverage", content.star_coverage, f"found: {', '.join(present) or 'none'}")
    if star_applies and n >= 4:
        seen = (
            "Your story had all 5 parts, from the situation to what you learned."
            if n == 5
            else f"Your story had 4 of its 5 parts; only {STORY_PARTS[missing[0]]} was missing."
        )
        points.append(
            FeedbackPoint(
                "strength",
                "structure",
                f"{seen} That makes it easy for an interviewer to follow.",
                "",
                "star_coverage",
                content.star_coverage,
                0.6,
                _star_evidence(content, present),
                detail=detail,
            )
        )
    elif star_applies and missing:
        first_missing = missing[0] if "result" not in missing else "result"
        points.append(
            FeedbackPoint(
                "improvement",
                "structure",
                f"Your story had {n} of its 5 parts. We did not hear "
                f"{listing([STORY_PARTS[p] for p in missing], 'or')}. Interviewers listen for what you did "
                "and how it turned out.",
                STORY_TIPS[first_missing],
                "star_coverage",
                content.star_coverage,
                0.5 + 0.1 * len(missing),
                _star_evidence(content, present),
                detail=detail,
            )
        )
    if spoken and content.word_count < SHORT_ANSWER_WORDS:
        points.append(
            FeedbackPoint(
                "improvement",
                "length",
                f"Your answer was short: {content.word_count} words. A full story usually takes one to "
                "two minutes.",
                "Add how it turned out and what you learned.",
                "word_count",
                float(content.word_count),
                0.55,
                detail=_trace("word_count", float(content.word_count), f"under {SHORT_ANSWER_WORDS} words"),
            )
        )
    return points


def _star_evidence(content: ContentAnalysis, parts: list[str]) -> list[Evidence]:
    """The first sentence of each part, in time order; a sentence that tells two parts once."""
    by_start: dict[float, Evidence] = {}
    for name in parts:
        for sentence in content.star[name].evidence[:1]:
            if sentence.start is None or sentence.end is None:
                continue
            known = by_start.get(sentence.start)
            label = STORY_PARTS[name] if known is None else f"{known.label} and {STORY_PARTS[name]}"
            by_start[sentence.start] = Evidence(sentence.start, sentence.end, label)
    return [by_start[t] for t in sorted(by_start)]


@dataclass(slots=True)
class Feedback:
    strengths: list[FeedbackPoint]
    improvements: list[FeedbackPoint]
    notes: list[str]  # for the candidate: what was not assessed and why, in plain words
    details: list[str] = field(default_factory=list)  # the technical reasons, for "How this was measured"


def build_feedback(
    speech: SpeechTrack,
    face: FaceTrack,
    content: ContentAnalysis,
    pace_band: tuple[float, float],
    duration_s: float = 0.0,
    limit: int = 3,
    extra: list[FeedbackPoint] | None = None,
    min_reliability: float = MIN_RELIABILITY,
) -> Feedback:
    """Top strengths and improvements by impact, plus plain notes on what was not measured.

    ``extra`` adds points made elsewhere (fusion.coaching: pace stability, vocal variety, content
    sub-scores…); a topic already covered here is not repeated. ``min_reliability`` is
    ``Settings.fusion.min_reliability``. An answer that is not an answer (``content.verdict``) gets
    its one verdict point and nothing else. ``duration_s`` is kept
    for callers; no point cites the whole answer as a moment.
    """
    verdict = verdict_point(content, speech)
    if verdict is not None:
        # Not an answer: one kind message about what was heard and what to try. Advice on the
        # delivery of a few words (a flat voice, a still face) would be noise, and praise wrong.
        points = [verdict]
    else:
        points = [
            *content_feedback(content, spoken=speech.available),
            *speech_feedback(speech, pace_band, min_reliability),
            *face_feedback(face, min_reliability),
        ]
        covered = {p.topic for p in points}
        points.extend(p for p in extra or [] if p.topic not in covered)
    ranked = sorted(points, key=lambda p: p.impact, reverse=True)
    notes: list[str] = []
    details: list[str] = []
    for name, track, what in (("Voice", speech, "voice"), ("Face", face, "face and eye contact")):
        if not track.available:
            notes.append(f"We did not analyse your {what} here ({track.note}).")
            details.append(f"{name} not analysed: {track.note}")
        elif track.reliability.score < min_reliability:
            verb = "it is" if name == "Voice" else "they are"
            notes.append(
                f"Your {what} could not be measured well in this recording, so {verb} not used for advice."
            )
            details.append(
                f"{name} reliability {track.reliability.score:.2f} below {min_reliability:.2f}: "
                + "; ".join(track.reliability.reasons)
            )
    details.extend(content.notes)
    return Feedback(
        strengths=[p for p in ranked if p.kind == "strength"][:limit],
        improvements=[p for p in ranked if p.kind == "improvement"][:limit],
        notes=notes,
        details=details,
    )


# ---- what must not reach a candidate's text (checked by tests and benchmarks/feedback_readability.py) ----

FORBIDDEN_PATTERNS: dict[str, re.Pattern[str]] = {
    # content.scores.specificity, words_per_minute, answer.mkv
    "variable or file name": re.compile(r"\b[A-Za-z]+[0-9]*(?:[._][A-Za-z0-9]+)+\b"),
    "action-unit code": re.compile(r"\bAU ?\d+"),
    "decimal below one": re.compile(r"(?<![\d.])0\.\d+"),  # a similarity or a reliability: 0.08
}
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")  # the candidate's own words, quoted back


def forbidden_patterns(text: str) -> list[str]:
    """Internals in a candidate-facing text: "kind: match" for each (quoted speech is skipped)."""
    plain = _QUOTED.sub("“…”", text)
    found = [f"{kind}: {m.group(0)}" for kind, rx in FORBIDDEN_PATTERNS.items() for m in rx.finditer(plain)]
    depth = deepest = 0
    for ch in plain:
        depth += (ch == "(") - (ch == ")")
        deepest = max(deepest, depth)
    if deepest > 1:
        found.append("nested parentheses")
    return found


def candidate_texts(feedback: Feedback) -> list[str]:
    """Every text of the feedback a candidate reads: headlines, messages, tips, moment labels, notes."""
    texts: list[str] = []
    for point in [*feedback.strengths, *feedback.improvements]:
        texts += [t for t in (point.headline, point.message, point.tip) if t]
        texts += [e.label for e in point.evidence]
    return texts + list(feedback.notes)
