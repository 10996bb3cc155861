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


# ---- On real recordings and espeak-ng speech (synthetic: known amplitude and intonation) ----
from mockmirror.media.decode import load_audio  # noqa: E402
from mockmirror.speech import synthetic  # noqa: E402
from mockmirror.speech.pitch import estimate_pitch  # noqa: E402
from mockmirror.speech.prosody import (  # noqa: E402
    level_events,
    monotone_events,
    signal_to_noise_db,
    volume_variation_db,
)
from mockmirror.speech.vad import detect_speech  # noqa: E402

needs_espeak = pytest.mark.skipif(not synthetic.available(), reason="espeak-ng not installed")
TEXT = "I led the migration of our billing system to a new database, and we finished early."


@pytest.fixture(scope="module")
def jfk(fixtures_dir) -> np.ndarray:
    return load_audio(fixtures_dir / "speech_more" / "jfk.flac")


def levels_of(audio: np.ndarray, quiet: float = -40.0, loud: float = -10.0):
    segments = detect_speech(audio)
    series = volume_series(audio, RATE)
    return segments, level_summary(audio, segments, RATE), level_events(
        audio, series, segments, RATE, quiet, loud
    )


@needs_espeak
def test_espeak_amplitude_steps_raise_the_speech_level_monotonically() -> None:
    means = [levels_of(synthetic.speak(TEXT, amplitude=a))[1].mean_speech_dbfs
             for a in (25, 50, 100)]
    assert means[0] < means[1] < means[2]
    # espeak -a is linear in amplitude: each doubling is about +6 dB (measured 6.4, 6.3).
    for step in np.diff(means):
        assert step == pytest.approx(6.0, abs=1.5)


def test_level_tracks_gain_on_real_speech(jfk) -> None:
    base = levels_of(jfk)[1].mean_speech_dbfs
    for gain_db in (-20.0, -10.0):
        scaled = levels_of(jfk * 10 ** (gain_db / 20))[1].mean_speech_dbfs
        assert scaled - base == pytest.approx(gain_db, abs=0.5)


def test_quiet_real_speech_gives_a_too_quiet_event(jfk) -> None:
    _, summary, events = levels_of(jfk * 0.02)  # about -50 dBFS during speech
    quiet = [e for e in events if e.kind == "too_quiet"]
    assert summary.mean_speech_dbfs < -40
    assert quiet and sum(e.end - e.start for e in quiet) > 5.0
    assert not any(e.kind in ("too_loud", "clipping") for e in events)
    assert not any(e.kind == "too_quiet" for e in levels_of(jfk)[2])  # as recorded: fine


def test_clipped_real_speech_gives_clipping_and_too_loud_events(jfk) -> None:
    hot = np.clip(jfk * 8.0, -1.0, 1.0)
    _, summary, events = levels_of(hot)
    kinds = {e.kind for e in events}
    assert {"clipping", "too_loud"} <= kinds
    assert summary.clipped_fraction > 0.01
    clipping = [e for e in events if e.kind == "clipping"]
    assert all(0.0 <= e.start < e.end <= jfk.size / RATE for e in clipping)
    assert not any(e.kind in ("clipping", "too_loud") for e in levels_of(jfk)[2])


def test_signal_to_noise_falls_as_noise_is_added(jfk) -> None:
    # One second of silence either side gives the noise floor something to measure.
    pad = np.zeros(RATE, np.float32)
    clean = np.concatenate([pad, jfk, pad])
    segments = detect_speech(clean)
    speech_power = float(np.mean(prosody_speech(clean, segments) ** 2))
    measured = []
    for snr in (30.0, 20.0, 10.0):
        noise_rms = np.sqrt(speech_power / 10 ** (snr / 10))
        noise = np.random.default_rng(int(snr)).normal(0, noise_rms, clean.size)
        noisy = (clean + noise).astype(np.float32)
        measured.append(signal_to_noise_db(noisy, detect_speech(noisy), RATE))
    assert measured[0] > measured[1] > measured[2]
    for got, true in zip(measured, (30.0, 20.0, 10.0), strict=True):
        assert got == pytest.approx(true, abs=3.0)
    # The recording's own hiss (the 1961 broadcast) sets the clean figure: measured 30.3 dB.
    assert signal_to_noise_db(clean, segments, RATE) > measured[0] - 3.0
    assert signal_to_noise_db(tone(0.1, 3.0), [Segment(0.2, 2.9)], RATE) is None  # < 0.5 s out
    assert signal_to_noise_db(jfk, [], RATE) is None


def prosody_speech(audio: np.ndarray, segments) -> np.ndarray:
    from mockmirror.speech.prosody import speech_samples

    return speech_samples(audio, segments, RATE).astype(np.float64)


@needs_espeak
def test_flat_espeak_reading_is_monotone_and_real_speech_is_not(jfk, fixtures_dir) -> None:
    text = (
        "I led the migration of our billing system to a new database. We finished two weeks "
        "early, and the team learned a lot about planning. Next time I would test sooner."
    )
    flat = synthetic.speak(text, pitch_range=0)
    events = monotone_events(estimate_pitch(flat, detect_speech(flat)), 10.0, 1.5)
    assert len(events) == 1 and events[0].value < 0.5
    assert events[0].end - events[0].start > 0.8 * flat.size / RATE
    varied = synthetic.speak(text)
    assert monotone_events(estimate_pitch(varied, detect_speech(varied)), 10.0, 1.5) == []
    libri = load_audio(fixtures_dir / "speech_more" / "2412-153948-0000.flac")
    for real in (jfk, libri):
        assert monotone_events(estimate_pitch(real, detect_speech(real)), 10.0, 1.5) == []


@needs_espeak
def test_volume_variation_is_higher_for_uneven_loudness() -> None:
    audio = synthetic.speak(TEXT + " " + TEXT)
    segments = detect_speech(audio)
    steady = volume_variation_db(volume_series(audio, RATE), segments)
    # Every other second 16 dB down: a speaker trailing off and recovering (adds ±8 dB).
    gain = np.where((np.arange(audio.size) // RATE) % 2 == 0, 1.0, 0.158).astype(np.float32)
    uneven = volume_variation_db(volume_series(audio * gain, RATE), segments)
    assert steady is not None and uneven > steady + 2.0
    assert volume_variation_db(volume_series(audio, RATE), []) is None
