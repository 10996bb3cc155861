"""Voice pitch (fundamental frequency) by YIN in NumPy, estimated in two passes.

YIN (de Cheveigné & Kawahara 2002, JASA 111:1917) finds the period as the first dip of the
cumulative-mean-normalised difference function below a threshold. A fixed wide search range
(60-500 Hz) lets it lock on twice or half the true period now and then: octave errors that would
read as pitch jumps of 12 semitones. So, as in Hirst's two-pass method (De Looze & Hirst 2008,
Speech Prosody; Hirst 2011, JoSS 1), a first pass over the wide range finds the speaker's
quartiles, and the second pass searches only [0.75·Q1, 1.5·Q3] — the speaker's own range.

Our own implementation (permissive licence); Praat/parselmouth (GPL) is not needed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mockmirror.core.arrays import BoolArray, Float64Array, FloatArray
from mockmirror.speech.track import Segment

SAMPLE_RATE = 16_000
HOP_S = 0.01  # one pitch value per 10 ms
WINDOW_S = 0.03  # integration window; must hold at least one period of the lowest pitch
WIDE_RANGE_HZ = (60.0, 500.0)  # first pass: any adult or child voice
LOWEST_HZ = 0.8 * WIDE_RANGE_HZ[0]  # the second pass may reach a little below the first
YIN_THRESHOLD = 0.15  # de Cheveigné & Kawahara's recommended 0.1-0.15
UNVOICED_ABOVE = 0.35  # a best dip above this is noise or a consonant, not voicing
MIN_LEVEL_BELOW_PEAK_DB = 35.0  # frames this far below the loudest frame are not voiced speech
MIN_VOICED_FRAMES = 30  # 0.3 s of voicing before the speaker's range can be estimated
RANGE_FLOOR_FACTOR = 0.75  # Hirst 2011: floor = 0.75 × Q1, ceiling = 1.5 × Q3
RANGE_CEILING_FACTOR = 1.5
BLOCK_FRAMES = 2000  # frames per FFT block (memory stays flat for long recordings)


@dataclass(slots=True)
class PitchTrack:
    times: Float64Array  # frame centres, seconds
    f0_hz: Float64Array  # NaN where unvoiced
    range_hz: tuple[float, float]  # search range of the final pass

    @property
    def voiced(self) -> BoolArray:
        return np.isfinite(self.f0_hz)


def hz_to_semitones(f0_hz: FloatArray | float, reference_hz: float = 100.0
                    ) -> Float64Array:
    """Semitones relative to ``reference_hz``: 12·log2(f0 / ref)."""
    return 12.0 * np.log2(np.asarray(f0_hz, dtype=np.float64) / reference_hz)


def _frames(audio: Float64Array, length: int, hop: int) -> Float64Array:
    """Overlapping frames as a strided view (no copy: a long recording stays one array)."""
    if audio.size < length:
        return np.zeros((0, length))
    return np.lib.stride_tricks.sliding_window_view(audio, length)[::hop]


def yin(
    audio: FloatArray,
    fmin: float,
    fmax: float,
    sample_rate: int = SAMPLE_RATE,
    hop_s: float = HOP_S,
) -> tuple[Float64Array, Float64Array, Float64Array]:
    """Per frame: centre time, f0 in Hz (NaN when unvoiced) and the YIN dip (aperiodicity)."""
    samples = np.asarray(audio, dtype=np.float64)
    hop = round(hop_s * sample_rate)
    min_lag = max(2, int(sample_rate / fmax))
    max_lag = int(np.ceil(sample_rate / fmin)) + 1
    # Frame geometry from the lowest pitch any pass may search, so both passes share frames.
    frame_lag = int(np.ceil(sample_rate / LOWEST_HZ)) + 1
    window = max(round(WINDOW_S * sample_rate), frame_lag)
    frames = _frames(samples, window + frame_lag, hop)
    if frames.shape[0] == 0:
        empty = np.zeros(0)
        return empty, empty, empty
    # In blocks of frames: one FFT matrix for a whole long recording would need gigabytes
    # (a 5 min answer ≈ 2 GB at once); a block of 2000 frames (20 s) needs about 60 MB.
    parts = [
        _yin_block(frames[i : i + BLOCK_FRAMES], window, min_lag, max_lag, sample_rate)
        for i in range(0, frames.shape[0], BLOCK_FRAMES)
    ]
    f0, dip, level = (np.concatenate(values) for values in zip(*parts, strict=True))
    quiet = level < level.max() - MIN_LEVEL_BELOW_PEAK_DB
    f0 = np.where((dip <= UNVOICED_ABOVE) & ~quiet & (f0 >= fmin) & (f0 <= fmax), f0, np.nan)
    times = (np.arange(frames.shape[0]) * hop + window / 2) / sample_rate
    return times, f0, dip


def _yin_block(
    frames: Float64Array, window: int, min_lag: int, max_lag: int, sample_rate: int
) -> tuple[Float64Array, Float64Array, Float64Array]:
    """Raw f0 (Hz), YIN dip and frame level (dB) of a block of frames."""
    frames = frames - frames.mean(axis=1, keepdims=True)
    # Difference function d(τ) = E(0) + E(τ) − 2 r(τ), with r by FFT cross-correlation.
    size = 1 << int(np.ceil(np.log2(frames.shape[1] + window)))
    head = np.fft.rfft(frames[:, :window], size)
    whole = np.fft.rfft(frames, size)
    r = np.fft.irfft(np.conj(head) * whole, size)[:, : max_lag + 1]
    squares = np.cumsum(np.pad(frames**2, ((0, 0), (1, 0))), axis=1)
    lags = np.arange(max_lag + 1)
    energy_tau = squares[:, lags + window] - squares[:, lags]
    d = np.maximum(squares[:, [window]] + energy_tau - 2.0 * r, 0.0)
    # Cumulative-mean normalisation: d'(τ) = d(τ)·τ / Σ_{j≤τ} d(j), d'(0) = 1.
    cumulative = np.cumsum(d[:, 1:], axis=1)
    cmnd = np.ones_like(d)
    cmnd[:, 1:] = d[:, 1:] * lags[1:] / np.maximum(cumulative, 1e-12)
    search = cmnd[:, min_lag : max_lag + 1]
    below = search < YIN_THRESHOLD
    # First dip under the threshold, then walk down to its local minimum; else the global minimum.
    first = np.where(below.any(axis=1), below.argmax(axis=1), search.argmin(axis=1))
    rows = np.arange(search.shape[0])
    for _ in range(search.shape[1]):
        nxt = np.minimum(first + 1, search.shape[1] - 1)
        step = search[rows, nxt] < search[rows, first]
        if not step.any():
            break
        first = np.where(step, nxt, first)
    lag = first + min_lag
    dip = cmnd[rows, lag]
    # Parabolic interpolation around the chosen lag for sub-sample precision.
    left = cmnd[rows, np.maximum(lag - 1, 1)]
    right = cmnd[rows, np.minimum(lag + 1, max_lag)]
    denominator = left - 2.0 * dip + right
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = np.where(np.abs(denominator) > 1e-12, 0.5 * (left - right) / denominator, 0.0)
    period = lag + np.clip(shift, -1.0, 1.0)
    f0 = sample_rate / period
    level = 10.0 * np.log10(np.maximum(squares[:, window] / window, 1e-20))
    return f0, dip, level


def estimate_pitch(
    audio: FloatArray,
    segments: list[Segment] | None = None,
    sample_rate: int = SAMPLE_RATE,
) -> PitchTrack:
    """Two-pass pitch: the wide first pass sets the speaker's range for the second.

    Frames outside ``segments`` (voice activity) are unvoiced whatever their periodicity, so a
    humming fridge between sentences is not pitch.
    """
    times, f0, _ = yin(audio, *WIDE_RANGE_HZ, sample_rate=sample_rate)
    inside = _inside(times, segments)
    f0 = np.where(inside, f0, np.nan)
    voiced = f0[np.isfinite(f0)]
    if voiced.size < MIN_VOICED_FRAMES:
        return PitchTrack(times, f0, WIDE_RANGE_HZ)
    q1, q3 = np.percentile(voiced, [25, 75])
    low = max(LOWEST_HZ, RANGE_FLOOR_FACTOR * q1)
    high = min(WIDE_RANGE_HZ[1] * 1.2, RANGE_CEILING_FACTOR * q3)
    _, final, _ = yin(audio, low, high, sample_rate=sample_rate)  # same frames as pass one
    final = np.where(inside, final, np.nan)
    return PitchTrack(times, final, (round(float(low), 1), round(float(high), 1)))


def _inside(times: Float64Array, segments: list[Segment] | None) -> BoolArray:
    if segments is None:
        return np.ones(times.shape, dtype=bool)
    mask = np.zeros(times.shape, dtype=bool)
    for s in segments:
        mask |= (times >= s.start) & (times < s.end)
    return mask
