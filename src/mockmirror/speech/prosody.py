"""How the voice sounds, measured from the waveform. For now: loudness and clipping.

Levels are dBFS from RMS: 20·log10(RMS), where a full-scale square wave is 0 dBFS and a
full-scale sine is -3 dBFS. Recording levels differ between microphones, so these are for
within-answer comparison and for spotting unusable recordings, not for "speak louder" advice
against an absolute norm.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mockmirror.speech.track import Segment

HOP_S = 0.1  # one value per 100 ms: fine enough for a timeline, coarse enough to stay small
FLOOR_DBFS = -100.0  # digital silence would be -inf; clamp so series stay finite
# Samples within 2 % of the recording's peak, in runs of 3 or more, are flat tops: clipping.
# Resampling smears a clipped flat top into small ripples, hence a tolerance rather than ==.
# Made for voices, whose waveform is peaky; a steady pure tone would read as clipped.
CLIP_TOLERANCE = 0.02
CLIP_MIN_RUN = 3


@dataclass(frozen=True, slots=True)
class LevelSummary:
    mean_speech_dbfs: float | None  # power mean over speech segments; None without speech
    peak_dbfs: float  # highest sample magnitude
    clipped_fraction: float  # share of (speech) samples sitting on flat tops


def to_dbfs(rms: np.ndarray | float) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.maximum(20.0 * np.log10(np.asarray(rms, dtype=np.float64)), FLOOR_DBFS)


def volume_series(
    audio: np.ndarray, sample_rate: int, hop_s: float = HOP_S
) -> list[tuple[float, float]]:
    """(centre time s, dBFS) for consecutive non-overlapping windows of ``hop_s``."""
    hop = max(1, round(hop_s * sample_rate))
    count = len(audio) // hop
    if count == 0:
        return []
    frames = np.asarray(audio[: count * hop], dtype=np.float64).reshape(count, hop)
    levels = to_dbfs(np.sqrt(np.mean(frames**2, axis=1)))
    times = (np.arange(count) + 0.5) * hop / sample_rate
    return [(round(float(t), 3), round(float(db), 2)) for t, db in zip(times, levels, strict=True)]


def speech_samples(audio: np.ndarray, segments: list[Segment], sample_rate: int) -> np.ndarray:
    parts = [audio[round(s.start * sample_rate) : round(s.end * sample_rate)] for s in segments]
    parts = [p for p in parts if p.size]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


def clipped_fraction(samples: np.ndarray) -> float:
    """Share of samples on flat tops at the peak level (a clipped recording's signature)."""
    if samples.size == 0:
        return 0.0
    magnitude = np.abs(samples)
    peak = float(magnitude.max())
    if peak < 0.05:  # too quiet to have been clipped by the recorder
        return 0.0
    near_peak = magnitude >= (1.0 - CLIP_TOLERANCE) * peak
    # Keep only runs of CLIP_MIN_RUN or more: a single sample at the peak is just the peak.
    edges = np.diff(np.concatenate(([0], near_peak.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    lengths = ends - starts
    return float(lengths[lengths >= CLIP_MIN_RUN].sum()) / samples.size


def level_summary(audio: np.ndarray, segments: list[Segment], sample_rate: int) -> LevelSummary:
    speech = speech_samples(audio, segments, sample_rate)
    mean = None
    if speech.size:
        mean = round(float(to_dbfs(np.sqrt(np.mean(speech.astype(np.float64) ** 2)))), 2)
    peak = float(np.abs(audio).max()) if audio.size else 0.0
    return LevelSummary(
        mean_speech_dbfs=mean,
        peak_dbfs=round(float(to_dbfs(peak)), 2),
        clipped_fraction=clipped_fraction(speech if speech.size else audio),
    )
