"""Confidence-weighted delivery indicators and the overall score (formulas: docs/fusion.md).

Every cue is scored 0–100 against a documented reference (a target band, the user's own baseline
or a population default) and carries a reliability 0–1 from its modality (face visible share,
face-package cue confidence, ASR word confidence, signal-to-noise ratio). An indicator is the
reliability-weighted mean of its cues; a cue that is missing or less reliable than
``min_reliability`` is left out and named. The overall score is a weighted mean of three groups
(content, voice delivery, non-verbal face cues) whose weights shrink with their reliability;
the face group's share is capped (15 % by default).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from mockmirror.core.clock import clock
from mockmirror.core.types import Event
from mockmirror.face.track import FaceTrack
from mockmirror.fusion.baseline import Baseline, reference
from mockmirror.fusion.cues import (
    facial_activity,
    loudness_variation_db,
    pace_variation,
    phrases,
    signal_to_noise_db,
)
from mockmirror.fusion.feedback import Evidence, event_label, listing
from mockmirror.language.content import ContentAnalysis
from mockmirror.settings import FusionSettings
from mockmirror.speech.track import SpeechTrack

# ---- cue scoring constants (docs/fusion.md explains each) -------------------------------------
EYE_CONTACT_FULL = 0.70  # share of face time toward the camera that earns full marks
ACTIVITY_FULL = 0.50  # share of face time with a moderate expressive movement for full marks
PACE_TOLERANCE_WPM = 50.0  # 0 points this far outside the pace band
PACE_CV_OK, PACE_CV_ZERO = 0.15, 0.50  # phrase-pace variation: full marks up to, zero at
FILLERS_OK, FILLERS_ZERO = 2.0, 10.0  # fillers per minute
LONG_PAUSES_OK, LONG_PAUSES_ZERO = 0.5, 3.5  # long pauses per minute of answer
MOVEMENT_OK, MOVEMENT_ZERO = 1.5, 4.0  # head movement as a multiple of the reference
BLINK_OK, BLINK_ZERO = 0.3, 1.0  # |log2(rate / reference)|: ±23 % full marks, double/half zero
LOUDNESS_VAR_ZERO = 1.0  # dB of loudness variation that scores 0; the reference scores 100
SNR_ZERO, SNR_FULL = 6.0, 20.0  # dB
ASR_P_ZERO, ASR_P_FULL = 0.3, 0.7  # mean word probability → reliability of word-based cues
SNR_REL_ZERO, SNR_REL_FULL = 3.0, 15.0  # dB → reliability of level-based cues

# Cue weights inside each indicator, and inside each overall-score group.
INDICATOR_WEIGHTS: dict[str, dict[str, float]] = {
    "engagement": {"eye_contact": 0.4, "facial_activity": 0.2, "smile": 0.1, "vocal_variety": 0.3},
    "composure": {
        "pace_stability": 0.25,
        "fillers": 0.2,
        "pauses": 0.2,
        "fidgeting": 0.15,
        "blink_rate": 0.2,
    },
    "clarity": {"pace": 0.4, "fillers": 0.3, "volume": 0.3},
    "content": {"content_score": 1.0},
}
GROUP_WEIGHTS: dict[str, dict[str, float]] = {
    "content": {"content_score": 1.0},
    "voice": {
        "pace": 0.25,
        "pace_stability": 0.15,
        "fillers": 0.25,
        "pauses": 0.15,
        "volume": 0.1,
        "vocal_variety": 0.1,
    },
    "face": {
        "eye_contact": 0.4,
        "facial_activity": 0.15,
        "smile": 0.15,
        "fidgeting": 0.15,
        "blink_rate": 0.15,
    },
}
CUE_MODALITY = {
    "eye_contact": "face",
    "facial_activity": "face",
    "smile": "face",
    "fidgeting": "face",
    "blink_rate": "face",
    "vocal_variety": "voice",
    "pace": "voice",
    "pace_stability": "voice",
    "fillers": "voice",
    "pauses": "voice",
    "volume": "voice",
    "content_score": "content",
}


def _clip(x: float, low: float = 0.0, high: float = 1.0) -> float:
    return min(max(x, low), high)


def _ramp_down(x: float, ok: float, zero: float) -> float:
    """100 up to ``ok``, falling linearly to 0 at ``zero``."""
    return round(100.0 * _clip(1.0 - (x - ok) / (zero - ok)), 1)


@dataclass(slots=True)
class Cue:
    """One observable cue, scored, with its reliability, its reference and the moments behind it."""

    name: str
    modality: str  # face, voice, content
    measure: str  # the number behind it, by its report name
    value: float | None
    unit: str
    score: float | None  # 0–100; None = not measured
    reliability: float  # 0–1
    reference: str  # what it was compared with ("target band 130–165 WPM", "own baseline (…)")
    reference_value: float | None = None
    summary: str = ""  # what was seen, with the number
    evidence: list[Evidence] = field(default_factory=list)
    used: bool = True  # False: left out (missing or unreliable), reason in ``summary``
    weight: float = 0.0  # its weight inside the indicator it is listed under
    reference_range: tuple[float, float] | None = None  # a target band as numbers (pace: 130–165 WPM)


@dataclass(slots=True)
class Indicator:
    name: str  # engagement, composure, clarity, content
    score: float | None  # reliability-weighted mean of the used cues; None if none is usable
    reliability: float  # Σ weight·reliability over Σ weight, over all the indicator's cues
    cues: list[Cue]
    summary: str  # in plain words: what it is based on, or why it was not measured
    left_out: list[str] = field(default_factory=list)  # cue names not used, reasons in their cue


@dataclass(slots=True)
class ModalityWeight:
    """How much one group counts in the overall score, and why it counts less than nominal."""

    name: str  # content, voice, face
    available: bool
    reliability: float
    score: float | None  # the group's score
    nominal_weight: float
    effective_share: float  # its share of the overall score after reliability and the face cap
    reasons: list[str] = field(default_factory=list)


@dataclass(slots=True)
class OverallScore:
    score: float | None
    groups: list[ModalityWeight]
    formula: str
    notes: list[str] = field(default_factory=list)  # technical: shares below nominal and why
    message: str = ""  # in plain words: what the score combines, or why there is none


def _events(events: list[Event], kind: str, limit: int = 4) -> list[Evidence]:
    chosen = sorted((e for e in events if e.kind == kind), key=lambda e: e.duration, reverse=True)[:limit]
    return [Evidence(e.start, e.end, event_label(e)) for e in sorted(chosen, key=lambda e: e.start)]


def _missing(name: str, measure: str, unit: str, why: str, reliability: float = 0.0) -> Cue:
    return Cue(name, CUE_MODALITY[name], measure, None, unit, None, reliability, "none", None, why, [], False)


# ---- reliabilities ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reliabilities:
    face: float
    face_reasons: tuple[str, ...]
    voice: float
    voice_reasons: tuple[str, ...]
    words: float  # ASR-based cues
    level: float  # loudness-based cues
    snr_db: float | None


def reliabilities(speech: SpeechTrack, face: FaceTrack) -> Reliabilities:
    face_rel = face.reliability.score if face.available else 0.0
    face_reasons = face.reliability.reasons if face.available else (face.note or "no face track",)
    voice = speech.reliability.score if speech.available else 0.0
    voice_reasons = list(speech.reliability.reasons if speech.available else (speech.note or "no audio",))
    p = speech.summary.asr_mean_probability
    asr = _clip((p - ASR_P_ZERO) / (ASR_P_FULL - ASR_P_ZERO)) if p is not None else 1.0
    snr = signal_to_noise_db(speech)
    level = _clip((snr - SNR_REL_ZERO) / (SNR_REL_FULL - SNR_REL_ZERO)) if snr is not None else 1.0
    if snr is not None and level < 1.0:
        voice_reasons.append(f"noisy recording (speech {snr:.0f} dB above the background)")
    return Reliabilities(
        face_rel,
        tuple(face_reasons),
        voice,
        tuple(voice_reasons),
        round(voice * asr, 3),
        round(voice * level, 3),
        snr,
    )


def _face_cue_confidence(face: FaceTrack, key: str) -> float:
    # The face package reports per-cue confidence (docs/face.md); older tracks lack it.
    confidence = getattr(face.summary, "cue_confidence", None) or {}
    return float(confidence.get(key, 1.0))


# ---- the cues -------------------------------------------------------------------------------------


def face_cues(face: FaceTrack, rel: Reliabilities, baseline: Baseline | None) -> dict[str, Cue]:
    why = face.note or "; ".join(face.reliability.reasons) or "no face measured"
    if not face.available or not face.frames:
        return {
            "eye_contact": _missing("eye_contact", "eye_contact_ratio", "share", why),
            "facial_activity": _missing("facial_activity", "expressive_movement_ratio", "share", why),
            "smile": _missing("smile", "smile_ratio", "share", why),
            "fidgeting": _missing("fidgeting", "head_movement_deg_per_s", "deg/s", why),
            "blink_rate": _missing("blink_rate", "blink_rate_per_min", "per min", why),
        }
    s = face.summary
    cues: dict[str, Cue] = {}
    r = rel.face * _face_cue_confidence(face, "eye_contact")
    if s.eye_contact_ratio is None:
        cues["eye_contact"] = _missing("eye_contact", "eye_contact_ratio", "share", "no face frames", r)
    else:
        away = _events(face.events, "gaze_away")
        longest = max(
            (e for e in face.events if e.kind == "gaze_away"), key=lambda e: e.duration, default=None
        )
        where = f"; longest look away {longest.duration:.1f} s at {clock(longest.start)}" if longest else ""
        cues["eye_contact"] = Cue(
            "eye_contact",
            "face",
            "eye_contact_ratio",
            round(s.eye_contact_ratio, 3),
            "share",
            round(100 * _clip(s.eye_contact_ratio / EYE_CONTACT_FULL), 1),
            round(r, 3),
            f"full marks at {EYE_CONTACT_FULL:.0%} of face time",
            EYE_CONTACT_FULL,
            f"toward the camera {s.eye_contact_ratio:.0%} of the time{where}",
            away,
        )
    activity = facial_activity(face)
    r = rel.face * _face_cue_confidence(face, "action_units")
    if activity is None:
        cues["facial_activity"] = _missing(
            "facial_activity", "expressive_movement_ratio", "share", "no blendshapes", r
        )
    else:
        top = sorted(activity.by_movement.items(), key=lambda kv: -kv[1])[:3]
        moves = ", ".join(f"{code} {share:.0%}" for code, share in top if share > 0) or "none"
        stretches = [e for e in face.events if e.kind in ("smile", "brief_expression")]
        cues["facial_activity"] = Cue(
            "facial_activity",
            "face",
            "expressive_movement_ratio",
            activity.active_ratio,
            "share",
            round(100 * _clip(activity.active_ratio / ACTIVITY_FULL), 1),
            round(r, 3),
            f"full marks at {ACTIVITY_FULL:.0%} of face time",
            ACTIVITY_FULL,
            f"a moderate brow, cheek or mouth-corner movement {activity.active_ratio:.0%} of the time"
            + (f"; most often {moves}" if moves != "none" else ""),
            [Evidence(e.start, e.end, event_label(e)) for e in stretches[:4]],
        )
    r = rel.face * _face_cue_confidence(face, "smile")
    ref = reference(baseline, "smile_ratio")
    if s.smile_ratio is None:
        cues["smile"] = _missing("smile", "smile_ratio", "share", "no face frames", r)
    elif ref.value is None:
        # No population norm for smiling: without the user's own baseline it is shown, not scored.
        cues["smile"] = Cue(
            "smile",
            "face",
            "smile_ratio",
            round(s.smile_ratio, 3),
            "share",
            None,
            round(r, 3),
            "none (needs your own baseline)",
            None,
            f"smiling {s.smile_ratio:.0%} of the time; not scored without your own baseline",
            _events(face.events, "smile"),
            False,
        )
    else:
        target = max(ref.value, 0.02)
        cues["smile"] = Cue(
            "smile",
            "face",
            "smile_ratio",
            round(s.smile_ratio, 3),
            "share",
            round(100 * _clip(s.smile_ratio / target), 1),
            round(r, 3),
            ref.source,
            ref.value,
            f"smiling {s.smile_ratio:.0%} of the time vs {ref.value:.0%} usually",
            _events(face.events, "smile"),
        )
    r = rel.face * _face_cue_confidence(face, "head_pose")
    ref = reference(baseline, "head_movement_deg_per_s")
    if s.head_movement_deg_per_s is None or ref.value is None:
        cues["fidgeting"] = _missing(
            "fidgeting", "head_movement_deg_per_s", "deg/s", "head pose not measured", r
        )
    else:
        ratio = s.head_movement_deg_per_s / max(ref.value, 0.1)
        restless = getattr(s, "restless_ratio", None)
        extra = f"; restless {restless:.0%} of the time" if restless is not None else ""
        cues["fidgeting"] = Cue(
            "fidgeting",
            "face",
            "head_movement_deg_per_s",
            round(s.head_movement_deg_per_s, 2),
            "deg/s",
            _ramp_down(ratio, MOVEMENT_OK, MOVEMENT_ZERO),
            round(r, 3),
            ref.source,
            ref.value,
            f"head moved {s.head_movement_deg_per_s:.1f} deg/s on average "
            f"({ratio:.1f}× the reference){extra}",
            _events(face.events, "head_shake") + _events(face.events, "nod", 2),
        )
    r = rel.face * _face_cue_confidence(face, "blinks")
    ref = reference(baseline, "blink_rate_per_min")
    if s.blink_rate_per_min is None or ref.value is None:
        cues["blink_rate"] = _missing(
            "blink_rate", "blink_rate_per_min", "per min", "blink rate needs 10 s of open-eye time", r
        )
    else:
        ratio = max(s.blink_rate_per_min, 0.5) / ref.value
        cues["blink_rate"] = Cue(
            "blink_rate",
            "face",
            "blink_rate_per_min",
            round(s.blink_rate_per_min, 1),
            "per min",
            _ramp_down(abs(math.log2(ratio)), BLINK_OK, BLINK_ZERO),
            round(r, 3),
            ref.source,
            ref.value,
            f"{s.blink_rate_per_min:.0f} blinks a minute vs {ref.value:.0f} for the reference",
            _events(face.events, "blink", 6),
        )
    return cues


def voice_cues(
    speech: SpeechTrack, rel: Reliabilities, baseline: Baseline | None, pace_band: tuple[float, float]
) -> dict[str, Cue]:
    why = speech.note or "; ".join(speech.reliability.reasons) or "no speech"
    names = {
        "pace": ("words_per_minute", "WPM"),
        "pace_stability": ("phrase_pace_variation", "CV"),
        "fillers": ("filler_rate_per_min", "per min"),
        "pauses": ("long_pauses_per_min", "per min"),
        "volume": ("signal_to_noise_db", "dB"),
        "vocal_variety": ("loudness_variation_db", "dB"),
    }
    if not speech.available or not speech.transcript.words:
        return {n: _missing(n, m, u, why) for n, (m, u) in names.items()}
    s = speech.summary
    words = [w for w in speech.transcript.words if not w.is_filler]
    span = [Evidence(words[0].start, words[-1].end, "your answer")] if words else []
    cues: dict[str, Cue] = {}
    low, high = pace_band
    if s.words_per_minute is None:
        cues["pace"] = _missing("pace", "words_per_minute", "WPM", "too little speech to time", rel.words)
    else:
        wpm = s.words_per_minute
        distance = max(low - wpm, wpm - high, 0.0)
        cues["pace"] = Cue(
            "pace",
            "voice",
            "words_per_minute",
            round(wpm, 1),
            "WPM",
            round(100 * _clip(1 - distance / PACE_TOLERANCE_WPM), 1),
            rel.words,
            f"target band {low:.0f}–{high:.0f} WPM",
            None,
            f"{wpm:.0f} WPM vs {low:.0f}–{high:.0f}",
            span,
            reference_range=(float(low), float(high)),
        )
    runs = phrases(speech.transcript.words)
    cv = pace_variation(runs)
    if cv is None:
        cues["pace_stability"] = _missing(
            "pace_stability",
            "phrase_pace_variation",
            "CV",
            f"needs 3 timed phrases ({len(runs)} found)",
            rel.words,
        )
    else:
        fast, slow = max(runs, key=lambda p: p.wpm), min(runs, key=lambda p: p.wpm)
        cues["pace_stability"] = Cue(
            "pace_stability",
            "voice",
            "phrase_pace_variation",
            round(cv, 3),
            "CV",
            _ramp_down(cv, PACE_CV_OK, PACE_CV_ZERO),
            rel.words,
            f"full marks up to {PACE_CV_OK:.2f}",
            PACE_CV_OK,
            f"phrase pace varied by {cv:.0%} ({slow.wpm:.0f} WPM at {clock(slow.start)} to "
            f"{fast.wpm:.0f} WPM at {clock(fast.start)}, {len(runs)} phrases)",
            [
                Evidence(slow.start, slow.end, f"slowest phrase {slow.wpm:.0f} WPM"),
                Evidence(fast.start, fast.end, f"fastest phrase {fast.wpm:.0f} WPM"),
            ],
        )
    minutes = max((words[-1].end - words[0].start) / 60, 1 / 60) if words else None
    if s.filler_rate_per_min is None:
        cues["fillers"] = _missing(
            "fillers", "filler_rate_per_min", "per min", "too little speech", rel.words
        )
    else:
        cues["fillers"] = Cue(
            "fillers",
            "voice",
            "filler_rate_per_min",
            round(s.filler_rate_per_min, 2),
            "per min",
            _ramp_down(s.filler_rate_per_min, FILLERS_OK, FILLERS_ZERO),
            rel.words,
            f"full marks up to {FILLERS_OK:.0f} per minute",
            FILLERS_OK,
            f"{s.filler_count} fillers, {s.filler_rate_per_min:.1f} per minute",
            _events(speech.events, "filler"),
        )
    if minutes is None:
        cues["pauses"] = _missing("pauses", "long_pauses_per_min", "per min", "no words", rel.voice)
    else:
        rate = s.long_pause_count / minutes
        cues["pauses"] = Cue(
            "pauses",
            "voice",
            "long_pauses_per_min",
            round(rate, 2),
            "per min",
            _ramp_down(rate, LONG_PAUSES_OK, LONG_PAUSES_ZERO),
            rel.voice,
            f"full marks up to {LONG_PAUSES_OK} long pauses per minute",
            LONG_PAUSES_OK,
            f"{s.long_pause_count} long pause(s) (longest {s.longest_pause_s:.1f} s), {rate:.1f} per minute",
            _events(speech.events, "long_pause"),
        )
    if rel.snr_db is None:
        level = s.mean_volume_dbfs
        cues["volume"] = _missing(
            "volume",
            "signal_to_noise_db",
            "dB",
            "no background-only audio to compare the voice with"
            + (f" (speech level {level:.0f} dBFS)" if level is not None else ""),
            rel.voice,
        )
    else:
        cues["volume"] = Cue(
            "volume",
            "voice",
            "signal_to_noise_db",
            rel.snr_db,
            "dB",
            round(100 * _clip((rel.snr_db - SNR_ZERO) / (SNR_FULL - SNR_ZERO)), 1),
            rel.voice,
            f"full marks at {SNR_FULL:.0f} dB above the background",
            SNR_FULL,
            f"voice {rel.snr_db:.0f} dB above the background (speech level {s.mean_volume_dbfs:.0f} dBFS)",
            span,
        )
    pitch_var = getattr(s, "pitch_variation_st", None)
    if pitch_var is not None:
        ref = reference(baseline, "pitch_variation_st")
        target = ref.value if ref.value is not None else 2.0  # ~2 semitones: lively conversational speech
        source = ref.source if ref.value is not None else "population default"
        cues["vocal_variety"] = Cue(
            "vocal_variety",
            "voice",
            "pitch_variation_st",
            round(pitch_var, 2),
            "semitones",
            round(100 * _clip(pitch_var / target), 1),
            rel.level,
            source,
            target,
            f"pitch varied by {pitch_var:.1f} semitones",
            span,
        )
    else:
        variation = loudness_variation_db(speech)
        ref = reference(baseline, "loudness_variation_db")
        if variation is None or ref.value is None:
            cues["vocal_variety"] = _missing(
                "vocal_variety",
                "loudness_variation_db",
                "dB",
                "too little speech to measure variation",
                rel.level,
            )
        else:
            score = 100 * _clip((variation - LOUDNESS_VAR_ZERO) / max(ref.value - LOUDNESS_VAR_ZERO, 0.5))
            cues["vocal_variety"] = Cue(
                "vocal_variety",
                "voice",
                "loudness_variation_db",
                variation,
                "dB",
                round(score, 1),
                rel.level,
                ref.source,
                ref.value,
                f"loudness varied by {variation:.1f} dB across phrases vs {ref.value:.1f} dB",
                span,
            )
    return cues


def content_cue(content: ContentAnalysis, speech: SpeechTrack, rel: Reliabilities) -> Cue:
    spoken = speech.available
    reliability = rel.words if spoken else 1.0
    verdict = content.verdict
    if verdict is not None and not verdict.answered:
        # Its summary is what the content indicator says: "Not scored: the answer was not about …".
        why = NOT_SCORED.get(verdict.status.value, "the answer could not be scored")
        return _missing("content_score", "content.overall_score", "0–100", why, reliability)
    if content.overall_score is None or content.word_count == 0:
        why = "there was no answer text to score" if content.word_count == 0 else "too little to score"
        return _missing("content_score", "content.overall_score", "0–100", why, reliability)
    evidence = []
    for sub in sorted(content.scores.values(), key=lambda x: -(x.weight or x.max_deduction)):
        for cue in sub.evidence[:1]:
            if cue.start is not None and cue.end is not None:
                evidence.append(Evidence(cue.start, cue.end, f"{sub.name}: {cue.note or cue.text[:40]}"))
    parts = ", ".join(
        f"{n} {s.score:.0f}" for n, s in content.scores.items() if s.score is not None and s.weight
    )
    return Cue(
        "content_score",
        "content",
        "content.overall_score",
        content.overall_score,
        "0–100",
        content.overall_score,
        round(reliability, 3),
        "docs/content.md",
        None,
        f"content {content.overall_score:.0f}/100 ({parts})",
        evidence[:5],
    )


# ---- aggregation --------------------------------------------------------------------------------


# Why there is no content score, by answer status (language.validity.AnswerStatus).
NOT_SCORED = {
    "skipped": "the question was skipped",
    "not_english": "the answer was not in English",
    "code": "the answer was code, not an explanation",
    "not_understood": "the answer could not be understood",
    "too_short": "the answer was too short to judge",
    "off_topic": "the answer was not about the question",
}
WORDS_UNCLEAR = "the words could not be recognised clearly enough"
# An indicator needs cues worth at least this share of its weight: engagement from the voice alone
# (an audio-only answer) is not engagement, so it is "not measured without the camera", not 100.
MIN_INDICATOR_COVERAGE = 0.5
# Each cue as a candidate would name it, for the indicators' plain summaries.
CUE_WORDS = {
    "eye_contact": "eye contact",
    "facial_activity": "facial expression",
    "smile": "smiling",
    "vocal_variety": "a lively voice",
    "pace_stability": "an even pace",
    "fillers": "few filler words",
    "pauses": "few long pauses",
    "fidgeting": "keeping still",
    "blink_rate": "blinking",
    "pace": "speaking speed",
    "volume": "being heard over the background",
    "content_score": "the content of your answer",
}


def indicator(name: str, cues: dict[str, Cue], min_reliability: float) -> Indicator:
    weights = INDICATOR_WEIGHTS[name]
    listed: list[Cue] = []
    left_out: list[str] = []
    num = den = rel_num = used_weight = 0.0
    for cue_name, weight in weights.items():
        cue = cues[cue_name]
        copy = Cue(**{f: getattr(cue, f) for f in cue.__slots__})
        copy.weight = weight
        copy.evidence = list(cue.evidence)
        if copy.used and copy.score is not None and copy.reliability < min_reliability:
            copy.used = False
            copy.summary += f" — left out: reliability {copy.reliability:.2f} below {min_reliability:.2f}"
        if copy.score is None:
            copy.used = False
        if copy.used:
            num += weight * copy.reliability * copy.score
            den += weight * copy.reliability
            used_weight += weight
        else:
            left_out.append(cue_name)
        rel_num += weight * (copy.reliability if copy.used else 0.0)
        listed.append(copy)
    total = sum(weights.values())
    covered = used_weight / total if total else 0.0
    score = round(num / den, 1) if den > 0 and covered >= MIN_INDICATOR_COVERAGE - 1e-9 else None
    return Indicator(name, score, round(rel_num / total, 3), listed, _plain_summary(listed, score), left_out)


def _plain_summary(cues: list[Cue], score: float | None) -> str:
    """What the indicator rests on, or why it has no score, in words a candidate knows."""
    used = [CUE_WORDS[c.name] for c in cues if c.used]
    if score is not None:
        missing = [CUE_WORDS[c.name] for c in cues if not c.used]
        return f"Based on {listing(used)}." + (f" Not included: {listing(missing)}." if missing else "")
    if any(c.name == "content_score" for c in cues):
        cue = cues[0]
        return f"Not scored: {WORDS_UNCLEAR if cue.value is not None else cue.summary}."

    def absent(modality: str) -> bool:  # the modality was not recorded or not analysed at all
        mine = [c for c in cues if c.modality == modality]
        return bool(mine) and all(c.value is None and c.reliability == 0.0 for c in mine)

    if absent("face"):
        return "Not measured without the camera: it needs your face in view."
    if absent("voice"):
        return "Not measured without speech: it needs your voice."
    return "Not measured: too little of it could be measured reliably in this recording."


def overall_score(cues: dict[str, Cue], settings: FusionSettings, rel: Reliabilities) -> OverallScore:
    groups: list[ModalityWeight] = []
    raw: dict[str, float] = {}
    for group, weights in GROUP_WEIGHTS.items():
        nominal = float(settings.overall_weights.get(group, 0.0))
        used = [
            (cues[n], w)
            for n, w in weights.items()
            if cues[n].used and cues[n].score is not None and cues[n].reliability >= settings.min_reliability
        ]
        reasons: list[str] = []
        if group == "face" and rel.face < 1.0:
            reasons.extend(rel.face_reasons)
        if group == "voice" and rel.voice < 1.0:
            reasons.extend(rel.voice_reasons)
        low = [f"{c.name.replace('_', ' ')} {c.reliability:.2f}" for c, _ in used if c.reliability < 1.0]
        if low:
            reasons.append("cue reliability " + ", ".join(low))
        skipped = [n for n in weights if (cues[n], weights[n]) not in used]
        if skipped:
            reasons.append("not used: " + ", ".join(s.replace("_", " ") for s in skipped))
        if not used:
            groups.append(ModalityWeight(group, False, 0.0, None, nominal, 0.0, reasons or ["not measured"]))
            continue
        wsum = sum(w for _, w in used)
        score = sum(c.score * w for c, w in used) / wsum
        # Group reliability: the weighted mean reliability of the cues it could use.
        reliability = sum(c.reliability * w for c, w in used) / wsum
        groups.append(
            ModalityWeight(group, True, round(reliability, 3), round(score, 1), nominal, 0.0, reasons)
        )
        raw[group] = nominal * reliability
    notes: list[str] = []
    formula = (
        "overall = Σ share_g × score_g over g in {content, voice, face}; share_g ∝ weight_g × reliability_g, "
        f"face share ≤ {settings.max_nonverbal_share:.0%}"
    )
    if "content" not in raw:
        # Delivery alone is not an answer score: a 3 s clip of fluent words would score 90+.
        cue = cues["content_score"]
        if cue.score is None or not cue.used:
            why = plain = cue.summary or "no answer text"
        else:
            why = f"word recognition reliability {cue.reliability:.2f} below {settings.min_reliability:.2f}"
            plain = WORDS_UNCLEAR
        notes.append(f"No usable content score ({why}), so there is no overall score.")
        return OverallScore(None, groups, formula, notes, f"No overall score: {plain}.")
    total = sum(raw.values())
    shares = {g: v / total for g, v in raw.items()} if total > 0 else {}
    cap = settings.max_nonverbal_share
    if shares.get("face", 0.0) > cap:
        rest = sum(v for g, v in shares.items() if g != "face")
        shares = {g: (cap if g == "face" else v * (1 - cap) / rest) for g, v in shares.items()}
    for g in groups:
        g.effective_share = round(shares.get(g.name, 0.0), 3)
        if g.available and g.effective_share < g.nominal_weight - 0.005:
            notes.append(
                f"{g.name.capitalize()} counts {g.effective_share:.0%} instead of {g.nominal_weight:.0%}"
                + (f" ({'; '.join(g.reasons)})" if g.reasons else "")
            )
        elif not g.available and g.nominal_weight > 0:
            notes.append(f"{g.name.capitalize()} not in the overall score ({'; '.join(g.reasons)})")
    score = sum(shares[g.name] * g.score for g in groups if g.available and g.score is not None)
    words = {"content": "what you said", "voice": "how you sounded", "face": "your face"}
    counted = [g for g in groups if g.effective_share > 0]
    if len(counted) == 1:
        how = f"It is based only on {words[counted[0].name]}."
    else:
        how = "It weighs " + listing([f"{words[g.name]} at {g.effective_share:.0%}" for g in counted]) + "."
    message = f"Your overall score is {score:.0f}/100. {how}"
    return OverallScore(round(score, 1), groups, formula, notes, message)
