"""Two-pass YIN pitch: known tones, espeak-ng at controlled pitch, and real fixture voices.

espeak-ng speech is synthetic (its ``-p`` sets the voice's base pitch); the octave checks run on
the real recordings, against an independent cepstral estimate where the speaker's pitch is
not otherwise known.
"""

from __future__ import annotations

import numpy as np
import pytest

from mockmirror.media.decode import load_audio
from mockmirror.speech import synthetic
from mockmirror.speech.pitch import WIDE_RANGE_HZ, estimate_pitch, hz_to_semitones, yin
from mockmirror.speech.prosody import pitch_series, summarise_pitch
from mockmirror.speech.vad import detect_speech

RATE = 16_000
TEXT = "I led the migration of our billing system to a new database, and we finished early."
needs_espeak = pytest.mark.skipif(not synthetic.available(), reason="espeak-ng not installed")


def harmonic(f0: float, seconds: float = 1.0, harmonics: int = 10) -> np.ndarray:
    """A voice-like tone: harmonics falling off as 1/k, the fundamental included."""
    t = np.arange(round(seconds * RATE)) / RATE
    wave = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, harmonics + 1))
    return (0.3 * wave / np.abs(wave).max()).astype(np.float32)


@pytest.mark.parametrize("f0", [85.0, 120.0, 210.0, 330.0])
def test_yin_finds_the_fundamental_of_a_harmonic_tone(f0: float) -> None:
    track = estimate_pitch(harmonic(f0))
    voiced = track.f0_hz[track.voiced]
    assert voiced.size > 80  # of ~97 frames
    assert np.median(voiced) == pytest.approx(f0, rel=0.01)


def test_missing_fundamental_is_not_read_an_octave_up() -> None:
    # Telephone band removes the fundamental; the period (and the pitch heard) stays the same.
    t = np.arange(RATE) / RATE
    wave = sum(np.sin(2 * np.pi * 110.0 * k * t) / k for k in range(3, 12))
    track = estimate_pitch((0.3 * wave / np.abs(wave).max()).astype(np.float32))
    assert np.median(track.f0_hz[track.voiced]) == pytest.approx(110.0, rel=0.02)


def test_silence_and_noise_are_unvoiced() -> None:
    noise = np.random.default_rng(0).normal(0, 0.1, RATE).astype(np.float32)
    for signal in (np.zeros(RATE, np.float32), noise):
        track = estimate_pitch(signal, [])
        assert not track.voiced.any()
        assert summarise_pitch(track).mean_pitch_hz is None
    assert estimate_pitch(np.zeros(100, np.float32)).times.size == 0


@needs_espeak
def test_espeak_pitch_setting_raises_the_measured_pitch_monotonically() -> None:
    means = []
    for setting in (30, 50, 70):
        audio = synthetic.speak(TEXT, pitch=setting)
        summary = summarise_pitch(estimate_pitch(audio, detect_speech(audio)))
        means.append(summary.mean_pitch_hz)
    assert means[0] < means[1] < means[2]
    # Measured 83.8, 100.7, 123.7 Hz: about 3.3 semitones per 20 steps of -p.
    assert 2.0 < float(hz_to_semitones(means[2] / means[0], 1.0)) / 2 < 5.0
    assert means[0] > 70 and means[2] < 150


@needs_espeak
def test_flat_intonation_has_less_pitch_variation() -> None:
    variation = []
    for percent in (0, 20, 100):
        audio = synthetic.speak(TEXT, pitch_range=percent)
        variation.append(summarise_pitch(estimate_pitch(audio, detect_speech(audio))))
    sds = [v.pitch_variation_st for v in variation]
    assert sds[0] < sds[1] < sds[2]
    assert sds[0] < 0.5 and sds[2] > 1.2  # measured 0.15, 0.41, 1.76 semitones
    assert variation[0].pitch_range_st < variation[2].pitch_range_st


