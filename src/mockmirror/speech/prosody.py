"""How the voice sounds, measured from the waveform: loudness, clipping, noise and pitch.

Levels are dBFS from RMS: 20·log10(RMS), where a full-scale square wave is 0 dBFS and a
full-scale sine is -3 dBFS. Recording levels differ between microphones, so these are for
within-answer comparison and for spotting unusable recordings, not for "speak louder" advice
against an absolute norm.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mockmirror.core.arrays import BoolArray, Float64Array, FloatArray
from mockmirror.core.types import Event
from mockmirror.speech.pitch import HOP_S as PITCH_HOP_S
from mockmirror.speech.pitch import PitchTrack, hz_to_semitones
from mockmirror.speech.track import Segment

HOP_S = 0.1  # one value per 100 ms: fine enough for a timeline, coarse enough to stay small
FLOOR_DBFS = -100.0  # digital silence would be -inf; clamp so series stay finite
# Samples within 2 % of the recording's peak, in runs of 3 or more, are flat tops: clipping.
# Resampling smears a clipped flat top into small ripples, hence a tolerance rather than ==.
# Made for voices, whose waveform is peaky; a steady pure tone would read as clipped.
CLIP_TOLERANCE = 0.02
CLIP_MIN_RUN = 3
# A too-quiet or too-loud stretch goes on over pauses up to this long (levels are judged on
# speech only; the pauses between sentences of a quiet answer do not make it less quiet).
LEVEL_BRIDGE_S = 1.5


@dataclass(frozen=True, slots=True)
class LevelSummary:
    mean_speech_dbfs: float | None  # power mean over speech segments; None without speech
    peak_dbfs: float  # highest sample magnitude
    clipped_fraction: float  # share of (speech) samples sitting on flat tops


def to_dbfs(rms: FloatArray | float) -> Float64Array:
    with np.errstate(divide="ignore"):
        return np.maximum(20.0 * np.log10(np.asarray(rms, dtype=np.float64)), FLOOR_DBFS)


def volume_series(
    audio: FloatArray, sample_rate: int, hop_s: float = HOP_S
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


def speech_samples(audio: FloatArray, segments: list[Segment], sample_rate: int) -> FloatArray:
    parts = [audio[round(s.start * sample_rate) : round(s.end * sample_rate)] for s in segments]
    parts = [p for p in parts if p.size]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


def clipped_fraction(samples: FloatArray) -> float:
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


def level_summary(audio: FloatArray, segments: list[Segment], sample_rate: int) -> LevelSummary:
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


# ---- Noise --------------------------------------------------------------------------------
MIN_NOISE_S = 0.5  # less non-speech than this and the noise floor is a guess
MAX_SNR_DB = 60.0  # digital silence between words would give +inf; 60 dB is already studio-clean


def signal_to_noise_db(
    audio: FloatArray, segments: list[Segment], sample_rate: int, hop_s: float = HOP_S
) -> float | None:
    """Speech-to-noise ratio from voice activity: speech power over the non-speech floor.

    Noise power = mean power of the 100 ms windows wholly outside speech (their quietest 80 %,
    so a cough or door between sentences does not count as the floor). Speech power = mean power
    inside speech minus that noise (speech windows carry the noise too). None when there is less
    than ``MIN_NOISE_S`` of non-speech or no speech.
    """
    speech = speech_samples(audio, segments, sample_rate).astype(np.float64)
    hop = max(1, round(hop_s * sample_rate))
    count = len(audio) // hop
    if speech.size == 0 or count == 0:
        return None
    centres = (np.arange(count) + 0.5) * hop / sample_rate
    outside = np.ones(count, dtype=bool)
    for s in segments:  # a window touching speech (or its 0.1 s surround) is not noise
        outside &= (centres + hop_s / 2 <= s.start - 0.1) | (centres - hop_s / 2 >= s.end + 0.1)
    if outside.sum() * hop_s < MIN_NOISE_S:
        return None
    frames = np.asarray(audio[: count * hop], dtype=np.float64).reshape(count, hop)[outside]
    power = np.sort(np.mean(frames**2, axis=1))[: max(1, int(0.8 * outside.sum()))]
    noise = float(np.mean(power))
    signal = max(float(np.mean(speech**2)) - noise, 0.0)
    if signal <= 0.0:
        return 0.0
    if noise <= 0.0:
        return MAX_SNR_DB
    snr_db = float(10.0 * np.log10(signal / noise))
    return round(min(MAX_SNR_DB, snr_db), 1)


# ---- Bandwidth ------------------------------------------------------------------------------
# Speech power above 4.2 kHz relative to the telephone band (300-3400 Hz). Wide-band fixture
# speech: -29 to +1 dB; 8 kHz telephone audio (resampled): -52 dB; the 1961 JFK broadcast: -44.
NARROW_BAND_DB = -40.0
_BAND_FFT = 512


def high_band_db(audio: FloatArray, segments: list[Segment], sample_rate: int) -> float | None:
    """dB of speech power above 4.2 kHz relative to 300-3400 Hz; None under 0.1 s of speech."""
    speech = speech_samples(audio, segments, sample_rate).astype(np.float64)
    count = speech.size // _BAND_FFT
    if count * _BAND_FFT < 0.1 * sample_rate:
        return None
    frames = speech[: count * _BAND_FFT].reshape(count, _BAND_FFT) * np.hanning(_BAND_FFT)
    power = (np.abs(np.fft.rfft(frames, axis=1)) ** 2).sum(axis=0)
    freqs = np.fft.rfftfreq(_BAND_FFT, 1.0 / sample_rate)
    band = power[(freqs >= 300) & (freqs < 3400)].sum()
    high = power[freqs >= 4200].sum()
    if band <= 0.0:
        return None
    return round(float(10.0 * np.log10(max(high, 1e-30) / band)), 1)


# ---- Loudness over speech -------------------------------------------------------------------
def speech_levels(
    series: list[tuple[float, float]], segments: list[Segment]
) -> list[tuple[float, float]]:
    """The (t, dBFS) points of ``series`` that fall inside speech segments."""
    if not series or not segments:
        return []
    ordered = sorted(segments, key=lambda s: s.start)
    starts = np.array([s.start for s in ordered])
    ends = np.maximum.accumulate(np.array([s.end for s in ordered]))
    times = np.array([t for t, _ in series])
    index = np.searchsorted(starts, times, side="right") - 1
    inside = (index >= 0) & (times < ends[np.maximum(index, 0)])
    return [point for point, keep in zip(series, inside, strict=True) if keep]


def volume_variation_db(series: list[tuple[float, float]], segments: list[Segment]) -> float | None:
    """Standard deviation (dB) of the 100 ms speech levels, after dropping the frames more
    than 25 dB under the loudest tenth (stop closures and breaths inside speech, not emphasis).
    None with under 1 s of speech."""
    levels = np.array([db for _, db in speech_levels(series, segments)])
    if levels.size < 10:
        return None
    levels = levels[levels >= np.percentile(levels, 90) - 25.0]
    return round(float(np.std(levels)), 2)


def level_events(
    audio: FloatArray,
    series: list[tuple[float, float]],
    segments: list[Segment],
    sample_rate: int,
    quiet_dbfs: float,
    loud_dbfs: float,
    min_quiet_s: float = 2.0,
    min_loud_s: float = 1.0,
) -> list[Event]:
    """``too_quiet`` / ``too_loud`` stretches of speech and ``clipping`` moments.

    Levels are 1 s power means of the speech frames (pauses excluded); a stretch is reported
    when it stays under ``quiet_dbfs`` for ``min_quiet_s`` or over ``loud_dbfs`` for
    ``min_loud_s``. ``clipping``: 100 ms windows of speech with ≥ 1 % of samples on flat tops.
    """
    points = speech_levels(series, segments)
    events: list[Event] = []
    if points:
        times = np.array([t for t, _ in points])
        power = 10 ** (np.array([db for _, db in points]) / 10)
        # 1 s power means (points within ±0.5 s), by cumulative sums: linear in the length.
        total = np.concatenate(([0.0], np.cumsum(power)))
        lo = np.searchsorted(times, times - 0.5 - 1e-9, side="left")
        hi = np.searchsorted(times, times + 0.5 + 1e-9, side="right")
        smoothed = 10 * np.log10((total[hi] - total[lo]) / (hi - lo) + 1e-12)
        for kind, mask, least, word in (
            ("too_quiet", smoothed < quiet_dbfs, min_quiet_s, "quiet"),
            ("too_loud", smoothed > loud_dbfs, min_loud_s, "loud"),
        ):
            for start, end in _runs(times, mask, HOP_S, bridge_s=LEVEL_BRIDGE_S):
                if end - start >= least:
                    level = float(np.mean(smoothed[(times >= start) & (times < end)]))
                    events.append(
                        Event(kind, round(start, 2), round(end, 2), round(level, 1),
                              f"{word}: {level:.0f} dBFS for {end - start:.1f} s")
                    )
    hop = round(HOP_S * sample_rate)
    peak = float(np.abs(audio).max()) if audio.size else 0.0
    flagged = []
    for s in segments:
        for i in range(round(s.start * sample_rate), round(s.end * sample_rate) - hop + 1, hop):
            window = audio[i : i + hop]
            if peak >= 0.5 and clipped_fraction_at(window, peak) >= 0.01:
                flagged.append(i / sample_rate)
    if flagged:
        times = np.array(flagged)
        for start, end in _runs(times, np.ones(times.size, dtype=bool), HOP_S):
            events.append(Event("clipping", round(start, 2), round(end, 2), None,
                                "clipped: the input level is too high"))
    return events


def clipped_fraction_at(window: FloatArray, peak: float) -> float:
    """Share of ``window`` on flat tops at the recording's ``peak`` (runs of CLIP_MIN_RUN)."""
    near = np.abs(window) >= (1.0 - CLIP_TOLERANCE) * peak
    edges = np.diff(np.concatenate(([0], near.astype(np.int8), [0])))
    lengths = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
    return float(lengths[lengths >= CLIP_MIN_RUN].sum()) / max(1, window.size)


