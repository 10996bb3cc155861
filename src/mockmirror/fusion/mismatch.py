"""Moments where the words and the face or voice point different ways — observations, not verdicts.

A listener may read positive words said with a still face and an even voice, or "I'm excited"
said while looking away, as mixed signals. We point at the moment and the measures; we do not
say what the speaker felt. Rules (docs/fusion.md): per sentence of a spoken answer, VADER's
compound polarity of the words against the face and voice measured during that sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mockmirror.core.clock import clock
from mockmirror.face.track import FaceTrack
from mockmirror.fusion.cues import (
    ACTIVE_LEVEL,
    frame_activities,
    loudness_variation_db,
    pitch_variation_st,
    window_share,
)
from mockmirror.fusion.feedback import Evidence
from mockmirror.language.content import sentences_from_words
from mockmirror.speech.track import SpeechTrack

POSITIVE_WORDS = 0.4  # VADER compound: "good result" 0.44 is positive wording, "please" 0.32 is not
NEGATIVE_WORDS = -0.4
FLAT_SMILE = 0.05  # share of the sentence's face frames with a smile
FLAT_FACE = 0.15  # share with any moderate expressive movement
FLAT_PITCH_ST = 1.5  # pitch SD within the sentence (speech.monotone_max_st default)
FLAT_VOICE_DB = 1.5  # loudness variation within the sentence, when pitch is not measured
GAZE_AWAY = 0.5  # share of the sentence looking away from the camera
SMILING = 0.5
MIN_FRAMES = 5
ENTHUSIASM = re.compile(
    r"\b(excit\w*|passion\w*|thrill\w*|enthusias\w*|eager\w*|delight\w*|love\w*|thriv\w*|motivat\w*)\b", re.I
)
CAVEAT = (
    "An observation about how the moment may come across, not a judgement of what you felt: "
    "faces and voices differ, and the measures have known limits."
)


@dataclass(slots=True)
class Observation:
    kind: str  # positive_words_flat_delivery, enthusiasm_gaze_away, negative_words_smiling
    start: float
    end: float
    quote: str
    message: str
    measures: dict[str, float] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)


def _face_window(face: FaceTrack, start: float, end: float) -> dict[str, float] | None:
    frames = [f for f in face.frames if f.face_found and start <= f.t < end]
    if len(frames) < MIN_FRAMES:
        return None
    rows, _ = frame_activities(face.frames)
    window = [v for t, v in rows if start <= t < end]
    active = (
        sum(1 for v in window if max(v.values(), default=0.0) >= ACTIVE_LEVEL) / len(window)
        if window
        else 0.0
    )
    eye = window_share(face.frames, start, end, "eye_contact")
    smile = window_share(face.frames, start, end, "smiling")
    return {
        "expressive_movement_ratio": round(active, 3),
        "smile_ratio": round(smile or 0.0, 3),
        "eye_contact_ratio": round(eye, 3) if eye is not None else -1.0,
    }


def find_mismatches(
    speech: SpeechTrack, face: FaceTrack, vader: Any | None, min_reliability: float = 0.4
) -> list[Observation]:
    """Sentence-level verbal/non-verbal mismatches; empty when a modality is missing or unreliable."""
    if vader is None or not speech.available or not speech.transcript.words:
        return []
    face_ok = face.available and face.reliability.score >= min_reliability
    out: list[Observation] = []
    for sentence in sentences_from_words(speech.transcript.words):
        if sentence.start is None or sentence.end is None:
            continue
        start, end = sentence.start, sentence.end
        polarity = vader.polarity_scores(sentence.text)["compound"]
        quote = sentence.text if len(sentence.text) <= 90 else sentence.text[:87] + "…"
        seen = _face_window(face, start, end) if face_ok else None
        pitch_var = pitch_variation_st(speech, start, end)
        voice_var = loudness_variation_db(speech, start, end)
        span = [Evidence(start, end, "the sentence")]
        if polarity >= POSITIVE_WORDS and seen is not None:
            still_face = seen["smile_ratio"] <= FLAT_SMILE and seen["expressive_movement_ratio"] <= FLAT_FACE
            # The measures (pitch in semitones, loudness in dB) stay in ``measures`` for the trace.
            flat_voice: bool | None = None
            if pitch_var is not None:
                flat_voice = pitch_var <= FLAT_PITCH_ST
            elif voice_var is not None:
                flat_voice = voice_var <= FLAT_VOICE_DB
            if still_face:
                how = {
                    True: "your voice stayed even",
                    False: "your voice was lively",
                    None: "your voice was not measured",
                }[flat_voice]
                measures = {"polarity": polarity, **seen}
                if pitch_var is not None:
                    measures["pitch_variation_st"] = pitch_var
                if voice_var is not None:
                    measures["loudness_variation_db"] = voice_var
                out.append(
                    Observation(
                        "positive_words_flat_delivery" if flat_voice else "positive_words_still_face",
                        start,
                        end,
                        quote,
                        f"At {clock(start)} your words were upbeat, but your face moved little: you smiled "
                        f"for {seen['smile_ratio']:.0%} of that sentence, and {how}. "
                        "Let your face and voice carry the good news too.",
                        measures,
                        span,
                    )
                )
        if (
            seen is not None
            and ENTHUSIASM.search(sentence.text)
            and 0 <= seen["eye_contact_ratio"] <= 1 - GAZE_AWAY
        ):
            word = ENTHUSIASM.search(sentence.text).group(0)
            out.append(
                Observation(
                    "enthusiasm_gaze_away",
                    start,
                    end,
                    quote,
                    f"At {clock(start)} you said “{word}” while looking away from the camera "
                    f"{1 - seen['eye_contact_ratio']:.0%} of the sentence.",
                    {"polarity": polarity, **seen},
                    span,
                )
            )
        if polarity <= NEGATIVE_WORDS and seen is not None and seen["smile_ratio"] >= SMILING:
            out.append(
                Observation(
                    "negative_words_smiling",
                    start,
                    end,
                    quote,
                    f"At {clock(start)} you smiled for {seen['smile_ratio']:.0%} of a sentence with sad or "
                    "negative words. That is fine for a wry aside, but it can confuse a listener when "
                    "the news is bad.",
                    {"polarity": polarity, **seen},
                    span,
                )
            )
    return out