def cepstral_median(audio: np.ndarray, times: np.ndarray) -> float:
    """Median pitch by the real cepstrum at the given frame times (an independent method)."""
    size, out = 1024, []
    quefrencies = np.arange(RATE // 500, RATE // 60)
    for t in times:
        i = round(t * RATE) - size // 2
        if i >= 0 and i + size <= audio.size:
            spectrum = np.abs(np.fft.rfft(audio[i : i + size] * np.hanning(size)))
            cepstrum = np.fft.irfft(np.log(spectrum + 1e-9))
            out.append(RATE / quefrencies[np.argmax(cepstrum[quefrencies])])
    return float(np.median(out))


def octave_jumps(f0: np.ndarray) -> tuple[int, int]:
    """Adjacent voiced frames more than 9 semitones apart, and adjacent voiced pairs."""
    st = hz_to_semitones(f0)
    both = np.isfinite(st[1:]) & np.isfinite(st[:-1])
    return int((np.abs(np.diff(st))[both] > 9).sum()), int(both.sum())


@pytest.mark.parametrize(
    ("clip", "low_hz", "high_hz"),
    [
        ("speech_more/jfk.flac", 180, 320),  # emphatic oratory, cepstrum median 250 Hz
        ("speech_more/2412-153948-0000.flac", 170, 270),  # LibriSpeech reader, median 211 Hz
        ("grid_av/audio_16k/id2_vcd_swwp2s.wav", 70, 140),  # GRID male speaker
        ("grid_av/audio_16k/brbk7n.wav", 160, 240),  # GRID female speaker
        ("speech/goforward/goforward.wav", 80, 150),
    ],
)
def test_real_voices_have_plausible_pitch_and_no_octave_errors(
    fixtures_dir, clip: str, low_hz: float, high_hz: float
) -> None:
    audio = load_audio(fixtures_dir / clip)
    segments = detect_speech(audio)
    track = estimate_pitch(audio, segments)
    voiced = track.f0_hz[track.voiced]
    low, median, high = np.percentile(voiced, [5, 50, 95])
    assert low_hz <= median <= high_hz
    # The speaker's 5th-95th percentile stays within about an octave (no halving or doubling).
    assert high / low < 2.0
    jumps, pairs = octave_jumps(track.f0_hz)
    assert jumps <= 0.01 * pairs
    # The second pass is at least as clean as one wide pass.
    times, wide, _ = yin(audio, *WIDE_RANGE_HZ)
    inside = np.zeros(times.shape, dtype=bool)
    for s in segments:
        inside |= (times >= s.start) & (times < s.end)
    assert jumps <= octave_jumps(np.where(inside, wide, np.nan))[0]
    # An independent method agrees within a semitone.
    cepstral = cepstral_median(audio, track.times[track.voiced])
    assert abs(float(hz_to_semitones(median / cepstral, 1.0))) < 1.0


def test_pitch_series_is_100_ms_medians_of_voiced_frames(fixtures_dir) -> None:
    audio = load_audio(fixtures_dir / "speech_more" / "jfk.flac")
    track = estimate_pitch(audio, detect_speech(audio))
    series = pitch_series(track)
    times = [t for t, _ in series]
    assert times == sorted(times) and all(round(t * 100) % 10 == 5 for t in times)
    assert len(series) > 30
    assert all(track.range_hz[0] <= hz <= track.range_hz[1] for _, hz in series)


def test_long_recording_is_processed_in_blocks_with_the_same_result(fixtures_dir) -> None:
    audio = load_audio(fixtures_dir / "speech_more" / "jfk.flac")
    short = estimate_pitch(audio, None)
    long = estimate_pitch(np.tile(audio, 3), None)  # 33 s: more than one 2000-frame block
    n = short.times.size
    same = np.isfinite(short.f0_hz) & np.isfinite(long.f0_hz[:n])
    assert same.sum() > 0.9 * np.isfinite(short.f0_hz).sum()
    assert np.allclose(short.f0_hz[same], long.f0_hz[:n][same], rtol=0.02)
