"""The speech track of whole answers: latency, pauses, pace and honest results for bad audio.

The assembled answer is real speech with known timing: GRID clip swwp2s (its word alignment
says speech runs 0.49-2.21 s of the 2.98 s clip) joined with silences of known length.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np
import pytest
from speech_helpers import words_from

from mockmirror.core.types import no_progress
from mockmirror.media.decode import load_audio
from mockmirror.speech.analyzer import SpeechAnalyzer
from mockmirror.speech.corpus import grid_alignment
from mockmirror.speech.fillers import tag_fillers
from mockmirror.speech.track import Segment, Transcript

RATE = 16_000
LEAD_S, LONG_GAP_S, SHORT_GAP_S, TAIL_S = 1.5, 2.5, 0.6, 1.0
# Measured: latency +0.09 s (Silero's onset on the soft /s/ of "set"), pauses within 0.02 s.
TIMING_TOLERANCE_S = 0.15


def silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * RATE), np.float32)


@dataclass(frozen=True)
class Answer:
    audio: np.ndarray
    clip_s: float
    speech_start: float  # within the clip, from the alignment
    speech_end: float

    def clip_offset(self, index: int) -> float:
        gaps = [0.0, LONG_GAP_S, LONG_GAP_S + SHORT_GAP_S][index]
        return LEAD_S + index * self.clip_s + gaps


@pytest.fixture(scope="module")
def answer(fixtures_dir) -> Answer:
    clip = load_audio(fixtures_dir / "grid_av" / "audio_16k" / "id2_vcd_swwp2s.wav")
    aligned = grid_alignment(fixtures_dir / "grid_av" / "swwp2s.align")
    audio = np.concatenate(
        [
            silence(LEAD_S),
            clip,
            silence(LONG_GAP_S),
            clip,
            silence(SHORT_GAP_S),
            clip,
            silence(TAIL_S),
        ]
    )
    return Answer(audio, len(clip) / RATE, aligned[0].start, aligned[-1].end)


@pytest.fixture(scope="module")
def answer_track(speech_analyzer, answer):
    stages: list[tuple[str, float]] = []
    track = speech_analyzer.analyze(answer.audio, progress=lambda s, f: stages.append((s, f)))
    return track, stages


def test_response_latency_is_the_first_speech_onset(answer_track, answer) -> None:
    summary = answer_track[0].summary
    assert summary.response_latency_s == pytest.approx(
        LEAD_S + answer.speech_start, abs=TIMING_TOLERANCE_S
    )


def test_inserted_pauses_are_found_and_classified(answer_track, answer) -> None:
    track = answer_track[0]
    silent_tail = answer.clip_s - answer.speech_end
    long_true = silent_tail + LONG_GAP_S + answer.speech_start
    short_true = silent_tail + SHORT_GAP_S + answer.speech_start
    long_pauses = [e for e in track.events if e.kind == "long_pause"]
    pauses = [e for e in track.events if e.kind == "pause"]
    assert len(long_pauses) == 1 and len(pauses) == 1
    assert long_pauses[0].duration == pytest.approx(long_true, abs=TIMING_TOLERANCE_S)
    assert long_pauses[0].start == pytest.approx(
        answer.clip_offset(0) + answer.speech_end, abs=TIMING_TOLERANCE_S
    )
    assert pauses[0].duration == pytest.approx(short_true, abs=TIMING_TOLERANCE_S)
    summary = track.summary
    assert (summary.pause_count, summary.long_pause_count) == (2, 1)
    assert summary.longest_pause_s == pytest.approx(long_true, abs=TIMING_TOLERANCE_S)
    assert summary.total_pause_s == pytest.approx(
        long_true + short_true, abs=2 * TIMING_TOLERANCE_S
    )


def test_words_pace_and_levels(answer_track, answer) -> None:
    track = answer_track[0]
    summary = track.summary
    assert summary.word_count == 15  # "Set white with P2 soon." three times
    assert track.transcript.text.lower().count("white") == 3
    span = (answer.clip_offset(2) + answer.speech_end) - (LEAD_S + answer.speech_start)
    assert summary.words_per_minute == pytest.approx(15 * 60 / span, rel=0.1)
    assert summary.speaking_time_s == pytest.approx(
        3 * (answer.speech_end - answer.speech_start), abs=0.4
    )
    assert summary.duration_s == pytest.approx(len(answer.audio) / RATE)
    assert summary.filler_count == 0 and summary.filler_rate_per_min == 0.0
    assert -25 < summary.mean_volume_dbfs < -10
    assert 0.5 < summary.asr_mean_probability <= 1.0
    assert track.reliability.score == 1.0 and track.note == ""
    assert len(track.segments) == 3
    # Volume series: 100 ms hops over the whole recording; silences at the floor.
    assert len(track.volume_series) == int(summary.duration_s * 10)
    assert track.volume_series[2][1] == -100.0


def test_progress_is_reported_in_order(answer_track) -> None:
    stages = answer_track[1]
    fractions = [f for _, f in stages]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions) and all(0.0 <= f <= 1.0 for f in fractions)


class ScriptedTranscriber:
    """Stands in for Whisper: returns fixed words, records whether it was asked."""

    def __init__(self, text: str = "", offset_s: float = 0.0) -> None:
        self.words = tag_fillers(
            [replace(w, start=w.start + offset_s, end=w.end + offset_s) for w in words_from(text)]
        )
        self.calls = 0

    def transcribe(self, audio, fillers=False, speech=None, progress=no_progress) -> Transcript:
        self.calls += 1
        return Transcript(" ".join(w.text for w in self.words), self.words, "en")


def test_fillers_are_events_and_not_counted_as_words(settings, answer) -> None:
    # Words placed inside the first clip's speech (1.99-3.71 s) so they survive as the answer.
    scripted = ScriptedTranscriber("Um, I think, you know, we shipped", offset_s=2.0)
    track = SpeechAnalyzer(settings, transcriber=scripted).analyze(answer.audio)
    summary = track.summary
    assert summary.word_count == 4  # I think we shipped
    assert summary.filler_count == 2
    assert summary.fillers_by_word == {"um": 1, "you know": 1}
    fillers = [e for e in track.events if e.kind == "filler"]
    assert [e.label for e in fillers] == ["um", "you know"]
    assert summary.filler_rate_per_min is not None and summary.filler_rate_per_min > 0


def test_question_end_moves_the_latency_origin(settings, answer) -> None:
    scripted = ScriptedTranscriber("set white", offset_s=2.0)
    track = SpeechAnalyzer(settings, transcriber=scripted).analyze(answer.audio, question_end_s=1.0)
    assert track.summary.response_latency_s == pytest.approx(
        LEAD_S + answer.speech_start - 1.0, abs=0.15
    )


@pytest.mark.parametrize(
    ("signal", "note"),
    [
        (silence(4.0), "silent"),
        (np.random.default_rng(0).normal(0, 0.1, 4 * RATE).astype(np.float32), "non-speech"),
        (np.full(2 * RATE, np.nan, np.float32), "silent"),
    ],
    ids=["silence", "white-noise", "nan"],
)
def test_no_speech_gives_an_empty_track_without_running_whisper(settings, signal, note) -> None:
    scripted = ScriptedTranscriber("invented words")
    track = SpeechAnalyzer(settings, transcriber=scripted).analyze(signal)
    assert scripted.calls == 0
    assert track.transcript.words == [] and track.summary.word_count == 0
    assert track.summary.words_per_minute is None and track.summary.response_latency_s is None
    assert [e.kind for e in track.events] == ["no_speech"]
    assert track.reliability.score == 0.0
    assert "no speech" in track.note and note in track.note


@pytest.mark.parametrize("samples", [0, 1, 100])
def test_empty_or_tiny_audio_does_not_raise(speech_analyzer, samples: int) -> None:
    track = speech_analyzer.analyze(np.zeros(samples, np.float32))
    assert track.transcript.words == []
    if samples == 0:
        assert not track.available and "no audio" in track.note


def test_real_noise_and_silence_give_no_words_with_the_real_model(speech_analyzer) -> None:
    noise = np.random.default_rng(3).normal(0, 0.2, 6 * RATE).astype(np.float32)
    for signal in (silence(6.0), noise):
        track = speech_analyzer.analyze(signal)
        assert track.transcript.words == [] and track.transcript.text == ""


def test_clipped_recording_is_transcribed_but_flagged(speech_analyzer, fixtures_dir) -> None:
    clip = load_audio(fixtures_dir / "speech_more" / "jfk.flac")
    track = speech_analyzer.analyze(np.clip(clip * 8.0, -1.0, 1.0))
    assert "country" in track.transcript.text.lower()
    assert any("clipping" in reason for reason in track.reliability.reasons)
    assert track.reliability.score <= 0.5


def test_very_quiet_recording_is_flagged(speech_analyzer, fixtures_dir) -> None:
    clip = load_audio(fixtures_dir / "speech_more" / "jfk.flac")
    track = speech_analyzer.analyze(clip * 0.003)  # about -65 dBFS during speech
    assert any("low recording level" in reason for reason in track.reliability.reasons)
    assert track.reliability.score < 1.0


def test_segments_are_sorted_and_inside_the_recording(answer_track, answer) -> None:
    segments: list[Segment] = answer_track[0].segments
    assert all(0 <= s.start < s.end <= len(answer.audio) / RATE for s in segments)
    assert all(a.end <= b.start for a, b in pairwise(segments))
