"""The speech track for one answer: what was said, when, how fast, with what hesitations.

Bad audio never raises: an empty array, silence, noise or a clipped recording each give a track
whose ``note`` and ``reliability`` say what went wrong, and no invented words.
"""

from __future__ import annotations

import numpy as np

from mockmirror.core.arrays import Float32Array, FloatArray
from mockmirror.core.types import Event, MockmirrorError, ProgressFn, no_progress
from mockmirror.models.registry import ModelStore
from mockmirror.settings import Settings
from mockmirror.speech import measures, pace, prosody
from mockmirror.speech.asr import Transcriber
from mockmirror.speech.hesitation import acoustic_filler_events
from mockmirror.speech.pitch import PitchTrack, estimate_pitch
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
        audio: FloatArray | None,
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
        progress("measuring the voice", 0.97)
        pitch = estimate_pitch(samples, segments, SAMPLE_RATE)
        track = self._measure(
            samples, duration, segments, transcript, series, levels, pitch, question_end_s
        )
        progress("done", 1.0)
        return track

    def _measure(
        self,
        samples: Float32Array,
        duration: float,
        segments: list[Segment],
        transcript: Transcript,
        series: list[tuple[float, float]],
        levels: LevelSummary,
        pitch: PitchTrack,
        question_end_s: float,
    ) -> SpeechTrack:
        options = self.settings.speech
        words = transcript.words
        onset = measures.answer_onset(segments, words, question_end_s)
        start = onset if onset is not None else question_end_s
        end = max(s.end for s in segments)
        span = max(0.0, end - start)
        pauses = measures.find_pauses(segments, options.min_pause_s, after_s=start)
        fillers = measures.filler_events(words, segments)
        heard = (
            acoustic_filler_events(segments, words, pitch, after_s=start)
            if options.acoustic_fillers
            else []
        )
        fillers = sorted([*fillers, *heard], key=lambda e: e.start)
        counted = [w for w in words if not w.is_filler and w.end > start]
        speaking = round(speech_time(segments), 3)
        after_onset = [s for s in segments if s.end > start]
        syllables = sum(pace.count_syllables(w.text) for w in counted)
        wpm = measures.per_minute(len(counted), span) if counted else None
        low, high = options.pace_band_wpm
        pace_series = pace.rolling_wpm(counted, start, end, options.pace_window_s)
        pitch_stats = prosody.summarise_pitch(pitch)
        summary = SpeechSummary(
            duration_s=duration,
            speaking_time_s=speaking,
            word_count=len(counted),
            words_per_minute=wpm,
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
            syllables_per_second=_rate(syllables, span) if counted else None,
            articulation_rate_syl_per_s=(
                _rate(syllables, speech_time(after_onset)) if counted else None
            ),
            pace_band_wpm=(low, high),
            pace_in_band=None if wpm is None else low <= wpm <= high,
            acoustic_filler_count=len(heard),
            mean_pitch_hz=pitch_stats.mean_pitch_hz,
            pitch_mean_st=pitch_stats.pitch_mean_st,
            pitch_range_st=pitch_stats.pitch_range_st,
            pitch_variation_st=pitch_stats.pitch_variation_st,
            volume_variation_db=prosody.volume_variation_db(series, segments),
            clipped_fraction=round(levels.clipped_fraction, 5),
            snr_db=prosody.signal_to_noise_db(samples, segments, SAMPLE_RATE),
        )
        band = prosody.high_band_db(samples, segments, SAMPLE_RATE)
        trust = measures.reliability(
            speaking,
            words,
            levels.mean_speech_dbfs,
            levels.clipped_fraction,
            narrow_band=band is not None and band < prosody.NARROW_BAND_DB,
        )
        voice_events = [
            *pace.pace_events(
                pace_series, options.pace_band_wpm, options.pace_window_s, start, end
            ),
            *prosody.monotone_events(pitch, options.monotone_window_s, options.monotone_max_st),
            *prosody.level_events(
                samples, series, segments, SAMPLE_RATE, options.quiet_dbfs, options.loud_dbfs
            ),
        ]
        events = sorted(
            [*fillers, *measures.pause_events(pauses, options.long_pause_s), *voice_events],
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
            pace_series=pace_series,
            pitch_series=prosody.pitch_series(pitch),
        )


def _rate(count: int, seconds: float) -> float | None:
    return round(count / seconds, 2) if seconds >= measures.MIN_SPAN_FOR_RATE_S else None


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
            clipped_fraction=round(levels.clipped_fraction, 5),
        ),
        reliability=measures.reliability(0.0, [], None, levels.clipped_fraction),
        note=note,
    )
