"""EXPERIMENTAL Big Five estimate from one answer: a transparent lexical + behavioural model.

Not a validated psychometric measure, and it must not be used for decisions about anyone. It is
opt-in (``fusion.big_five``), personal-practice mode only, and shown with a wide uncertainty band.

The model is a short, readable list of features, each with a direction per trait, taken from
published correlations between language or behaviour and self-reported traits (e.g. Pennebaker &
King 1999, Yarkoni 2010, Mairesse et al. 2007: social and positive-emotion words with
extraversion and agreeableness, negative-emotion words and first-person singular with
neuroticism, achievement words with conscientiousness, insight words and lexical variety with
openness; smiling, eye contact and lively delivery with extraversion). Those correlations are
small (|r| ≈ 0.1–0.3), which is why the band is wide. Each feature is turned into a z value
against a reference mean and spread we set by hand (listed in FEATURES and docs/fusion.md, not
norms from a sample); a trait is 50 + 10 × the weighted mean z, clipped to 0–100.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mockmirror.face.track import FaceTrack
from mockmirror.fusion.cues import describe_face_activity, facial_activity, frame_activities
from mockmirror.speech.track import SpeechTrack

TRAITS = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")
CAVEAT = (
    "Experimental: a transparent word-and-behaviour model, not a validated psychometric measure. "
    "One answer says little about personality; do not use this for decisions about anyone."
)
_TOKEN = re.compile(r"[a-z']+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


LEXICON: dict[str, frozenset[str]] = {
    "social": _words(
        "we us our together team teams colleague colleagues people customer customers everyone friends "
        "talk talked meet met helped share shared partner partners community"
    ),
    "achievement": _words(
        "achieve achieved goal goals plan planned planning deadline deadlines deliver delivered complete "
        "completed finish finished organise organised organize organized schedule result results improve "
        "improved target targets success successful priority priorities checklist on-time"
    ),
    "insight": _words(
        "think thought learn learned learnt idea ideas understand understood realise realised realize "
        "realized curious explore explored creative new imagine why discover discovered experiment "
        "experimented design designed question"
    ),
    "negation": _words("no not never nothing nobody can't don't didn't won't wasn't isn't couldn't"),
    "self": _words("i me my mine myself i'm i've i'd i'll"),
}


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    mean: float  # reference value (hand-set, see module doc)
    spread: float
    weights: dict[str, float]  # trait → signed weight


FEATURES: tuple[Feature, ...] = (
    Feature("social_words_per_100", 4.0, 2.5, {"extraversion": 1.0, "agreeableness": 1.0}),
    Feature("positive_tone", 0.12, 0.08, {"extraversion": 0.7, "agreeableness": 1.0, "neuroticism": -0.7}),
    Feature("negative_tone", 0.04, 0.04, {"neuroticism": 1.0, "agreeableness": -0.7}),
    Feature("self_words_per_100", 6.0, 3.0, {"neuroticism": 0.5}),
    Feature("achievement_words_per_100", 2.0, 1.5, {"conscientiousness": 1.0}),
    Feature("negations_per_100", 1.5, 1.2, {"conscientiousness": -0.5, "agreeableness": -0.5}),
    Feature("insight_words_per_100", 2.5, 1.5, {"openness": 1.0}),
    Feature("lexical_variety", 0.72, 0.08, {"openness": 1.0}),
    Feature("fillers_per_min", 3.0, 3.0, {"conscientiousness": -0.4, "neuroticism": 0.4}),
    Feature("words_per_minute", 145.0, 25.0, {"extraversion": 0.6}),
    Feature("smile_ratio", 0.15, 0.15, {"extraversion": 0.8, "agreeableness": 0.6}),
    Feature("eye_contact_ratio", 0.65, 0.2, {"extraversion": 0.6}),
    Feature("expressive_movement_ratio", 0.35, 0.25, {"extraversion": 0.6, "openness": 0.3}),
    Feature("brow_lowering_ratio", 0.05, 0.08, {"neuroticism": 0.4, "agreeableness": -0.3}),
)
Z_LIMIT = 2.5
BAND_BASE = 15.0  # half-width of the band in points, before the shortfalls below widen it
FULL_WORDS = 300  # fewer words widen the band
MAX_BAND = 35.0


@dataclass(slots=True)
class TraitEstimate:
    trait: str
    estimate: float  # 0–100, 50 = the reference
    low: float
    high: float
    features: dict[str, float] = field(default_factory=dict)  # feature → signed contribution (z × weight)


@dataclass(slots=True)
class BigFiveEstimate:
    traits: list[TraitEstimate]
    caveat: str
    action_units: str  # the answer's action units as text (the face part of the input)
    features: dict[str, float]  # measured feature values
    word_count: int
    method: str = "lexical + behavioural feature model (docs/fusion.md), experimental"


def _lexical_variety(tokens: Sequence[str], window: int = 50) -> float | None:
    """Moving-average type-token ratio over ``window`` words (length-independent)."""
    if len(tokens) < window:
        return len(set(tokens)) / len(tokens) if len(tokens) >= 20 else None
    ratios = [len(set(tokens[i : i + window])) / window for i in range(len(tokens) - window + 1)]
    return sum(ratios) / len(ratios)


def features_of(text: str, speech: SpeechTrack, face: FaceTrack, vader: Any | None) -> dict[str, float]:
    tokens = _TOKEN.findall(text.lower().replace("’", "'"))
    out: dict[str, float] = {}
    if tokens:
        per100 = 100.0 / len(tokens)
        for name, key in (
            ("social_words_per_100", "social"),
            ("achievement_words_per_100", "achievement"),
            ("insight_words_per_100", "insight"),
            ("negations_per_100", "negation"),
            ("self_words_per_100", "self"),
        ):
            out[name] = round(sum(1 for t in tokens if t in LEXICON[key]) * per100, 2)
        variety = _lexical_variety(tokens)
        if variety is not None:
            out["lexical_variety"] = round(variety, 3)
        if vader is not None:
            scores = vader.polarity_scores(text)
            out["positive_tone"] = round(scores["pos"], 3)
            out["negative_tone"] = round(scores["neg"], 3)
    if speech.available and speech.transcript.words:
        s = speech.summary
        if s.filler_rate_per_min is not None:
            out["fillers_per_min"] = round(s.filler_rate_per_min, 2)
        if s.words_per_minute is not None:
            out["words_per_minute"] = round(s.words_per_minute, 1)
    if face.available and face.frames:
        fs = face.summary
        if fs.smile_ratio is not None:
            out["smile_ratio"] = round(fs.smile_ratio, 3)
        if fs.eye_contact_ratio is not None:
            out["eye_contact_ratio"] = round(fs.eye_contact_ratio, 3)
        activity = facial_activity(face)
        if activity is not None:
            out["expressive_movement_ratio"] = activity.active_ratio
            rows, _ = frame_activities(face.frames)
            if rows:
                out["brow_lowering_ratio"] = round(
                    sum(1 for _, v in rows if v.get("AU4", 0) >= 0.35) / len(rows), 3
                )
    return out


def estimate_big_five(text: str, speech: SpeechTrack, face: FaceTrack, vader: Any | None) -> BigFiveEstimate:
    values = features_of(text, speech, face, vader)
    words = len(_TOKEN.findall(text.lower()))
    traits = []
    for trait in TRAITS:
        contributions: dict[str, float] = {}
        total_weight = 0.0
        possible = 0.0
        for feature in FEATURES:
            weight = feature.weights.get(trait)
            if weight is None:
                continue
            possible += abs(weight)
            if feature.name not in values:
                continue
            z = max(-Z_LIMIT, min(Z_LIMIT, (values[feature.name] - feature.mean) / feature.spread))
            contributions[feature.name] = round(weight * z, 3)
            total_weight += abs(weight)
        mean_z = sum(contributions.values()) / total_weight if total_weight else 0.0
        estimate = max(0.0, min(100.0, 50.0 + 10.0 * mean_z))
        coverage = total_weight / possible if possible else 0.0
        half = BAND_BASE + 10.0 * (1.0 - coverage) + 10.0 * max(0.0, 1.0 - words / FULL_WORDS)
        half = min(half, MAX_BAND)
        traits.append(
            TraitEstimate(
                trait,
                round(estimate, 1),
                round(max(0.0, estimate - half), 1),
                round(min(100.0, estimate + half), 1),
                contributions,
            )
        )
    au_text = describe_face_activity(face) if face.available and face.frames else "no face measured"
    return BigFiveEstimate(traits, CAVEAT, au_text, values, words)