def _runs(
    times: Float64Array, mask: BoolArray, hop: float, bridge_s: float = 0.0
) -> list[tuple[float, float]]:
    """Consecutive true points as (start, end) time spans: points no more than 1.5 hops apart
    join, and so do points either side of a gap of up to ``bridge_s`` with no false point in
    it (a pause inside a quiet stretch of speech does not end the stretch)."""
    runs: list[tuple[float, float]] = []
    previous_on = False
    for t, on in zip(times, mask, strict=True):
        if not on:
            previous_on = False
            continue
        lo, hi = t - hop / 2, t + hop / 2
        gap = lo - runs[-1][1] if runs else np.inf
        joined = gap <= 0.5 * hop or (previous_on and gap <= bridge_s)
        previous_on = True
        if joined:
            runs[-1] = (runs[-1][0], hi)
        else:
            runs.append((lo, hi))
    return runs


# ---- Pitch ----------------------------------------------------------------------------------
PITCH_SERIES_HOP_S = 0.1
PITCH_REFERENCE_HZ = 100.0  # semitone values are relative to 100 Hz
MIN_VOICED_S = 1.0  # less voicing than this and pitch statistics are not given


@dataclass(frozen=True, slots=True)
class PitchSummary:
    mean_pitch_hz: float | None  # geometric mean (the mean in semitones, back in Hz)
    pitch_mean_st: float | None  # mean, semitones re 100 Hz
    pitch_range_st: float | None  # 5th to 95th percentile, semitones
    pitch_variation_st: float | None  # standard deviation, semitones
    voiced_s: float


