"""Loudness in dBFS and clipping detection on signals with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from mockmirror.speech.prosody import FLOOR_DBFS, clipped_fraction, level_summary, volume_series
from mockmirror.speech.track import Segment

RATE = 16_000


def tone(amplitude: float, seconds: float, hz: float = 220.0) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def test_series_of_full_scale_sine_is_minus_3_dbfs_every_100_ms() -> None:
    series = volume_series(tone(1.0, 2.0), RATE)
    assert len(series) == 20
    assert series[0][0] == pytest.approx(0.05)  # window centres
    assert all(db == pytest.approx(-3.01, abs=0.05) for _, db in series)


def test_amplitude_steps_give_20_log10_steps() -> None:
    audio = np.concatenate([tone(0.5, 1.0), tone(0.05, 1.0)])
    levels = [db for _, db in volume_series(audio, RATE)]
    assert levels[5] - levels[15] == pytest.approx(20.0, abs=0.1)


def test_silence_is_the_floor_not_minus_infinity() -> None:
    assert {db for _, db in volume_series(np.zeros(RATE, np.float32), RATE)} == {FLOOR_DBFS}
    assert volume_series(np.zeros(10, np.float32), RATE) == []


def test_mean_level_counts_speech_segments_only() -> None:
    audio = np.concatenate([np.zeros(RATE, np.float32), tone(0.1, 1.0), np.zeros(RATE, np.float32)])
    summary = level_summary(audio, [Segment(1.0, 2.0)], RATE)
    assert summary.mean_speech_dbfs == pytest.approx(20 * np.log10(0.1 / np.sqrt(2)), abs=0.05)
    assert level_summary(audio, [], RATE).mean_speech_dbfs is None


def voice(amplitude: float, seconds: float = 1.0) -> np.ndarray:
    """Peaky like a voice: 15 harmonics of 120 Hz, syllable envelope with uneven stress.

    (A steady pure tone sits at its peak every cycle and would read as clipped; voices do not.)
    """
    t = np.arange(round(seconds * RATE)) / RATE
    phases = np.random.default_rng(1).uniform(0, 2 * np.pi, 15)
    wave = sum(np.sin(2 * np.pi * 120 * k * t + phases[k - 1]) / k for k in range(1, 16))
    stress = np.array([1.0, 0.7, 0.85, 0.6])[(t * 4).astype(int) % 4]
    signal = stress * np.sin(2 * np.pi * 2 * t) ** 2 * wave
    return (amplitude * signal / np.abs(signal).max()).astype(np.float32)


def test_clipping_shows_as_flat_tops() -> None:
    assert clipped_fraction(voice(0.9)) == 0.0
    assert 0.001 < clipped_fraction(np.clip(voice(1.15), -1.0, 1.0)) < 0.01  # a little too hot
    assert clipped_fraction(np.clip(voice(3.0), -1.0, 1.0)) > 0.1
    assert clipped_fraction(np.clip(voice(3.0), -0.4, 0.4)) > 0.1  # clipped before a gain stage
    assert clipped_fraction(voice(0.01)) == 0.0  # too quiet to tell
    assert clipped_fraction(np.zeros(0, np.float32)) == 0.0
