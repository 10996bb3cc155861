"""Latency, pauses, rates and reliability from segments and words (no model)."""

from __future__ import annotations

import pytest
from speech_helpers import words_from

from mockmirror.speech.measures import (
    Pause,
    answer_onset,
    filler_events,
    fillers_by_word,
    find_pauses,
    pause_events,
    per_minute,
    reliability,
)
from mockmirror.speech.track import Segment, Word
from mockmirror.speech.vad import merge_close, speech_time


def test_merge_close_bridges_gaps_shorter_than_a_pause() -> None:
    segments = [Segment(0.0, 1.0), Segment(1.2, 2.0), Segment(2.5, 3.0)]
    assert merge_close(segments, 0.3) == [Segment(0.0, 2.0), Segment(2.5, 3.0)]
    assert speech_time(segments) == pytest.approx(2.3)


def test_pauses_are_gaps_between_speech_not_leading_or_trailing_silence() -> None:
    segments = [Segment(1.0, 2.0), Segment(2.1, 3.0), Segment(3.5, 4.0), Segment(6.5, 7.0)]
    pauses = find_pauses(segments, min_pause_s=0.3)
    assert pauses == [Pause(3.0, 3.5), Pause(4.0, 6.5)]
    events = pause_events(pauses, long_pause_s=2.0)
    assert [(e.kind, e.value) for e in events] == [("pause", 0.5), ("long_pause", 2.5)]
    # Speech before the answer starts (during the question) does not make pauses.
    assert find_pauses(segments, 0.3, after_s=4.5) == []


def test_answer_onset_skips_wordless_noise_and_speech_during_the_question() -> None:
    cough = Segment(0.5, 0.7)
    answer = Segment(2.0, 4.0)
    words = [Word("hello", 2.1, 2.5, 0.9)]
    assert answer_onset([cough, answer], words) == 2.0
    assert answer_onset([cough, answer], []) == 0.5  # no words at all: first speech
    assert answer_onset([cough, answer], words, question_end_s=3.0) == 3.0  # already speaking
    assert answer_onset([cough], [], question_end_s=1.0) is None


def test_filler_events_one_per_phrase_with_label_and_counts() -> None:
    events = filler_events(words_from("Um, I think, you know, it worked, um."))
    assert [(e.kind, e.label) for e in events] == [
        ("filler", "um"),
        ("filler", "you know"),
        ("filler", "um"),
    ]
    you_know = events[1]
    assert you_know.end - you_know.start == pytest.approx(0.55)  # both words
    assert fillers_by_word(events) == {"um": 2, "you know": 1}


def test_per_minute_needs_a_real_span() -> None:
    assert per_minute(30, 15.0) == 120.0
    assert per_minute(3, 0.5) is None


def test_reliability_reasons_multiply() -> None:
    good = [Word("fine", 0, 1, 0.9)]
    assert reliability(30.0, good, -20.0, 0.0).score == 1.0
    assert reliability(0.0, [], None, 0.0).score == 0.0
    unsure = reliability(30.0, [Word("x", 0, 1, 0.2)], -20.0, 0.0)
    assert unsure.score == pytest.approx(0.6) and "low recognition confidence" in unsure.reasons[0]
    quiet_and_clipped = reliability(30.0, good, -60.0, 0.05)
    assert quiet_and_clipped.score == pytest.approx(0.3)
    assert any("low recording level" in r for r in quiet_and_clipped.reasons)
    assert any("clipping" in r for r in quiet_and_clipped.reasons)
    short = reliability(1.5, good, -20.0, 0.0)
    assert short.score == pytest.approx(0.5) and "little speech" in short.reasons[0]
    wordless = reliability(10.0, [], -20.0, 0.0)
    assert wordless.score == pytest.approx(0.2)


def test_filled_pauses_written_back_to_back_are_one_hesitation() -> None:
    # Whisper writes one long "uhm" as "Er, um..." with touching timestamps.
    words = [
        Word("Er,", 1.0, 1.2, 0.8, True), Word("um...", 1.2, 1.5, 0.6, True),
        Word("so", 1.6, 1.8, 0.9), Word("uh", 2.5, 2.7, 0.9, True), Word("um", 3.2, 3.4, 0.9, True),
    ]  # fmt: skip
    events = filler_events(words)
    assert [(e.start, e.end, e.label) for e in events] == [
        (1.0, 1.5, "um"), (2.5, 2.7, "uh"), (3.2, 3.4, "um"),
    ]  # fmt: skip
    assert events[0].confidence == pytest.approx(0.7)
    # Further apart, but inside one stretch of speech with no word between: one sound.
    spaced = [Word("Er,", 1.0, 1.1, 0.8, True), Word("um...", 1.45, 1.5, 0.6, True)]
    assert len(filler_events(spaced)) == 2
    assert len(filler_events(spaced, [Segment(0.9, 1.6)])) == 1
    assert len(filler_events(spaced, [Segment(0.9, 1.15), Segment(1.4, 1.6)])) == 2
