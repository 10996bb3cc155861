"""The speech track for one answer: what was said, when, how fast, with what hesitations.

Bad audio never raises: an empty array, silence, noise or a clipped recording each give a track
whose ``note`` and ``reliability`` say what went wrong, and no invented words.
"""

from __future__ import annotations

import numpy as np

from mockmirror.core.types import Event, MockmirrorError, ProgressFn, no_progress
from mockmirror.models.registry import ModelStore
from mockmirror.settings import Settings
from mockmirror.speech import measures
from mockmirror.speech.asr import Transcriber
from mockmirror.speech.prosody import LevelSummary, level_summary, volume_series
from mockmirror.speech.track import Segment, SpeechSummary, SpeechTrack, Transcript
from mockmirror.speech.vad import SAMPLE_RATE, detect_speech, prepare, speech_time

# Analysis runs Whisper in verbatim mode (filler prompt). Without it Whisper drops "um"/"uh",
# the filler count reads ~0 for everyone and the coach would praise fluency it never measured.
# On the project fixtures the prompt changed no WER and added no filler, and with the guards in
# asr.py it costs ~10 % more CPU on short clips, none on a long answer (docs/speech.md).
ANALYSIS_VERBATIM = True


class SpeechAnalyzer:
    """Holds the speech model; ``analyze`` turns 16 kHz mono audio into a ``SpeechTrack``."""

    def __init__(
        self,
        settings: Settings,
        store: ModelStore | None = None,
        transcriber: Transcriber | None = None,
    ) -> None:
        if settings.media.audio_sample_rate != SAMPLE_RATE:
            raise MockmirrorError(
                f"speech analysis needs {SAMPLE_RATE} Hz audio; "
                f"media.audio_sample_rate is {settings.media.audio_sample_rate}"
            )
        self.settings = settings
        self.transcriber = transcriber or Transcriber(settings, store)
        self.verbatim = ANALYSIS_VERBATIM

    def analyze(
        self,
        audio: np.ndarray,
        question_end_s: float = 0.0,
        progress: ProgressFn = no_progress,
    ) -> SpeechTrack:
        samples = prepare(audio) if audio is not None else np.zeros(0, dtype=np.float32)
        duration = round(samples.size / SAMPLE_RATE, 3)
        if samples.size == 0:
            return SpeechTrack.unavailable("the recording has no audio samples")
        progress("detecting speech", 0.0)
        segments = detect_speech(samples)
        series = volume_series(samples, SAMPLE_RATE)
        levels = level_summary(samples, segments, SAMPLE_RATE)
        if not segments:
            return _no_speech_track(duration, series, levels)
        transcript = self.transcriber.transcribe(
            samples,
            fillers=self.verbatim,
            speech=segments,
            progress=lambda stage, f: progress(stage, 0.05 + 0.9 * f),
        )
        track = self._measure(duration, segments, transcript, series, levels, question_end_s)
        progress("done", 1.0)
        return track

    def _measure(
        self,
        duration: float,
        segments: list[Segment],
        transcript: Transcript,
        series: list[tuple[float, float]],
        levels: LevelSummary,
        question_end_s: float,
    ) -> SpeechTrack:
        options = self.settings.speech
        words = transcript.words
        onset = measures.answer_onset(segments, words, question_end_s)
        start = onset if onset is not None else question_end_s
        end = max(s.end for s in segments)
        span = max(0.0, end - start)
        pauses = measures.find_pauses(segments, options.min_pause_s, after_s=start)
        fillers = measures.filler_events(words)
        counted = [w for w in words if not w.is_filler and w.end > start]
        speaking = round(speech_time(segments), 3)
        summary = SpeechSummary(
            duration_s=duration,
            speaking_time_s=speaking,
            word_count=len(counted),
            words_per_minute=measures.per_minute(len(counted), span) if counted else None,
            response_latency_s=round(onset - question_end_s, 3) if onset is not None else None,
            pause_count=len(pauses),
            total_pause_s=round(sum((p.duration for p in pauses), 0.0), 3),
            longest_pause_s=round(max((p.duration for p in pauses), default=0.0), 3),
            long_pause_count=sum(p.duration >= options.long_pause_s for p in pauses),
            filler_count=len(fillers),
            filler_rate_per_min=measures.per_minute(len(fillers), span),
            fillers_by_word=measures.fillers_by_word(fillers),
            mean_volume_dbfs=levels.mean_speech_dbfs,
            asr_mean_probability=(
                round(sum(w.probability for w in words) / len(words), 3) if words else None
            ),
        )
        trust = measures.reliability(
            speaking, words, levels.mean_speech_dbfs, levels.clipped_fraction
        )
        events = sorted(
            [*fillers, *measures.pause_events(pauses, options.long_pause_s)],
            key=lambda e: (e.start, e.kind),
        )
        note = "" if words else "speech-like sound detected, but no words were recognised"
        return SpeechTrack(
            available=True,
            transcript=transcript,
            segments=segments,
            volume_series=series,
            events=events,
            summary=summary,
            reliability=trust,
            note=note,
        )


def _no_speech_track(
    duration: float, series: list[tuple[float, float]], levels: LevelSummary
) -> SpeechTrack:
    """Silence or noise: the answer had no speech. That is itself the finding."""
    quiet = levels.peak_dbfs <= -60.0
    note = "no speech detected: " + (
        "the recording is silent (is the microphone muted?)" if quiet else "only non-speech sound"
    )
    return SpeechTrack(
        available=True,
        transcript=Transcript(text="", words=[], language=""),
        segments=[],
        volume_series=series,
        events=[Event("no_speech", 0.0, duration, duration, "no speech detected")],
        summary=SpeechSummary(
            duration_s=duration,
            speaking_time_s=0.0,
            word_count=0,
            words_per_minute=None,
            response_latency_s=None,
            mean_volume_dbfs=None,
        ),
        reliability=measures.reliability(0.0, [], None, levels.clipped_fraction),
        note=note,
    )
