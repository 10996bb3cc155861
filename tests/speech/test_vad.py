"""Voice activity on real speech with a word alignment, and on signals with no speech."""

from __future__ import annotations

import numpy as np
import pytest

from mockmirror.media.decode import load_audio
from mockmirror.speech.corpus import grid_alignment
from mockmirror.speech.vad import detect_speech, prepare

RATE = 16_000
# Silero's first speech frame on GRID swwp2s lands 0.06-0.09 s after the aligned start of "set"
# (a soft /s/); the end of "soon" within 0.03 s.
ONSET_TOLERANCE_S = 0.12


@pytest.fixture(scope="module")
def grid_speech(fixtures_dir):
    audio = load_audio(fixtures_dir / "grid_av" / "audio_16k" / "id2_vcd_swwp2s.wav")
    return audio, grid_alignment(fixtures_dir / "grid_av" / "swwp2s.align")


def test_speech_bounds_match_the_word_alignment(grid_speech) -> None:
    audio, words = grid_speech
    segments = detect_speech(audio)
    assert len(segments) == 1  # one short command: no pause inside
    assert segments[0].start == pytest.approx(words[0].start, abs=ONSET_TOLERANCE_S)
    assert segments[0].end == pytest.approx(words[-1].end, abs=ONSET_TOLERANCE_S)


def test_inserted_silence_shifts_onset_and_shows_as_a_gap(grid_speech) -> None:
    audio, words = grid_speech
    silence = np.zeros(round(0.4 * RATE), np.float32)
    segments = detect_speech(np.concatenate([np.zeros(RATE, np.float32), audio, silence, audio]))
    assert len(segments) == 2
    assert segments[0].start == pytest.approx(1.0 + words[0].start, abs=ONSET_TOLERANCE_S)
    clip_s = len(audio) / RATE
    true_gap = (clip_s - words[-1].end) + 0.4 + words[0].start
    assert segments[1].start - segments[0].end == pytest.approx(true_gap, abs=0.15)


@pytest.mark.parametrize(
    "signal",
    [
        np.zeros(5 * RATE, np.float32),
        np.random.default_rng(0).normal(0, 0.1, 5 * RATE).astype(np.float32),
        np.random.default_rng(1).normal(0, 0.5, 5 * RATE).astype(np.float32),
        (0.3 * np.sin(2 * np.pi * 440 * np.arange(3 * RATE) / RATE)).astype(np.float32),
        np.zeros(100, np.float32),
        np.zeros(0, np.float32),
    ],
    ids=["silence", "white-noise", "loud-noise", "tone", "100-samples", "empty"],
)
def test_no_speech_in_silence_noise_or_tones(signal: np.ndarray) -> None:
    assert detect_speech(signal) == []


def test_prepare_cleans_bad_samples() -> None:
    cleaned = prepare(np.array([np.nan, np.inf, -np.inf, 2.0, -0.5], dtype=np.float64))
    assert cleaned.dtype == np.float32
    assert cleaned.tolist() == [0.0, 1.0, -1.0, 1.0, -0.5]


def test_other_sample_rates_are_refused() -> None:
    with pytest.raises(ValueError, match="16000 Hz"):
        detect_speech(np.zeros(8000, np.float32), sample_rate=8000)
