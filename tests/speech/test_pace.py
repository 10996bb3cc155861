"""Pace: syllable counts, the rolling 20 s window, and espeak-ng read at controlled rates.

espeak-ng speech is synthetic, read at a known rate (``-s`` words per minute); the pace
measured through the whole pipeline (Silero, Whisper, our counting) must follow it.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from mockmirror.speech import synthetic
from mockmirror.speech.analyzer import SpeechAnalyzer
from mockmirror.speech.pace import count_syllables, pace_events, rolling_wpm
from mockmirror.speech.track import Word

RATE = 16_000
needs_espeak = pytest.mark.skipif(not synthetic.available(), reason="espeak-ng not installed")
ANSWER = synthetic.SAMPLE_ANSWER


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("database", 3), ("make", 1), ("table", 2), ("worked", 1), ("started", 2),
        ("planning", 2), ("P2", 2), ("1813", 4), ("a", 1), ("rhythm", 1), ("", 0), ("—", 0),
    ],
)  # fmt: skip
def test_syllables_from_spelling(word: str, syllables: int) -> None:
    assert count_syllables(word) == syllables


def steady_words(wpm: float, start: float, end: float) -> list[Word]:
    step = 60.0 / wpm
    times = np.arange(start, end - 1e-9, step)
    return [Word("word", float(t), float(t) + 0.8 * step, 0.9) for t in times]


def test_rolling_window_is_20_s_wide_and_steps_each_second() -> None:
    words = steady_words(120, 0.0, 30.0) + steady_words(180, 30.0, 60.0)
    series = rolling_wpm(words, 0.0, 60.0, 20.0)
    times = [t for t, _ in series]
    assert times[0] == 10.0 and times[-1] == 50.0 and np.allclose(np.diff(times), 1.0)
    values = dict(series)
    assert values[10.0] == pytest.approx(120, abs=3)  # window 0-20 s: all slow
    assert values[50.0] == pytest.approx(180, abs=3)  # window 40-60 s: all fast
    assert values[30.0] == pytest.approx(150, abs=3)  # half and half
    # The change takes one window width to pass: monotonic in between.
    middle = [v for t, v in series if 20.0 <= t <= 40.0]
    assert all(b >= a - 3 for a, b in pairwise(middle))


def test_short_answer_gets_one_value_and_no_pace_events() -> None:
    words = steady_words(200, 1.0, 11.0)
    series = rolling_wpm(words, 1.0, 11.0, 20.0)
    assert series == [(6.0, pytest.approx(200, abs=7))]
    assert pace_events(series, (130, 165), 20.0, 1.0, 11.0) == []
    assert rolling_wpm([], 0.0, 30.0, 20.0) == []


def test_pace_events_follow_the_band() -> None:
    words = steady_words(100, 0.0, 40.0) + steady_words(200, 40.0, 80.0)
    series = rolling_wpm(words, 0.0, 80.0, 20.0)
    events = sorted(pace_events(series, (130, 165), 20.0, 0.0, 80.0), key=lambda e: e.start)
    assert [e.kind for e in events] == ["slow_pace", "fast_pace"]
    slow, fast = events
    assert slow.start == 0.0 and slow.value == pytest.approx(100, abs=3)
    assert fast.end == 80.0 and fast.value == pytest.approx(200, abs=3)
    assert "target 130-165" in fast.label
    # A wider band finds nothing to say.
    assert pace_events(series, (90, 210), 20.0, 0.0, 80.0) == []


@pytest.fixture(scope="module")
def espeak_rates(speech_analyzer):
    """The same answer read at 100, 150 and 200 WPM (synthetic), analysed end to end."""
    if not synthetic.available():
        pytest.skip("espeak-ng not installed")
    tracks = {}
    for rate in (100, 150, 200):
        audio = np.concatenate([np.zeros(RATE // 2, np.float32), synthetic.speak(ANSWER, rate)])
        tracks[rate] = speech_analyzer.analyze(audio)
    return tracks


@needs_espeak
def test_measured_pace_follows_the_espeak_rate(espeak_rates) -> None:
    wpm = [espeak_rates[r].summary.words_per_minute for r in (100, 150, 200)]
    syl = [espeak_rates[r].summary.syllables_per_second for r in (100, 150, 200)]
    assert wpm[0] < wpm[1] < wpm[2]
    assert syl[0] < syl[1] < syl[2]
    for rate, measured in zip((100, 150, 200), wpm, strict=True):
        assert measured == pytest.approx(rate, rel=0.25)  # espeak's -s is nominal
    # Articulation rate (speaking time only) is at least the overall rate (which counts pauses).
    for track in espeak_rates.values():
        s = track.summary
        assert s.articulation_rate_syl_per_s >= s.syllables_per_second
        assert s.word_count >= 70  # 76 words read


@needs_espeak
def test_pace_band_comes_from_settings(espeak_rates, settings, transcriber) -> None:
    for track in espeak_rates.values():
        s = track.summary
        assert s.pace_band_wpm == (130.0, 165.0)
        assert s.pace_in_band is (130.0 <= s.words_per_minute <= 165.0)
    measured = espeak_rates[100].summary.words_per_minute
    assert espeak_rates[100].summary.pace_in_band is False  # read at 100: slow
    speech = settings.speech.model_copy(update={"pace_band_wpm": (measured - 15, measured + 15)})
    custom = SpeechAnalyzer(settings.model_copy(update={"speech": speech}), transcriber=transcriber)
    audio = np.concatenate([np.zeros(RATE // 2, np.float32), synthetic.speak(ANSWER, 100)])
    summary = custom.analyze(audio).summary
    assert summary.pace_band_wpm == (measured - 15, measured + 15)
    assert summary.pace_in_band is True


@needs_espeak
def test_rolling_pace_sees_a_speaker_speed_up(speech_analyzer) -> None:
    """~25 s at 110 WPM, then ~25 s at 210 WPM: slow, then fast, in the 20 s window."""
    half = ANSWER.split(". ")
    slow = synthetic.speak(". ".join(half[:3]) + ".", rate_wpm=110)
    fast = synthetic.speak(ANSWER + " " + ". ".join(half[:2]) + ".", rate_wpm=210)
    gap = np.zeros(round(0.3 * RATE), np.float32)
    audio = np.concatenate([gap, slow, gap, fast, gap])
    track = speech_analyzer.analyze(audio)
    series = track.pace_series
    assert len(series) >= 10
    first, last = series[0][1], series[-1][1]
    assert first < 135 and last > 175
    kinds = [e.kind for e in track.events if e.kind in ("slow_pace", "fast_pace")]
    assert kinds == ["slow_pace", "fast_pace"]
    change = (gap.size + slow.size) / RATE
    fast_event = next(e for e in track.events if e.kind == "fast_pace")
    assert fast_event.start > change - 20.0 and fast_event.end > change
