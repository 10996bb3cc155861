"""Observable cue measures that fusion needs beyond the modality summaries, with their reliability.

Pure functions over the hand-off types (FaceTrack, SpeechTrack): phrase-by-phrase pace, loudness
variation, signal-to-noise ratio, facial (action-unit-like) activity. Formulas: docs/fusion.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mockmirror.face.track import FaceFrame, FaceTrack
from mockmirror.speech.track import SpeechTrack, Word

# Words separated by a silence at least this long belong to different phrases.
PHRASE_GAP_S = 0.35
MIN_PHRASE_WORDS = 4
MIN_PHRASE_S = 1.0
# Loudness variation: the 100 ms loudness series is averaged over this window first, so the
# measure follows emphasis across phrases rather than the syllable rhythm.
LOUDNESS_WINDOW_S = 0.5
# Frames quieter than this below the speech level are not speech for the variation measure.
SPEECH_FRAME_DROP_DB = 20.0
MIN_NOISE_S = 1.0  # SNR needs at least this much non-speech audio to estimate the noise floor
# AU-like activity: a movement counts as active at or above FACS-like "moderate" intensity.
# (At "weak" the GRID speakers, reading neutral commands, were "active" 50-80 % of the time.)
ACTIVE_LEVEL = 0.35
REST_PERCENTILE = 10.0
# Expressive movements (FACS codes) and the MediaPipe blendshapes that approximate them. Speech
# movements (jaw, lips apart, lip tightening), blinks and the lid tightener AU7 are left out:
# talking is not expressiveness, and AU7 fired "strong" on neutral GRID speakers.
EXPRESSIVE_BLENDSHAPES: dict[str, tuple[str, ...]] = {
    "AU1": ("browInnerUp",),
    "AU2": ("browOuterUpLeft", "browOuterUpRight"),
    "AU4": ("browDownLeft", "browDownRight"),
    "AU9": ("noseSneerLeft", "noseSneerRight"),
    "AU12": ("mouthSmileLeft", "mouthSmileRight"),
    "AU14": ("mouthDimpleLeft", "mouthDimpleRight"),
    "AU15": ("mouthFrownLeft", "mouthFrownRight"),
}
EXPRESSIVE_AUS = ("AU1", "AU2", "AU4", "AU6", "AU9", "AU12", "AU14", "AU15")


@dataclass(frozen=True, slots=True)
class Phrase:
    start: float
    end: float
    words: int

    @property
    def wpm(self) -> float:
        return 60.0 * self.words / max(self.end - self.start, 1e-6)


def phrases(words: Sequence[Word], gap_s: float = PHRASE_GAP_S) -> list[Phrase]:
    """Runs of non-filler words between silences of at least ``gap_s``, long enough to time."""
    spoken = [w for w in words if not w.is_filler and w.text.strip()]
    runs: list[list[Word]] = []
    for word in spoken:
        if runs and word.start - runs[-1][-1].end < gap_s:
            runs[-1].append(word)
        else:
            runs.append([word])
    out = []
    for run in runs:
        start, end = run[0].start, run[-1].end
        if len(run) >= MIN_PHRASE_WORDS and end - start >= MIN_PHRASE_S:
            out.append(Phrase(round(start, 2), round(end, 2), len(run)))
    return out


def pace_variation(items: Sequence[Phrase]) -> float | None:
    """Coefficient of variation of phrase pace, weighted by phrase length (None under 3 phrases)."""
    if len(items) < 3:
        return None
    rates = np.array([p.wpm for p in items])
    weights = np.array([p.end - p.start for p in items])
    mean = float(np.average(rates, weights=weights))
    std = float(np.sqrt(np.average((rates - mean) ** 2, weights=weights)))
    return std / mean if mean > 0 else None


def _in_speech(t: float, speech: SpeechTrack) -> bool:
    return any(s.start <= t < s.end for s in speech.segments)


def loudness_variation_db(speech: SpeechTrack, start: float = 0.0, end: float | None = None) -> float | None:
    """Standard deviation (dB) of the 0.5 s-averaged loudness over speech, within [start, end)."""
    series = [
        (t, db)
        for t, db in speech.volume_series
        if t >= start and (end is None or t < end) and _in_speech(t, speech)
    ]
    if len(series) < 10:
        return None
    levels = np.array([db for _, db in series])
    # Drop near-silent frames inside speech segments (stops, breaths): they are not emphasis.
    levels = levels[levels >= np.percentile(levels, 90) - SPEECH_FRAME_DROP_DB]
    hop = np.median(np.diff([t for t, _ in series])) if len(series) > 1 else 0.1
    width = max(1, round(LOUDNESS_WINDOW_S / max(float(hop), 1e-3)))
    if len(levels) < 2 * width:
        return None
    # Average power (not dB) over each window, then back to dB.
    power = 10 ** (levels / 10)
    kernel = np.ones(width) / width
    smoothed = 10 * np.log10(np.convolve(power, kernel, mode="valid"))
    return round(float(np.std(smoothed)), 2)


def pitch_variation_st(speech: SpeechTrack, start: float = 0.0, end: float | None = None) -> float | None:
    """SD of voiced pitch in semitones within [start, end), from the speech track's pitch series
    (None when the track has no pitch series or fewer than 10 voiced points there)."""
    series = getattr(speech, "pitch_series", None) or []
    hz = [f for t, f in series if t >= start and (end is None or t < end) and f > 0]
    if len(hz) < 10:
        return None
    return round(float(np.std(12 * np.log2(np.asarray(hz) / 100.0))), 2)


def signal_to_noise_db(speech: SpeechTrack) -> float | None:
    """Speech level minus the noise floor, in dB: the speech package's own measure when it has
    one, else the mean speech level minus the 20th percentile of non-speech loudness."""
    if not speech.available or speech.summary.mean_volume_dbfs is None:
        return None
    own = getattr(speech.summary, "snr_db", None)
    if own is not None:
        return round(float(own), 1)
    quiet = [db for t, db in speech.volume_series if not _in_speech(t, speech)]
    hop = 0.1
    if len(speech.volume_series) > 1:
        hop = speech.volume_series[1][0] - speech.volume_series[0][0]
    if len(quiet) * hop < MIN_NOISE_S:
        return None
    floor = float(np.percentile(quiet, 20))
    return round(speech.summary.mean_volume_dbfs - floor, 1)


@dataclass(frozen=True, slots=True)
class FacialActivity:
    """How much the face moved expressively: share of face frames with an AU-like movement."""

    active_ratio: float  # share of face frames with any expressive movement above ACTIVE_LEVEL
    by_movement: dict[str, float]  # movement name → share of face frames where it was active
    source: str  # "action units (face package)" or "blendshapes relative to rest (fusion)"
    frames: int


def _frame_activity_from_aus(frame: FaceFrame) -> dict[str, float]:
    aus = getattr(frame, "action_units", None) or {}
    return {code: float(aus.get(code, 0.0)) for code in EXPRESSIVE_AUS}


def frame_activities(frames: Sequence[FaceFrame]) -> tuple[list[tuple[float, dict[str, float]]], str]:
    """(t, movement → intensity 0..1) per face frame, and where the intensities came from.

    The face package's action units are used when its frames carry them; otherwise each
    movement is its blendshapes' mean rise above the person's resting level (10th percentile
    over the recording), scaled to 0..1 — the same idea, computed here.
    """
    with_face = [f for f in frames if f.face_found]
    if with_face and any(getattr(f, "action_units", None) for f in with_face):
        return [
            (f.t, _frame_activity_from_aus(f)) for f in with_face if getattr(f, "action_units", None)
        ], "action units (face package)"
    rows = [f for f in with_face if f.blendshapes]
    if not rows:
        return [], "none"
    names = {n for group in EXPRESSIVE_BLENDSHAPES.values() for n in group}
    rest = {
        n: min(float(np.percentile([r.blendshapes.get(n, 0.0) for r in rows], REST_PERCENTILE)), 0.95)
        for n in names
    }
    out = []
    for row in rows:
        values = {}
        for movement, group in EXPRESSIVE_BLENDSHAPES.items():
            rises = [max(0.0, row.blendshapes.get(n, 0.0) - rest[n]) / (1.0 - rest[n]) for n in group]
            values[movement] = float(np.mean(rises))
        out.append((row.t, values))
    return out, "blendshapes relative to rest (fusion)"


def facial_activity(face: FaceTrack, start: float = 0.0, end: float | None = None) -> FacialActivity | None:
    rows, source = frame_activities(face.frames)
    rows = [(t, v) for t, v in rows if t >= start and (end is None or t < end)]
    if not rows:
        return None
    active = sum(1 for _, v in rows if max(v.values(), default=0.0) >= ACTIVE_LEVEL)
    movements = rows[0][1].keys()
    by_movement = {
        m: round(sum(1 for _, v in rows if v.get(m, 0.0) >= ACTIVE_LEVEL) / len(rows), 3) for m in movements
    }
    return FacialActivity(round(active / len(rows), 3), by_movement, source, len(rows))


def describe_face_activity(face: FaceTrack, start: float = 0.0, end: float | None = None) -> str:
    """Action units of the answer as plain text: the face package's describer when present."""
    try:
        from mockmirror.face.action_units import describe_action_units
    except ImportError:  # older face package: describe from our own activity shares
        describe_action_units = None
    if describe_action_units is not None and any(getattr(f, "action_units", None) for f in face.frames):
        return describe_action_units(face.frames, start, end)
    activity = facial_activity(face, start, end)
    if activity is None:
        return "no face measured"
    parts = [
        f"{name} {share:.0%} of the time" for name, share in activity.by_movement.items() if share >= 0.02
    ]
    return "; ".join(parts) if parts else "no expressive movement above weak"


def window_share(frames: Sequence[FaceFrame], start: float, end: float, attr: str) -> float | None:
    """Share of face frames in [start, end) where boolean ``attr`` is True (None = not measured)."""
    values = [getattr(f, attr) for f in frames if f.face_found and start <= f.t < end]
    values = [v for v in values if v is not None]
    return sum(1 for v in values if v) / len(values) if values else None
