"""What the speech package hands downstream: words, speech segments, series, events, summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from mockmirror.core.types import Event, Reliability


@dataclass(frozen=True, slots=True)
class Word:
    text: str  # as recognised, without surrounding spaces
    start: float  # seconds
    end: float
    probability: float
    is_filler: bool = False


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of detected speech (from voice activity detection)."""

    start: float
    end: float


@dataclass(slots=True)
class Transcript:
    text: str
    words: list[Word]
    language: str
    language_probability: float = 0.0


@dataclass(slots=True)
class SpeechSummary:
    duration_s: float  # of the audio
    speaking_time_s: float  # sum of VAD speech segments
    word_count: int  # fillers excluded
    words_per_minute: float | None  # word_count over the span from first to last speech
    response_latency_s: float | None  # from question end (0 for a recording) to first speech
    pause_count: int = 0  # silences >= min_pause_s between speech segments
    total_pause_s: float = 0.0
    longest_pause_s: float = 0.0
    long_pause_count: int = 0  # pauses >= long_pause_s
    filler_count: int = 0
    filler_rate_per_min: float | None = None
    fillers_by_word: dict[str, int] = field(default_factory=dict)
    mean_volume_dbfs: float | None = None  # over speech only
    asr_mean_probability: float | None = None
    # Pace beyond WPM (docs/speech.md): syllables over the same span, and over speaking time only.
    syllables_per_second: float | None = None
    articulation_rate_syl_per_s: float | None = None
    pace_band_wpm: tuple[float, float] | None = None  # the target band the pace is judged against
    pace_in_band: bool | None = None
    acoustic_filler_count: int = 0  # of filler_count: heard (voiced, no word), not transcribed
    # Prosody: pitch from two-pass YIN; semitones are relative to 100 Hz.
    mean_pitch_hz: float | None = None
    pitch_mean_st: float | None = None
    pitch_range_st: float | None = None  # 5th-95th percentile
    pitch_variation_st: float | None = None  # standard deviation
    volume_variation_db: float | None = None  # SD of 100 ms speech levels
    clipped_fraction: float = 0.0  # share of speech samples on flat tops
    snr_db: float | None = None  # speech vs non-speech power (VAD); None without 0.5 s of non-speech


@dataclass(slots=True)
class SpeechTrack:
    available: bool
    transcript: Transcript
    segments: list[Segment]
    # Loudness series at a fixed hop: (t seconds, dBFS); for the timeline chart.
    volume_series: list[tuple[float, float]]
    events: list[Event]  # filler, pause, long_pause, no_speech, fast/slow_pace, monotone, too_quiet…
    summary: SpeechSummary
    reliability: Reliability
    note: str = ""
    # Rolling pace (t, WPM) every second and pitch (t, Hz) every 100 ms where voiced.
    pace_series: list[tuple[float, float]] = field(default_factory=list)
    pitch_series: list[tuple[float, float]] = field(default_factory=list)

    @classmethod
    def unavailable(cls, note: str, duration_s: float = 0.0) -> SpeechTrack:
        return cls(
            available=False,
            transcript=Transcript(text="", words=[], language=""),
            segments=[],
            volume_series=[],
            events=[],
            summary=SpeechSummary(
                duration_s=duration_s,
                speaking_time_s=0.0,
                word_count=0,
                words_per_minute=None,
                response_latency_s=None,
            ),
            reliability=Reliability(0.0, (note,)),
            note=note,
        )
