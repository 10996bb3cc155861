"""Fuse one answer's face, voice and content measures: indicators, overall score, mismatches,
the per-user reference, and — only where opted in — inferences (stress, Big Five).

``fuse`` is the entry point; the pipeline calls it and the report stores its result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mockmirror.face.track import FaceTrack
from mockmirror.fusion.baseline import Baseline, merged
from mockmirror.fusion.big_five import BigFiveEstimate, estimate_big_five
from mockmirror.fusion.indicators import (
    Indicator,
    OverallScore,
    content_cue,
    face_cues,
    indicator,
    overall_score,
    reliabilities,
    voice_cues,
)
from mockmirror.fusion.mismatch import CAVEAT as MISMATCH_CAVEAT
from mockmirror.fusion.mismatch import Observation, find_mismatches
from mockmirror.language.content import ContentAnalysis
from mockmirror.settings import FusionSettings
from mockmirror.speech.track import SpeechTrack

# Names for the expression model's classes when emotion inference is off: the prototypical facial
# configuration each class was trained on, described as movement, not feeling.
OBSERVABLE_EXPRESSIONS: dict[str, str] = {
    "angry": "brows lowered, lips pressed",
    "disgust": "nose wrinkled",
    "fear": "brows raised, lips stretched",
    "happy": "smiling",
    "neutral": "relaxed",
    "sad": "mouth corners down",
    "surprise": "brows raised, mouth open",
}
BIG_FIVE_MIN_WORDS = 20
STRESS_CAVEAT = (
    "Inferred from observable cues (composure measures and blinking against your reference); it is "
    "a practice aid, not a measurement of how you felt."
)


@dataclass(slots=True)
class Policy:
    """What the report may say, from the settings (docs/fusion.md, "Inference policy")."""

    mode: str  # personal | institutional
    emotion_inference: bool  # effective: requested and allowed
    big_five: bool
    expression_labels: str  # "emotion" or "facial configuration"
    note: str = ""


@dataclass(slots=True)
class StressEstimate:
    level: float  # 0–100, 100 = many stress-associated cues
    cues: dict[str, float]
    caveat: str = STRESS_CAVEAT


@dataclass(slots=True)
class FusionResult:
    indicators: list[Indicator]
    overall: OverallScore
    reference: str  # which reference the baseline-relative cues used
    baseline: Baseline  # the values used (own where given, population defaults elsewhere)
    mismatches: list[Observation]
    policy: Policy
    mismatch_caveat: str = MISMATCH_CAVEAT
    stress: StressEstimate | None = None
    big_five: BigFiveEstimate | None = None
    notes: list[str] = field(default_factory=list)

    def get(self, name: str) -> Indicator | None:
        return next((i for i in self.indicators if i.name == name), None)


def policy_from(settings: FusionSettings) -> Policy:
    institutional = settings.mode == "institutional"
    emotion = settings.emotion_inference and not institutional
    big_five = settings.big_five and not institutional
    note = ""
    if institutional and (settings.emotion_inference or settings.big_five):
        note = (
            "Institutional mode: emotion, stress and personality inference are switched off "
            "(EU AI Act Art. 5(1)(f)); the report shows observable behaviour only."
        )
    return Policy(settings.mode, emotion, big_five, "emotion" if emotion else "facial configuration", note)


def expression_name(label: str, policy: Policy) -> str:
    return label if policy.emotion_inference else OBSERVABLE_EXPRESSIONS.get(label, label)


def fuse(
    speech: SpeechTrack,
    face: FaceTrack,
    content: ContentAnalysis,
    settings: FusionSettings,
    pace_band: tuple[float, float],
    baseline: Baseline | None = None,
    vader: Any | None = None,
) -> FusionResult:
    rel = reliabilities(speech, face)
    cues = {
        **face_cues(face, rel, baseline),
        **voice_cues(speech, rel, baseline, pace_band),
        "content_score": content_cue(content, speech, rel),
    }
    indicators = [
        indicator(name, cues, settings.min_reliability)
        for name in ("engagement", "composure", "clarity", "content")
    ]
    overall = overall_score(cues, settings, rel)
    own = baseline is not None and baseline.source != "population" and bool(baseline.measured())
    ref = f"own baseline ({baseline.source}: {baseline.detail})" if own else "population defaults"
    if own:
        ref += "; population defaults where the baseline has no value"
    policy = policy_from(settings)
    notes = list(overall.notes)
    if policy.note:
        notes.append(policy.note)
    result = FusionResult(
        indicators=indicators,
        overall=overall,
        reference=ref,
        baseline=merged(baseline),
        mismatches=find_mismatches(speech, face, vader, settings.min_reliability),
        policy=policy,
        notes=notes,
    )
    if policy.emotion_inference:
        composure = result.get("composure")
        if composure is not None and composure.score is not None:
            parts = {c.name: c.score for c in composure.cues if c.used and c.score is not None}
            result.stress = StressEstimate(round(100 - composure.score, 1), parts)
    if policy.big_five:
        text = (
            " ".join(w.text for w in speech.transcript.words if not w.is_filler) if speech.available else ""
        )
        if len(text.split()) >= BIG_FIVE_MIN_WORDS:
            result.big_five = estimate_big_five(text, speech, face, vader)
        else:
            notes.append(
                f"Big Five (experimental) needs a spoken answer of at least {BIG_FIVE_MIN_WORDS} words."
            )
    return result