def pitch_series(track: PitchTrack, hop_s: float = PITCH_SERIES_HOP_S) -> list[tuple[float, float]]:
    """(t, Hz) medians of the voiced 10 ms frames in each ``hop_s`` window; unvoiced windows left out."""
    out: list[tuple[float, float]] = []
    if track.times.size == 0:
        return out
    bins = np.floor(track.times / hop_s).astype(int)
    voiced = track.voiced
    for b in np.unique(bins[voiced]):
        values = track.f0_hz[(bins == b) & voiced]
        if values.size >= 3:
            out.append((round((b + 0.5) * hop_s, 3), round(float(np.median(values)), 1)))
    return out


def summarise_pitch(track: PitchTrack) -> PitchSummary:
    voiced = track.f0_hz[track.voiced]
    voiced_s = round(voiced.size * PITCH_HOP_S, 2)
    if voiced_s < MIN_VOICED_S:
        return PitchSummary(None, None, None, None, voiced_s)
    st = hz_to_semitones(voiced, PITCH_REFERENCE_HZ)
    low, high = np.percentile(st, [5, 95])
    mean = float(np.mean(st))
    return PitchSummary(
        mean_pitch_hz=round(PITCH_REFERENCE_HZ * 2 ** (mean / 12), 1),
        pitch_mean_st=round(mean, 2),
        pitch_range_st=round(float(high - low), 2),
        pitch_variation_st=round(float(np.std(st)), 2),
        voiced_s=voiced_s,
    )


def monotone_events(
    track: PitchTrack, window_s: float, max_variation_st: float, min_voiced_s: float = 2.0
) -> list[Event]:
    """Stretches where pitch hardly moves: in every ``window_s`` window (1 s steps) with at least
    ``min_voiced_s`` of voicing, the standard deviation in semitones is below ``max_variation_st``.
    Overlapping flagged windows are merged into one ``monotone`` event (value = the lowest SD)."""
    if track.times.size == 0 or track.voiced.sum() * PITCH_HOP_S < min_voiced_s:
        return []
    st = hz_to_semitones(track.f0_hz, PITCH_REFERENCE_HZ)
    spans: list[tuple[float, float, float]] = []
    first_t, last_t = float(track.times[0]), float(track.times[-1])
    for t in np.arange(first_t, max(first_t, last_t - window_s) + 1e-9, 1.0):
        a, b = np.searchsorted(track.times, [t, t + window_s], side="left")
        voiced = track.voiced[a:b]
        if voiced.sum() * PITCH_HOP_S < min_voiced_s:
            continue
        sd = float(np.std(st[a:b][voiced]))
        if sd >= max_variation_st:
            continue
        first, last = (float(x) for x in track.times[a:b][voiced][[0, -1]])
        if spans and first <= spans[-1][1]:
            spans[-1] = (spans[-1][0], last, min(spans[-1][2], sd))
        else:
            spans.append((first, last, sd))
    return [
        Event("monotone", round(a, 2), round(b, 2), round(v, 2),
              f"flat pitch for {b - a:.0f} s (variation {v:.1f} semitones)")
        for a, b, v in spans
    ]
