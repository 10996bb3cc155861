"""Where speech is: Silero voice activity detection, as bundled with faster-whisper.

Latency and pauses are measured here, not from Whisper's word timestamps: Whisper pulls the first
word after a silence back into the silence (often by 0.3-0.4 s), while Silero places onsets to
within a frame or two (32 ms frames). The settings below are tuned to resolve short pauses,
unlike faster-whisper's own VAD defaults (2 s minimum silence, 0.4 s padding) which suit ASR.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from faster_whisper.vad import VadOptions, get_speech_timestamps

from mockmirror.core.arrays import Float32Array, FloatArray
from mockmirror.speech.track import Segment

SAMPLE_RATE = 16_000  # Silero and Whisper both work on 16 kHz mono
_FRAME = 512  # Silero window at 16 kHz (32 ms)


@dataclass(frozen=True, slots=True)
class VadConfig:
    # Silero's own default; lower values start to accept breaths and room noise.
    threshold: float = 0.5
    # Gaps shorter than this are bridged. Well under the 0.3 s smallest pause we report, so a
    # 0.3 s pause always shows as a gap; shorter gaps (stop closures) are merged later anyway.
    min_silence_s: float = 0.1
    # Blips shorter than this (clicks, lip smacks) are not speech; a short "uh" is ~0.15 s.
    min_speech_s: float = 0.1
    # One Silero frame each side: makes up for its onset lag without hiding short pauses.
    pad_s: float = 0.03


def detect_speech(
    audio: FloatArray, sample_rate: int = SAMPLE_RATE, config: VadConfig | None = None
) -> list[Segment]:
    """Speech segments (seconds) in 16 kHz mono audio; empty for silence, noise or no audio."""
    if sample_rate != SAMPLE_RATE:
        raise ValueError(
            f"voice activity detection needs {SAMPLE_RATE} Hz audio, got {sample_rate}"
        )
    samples = prepare(audio)
    if samples.size < _FRAME:
        return []
    config = config or VadConfig()
    options = VadOptions(
        threshold=config.threshold,
        min_silence_duration_ms=round(config.min_silence_s * 1000),
        min_speech_duration_ms=round(config.min_speech_s * 1000),
        speech_pad_ms=round(config.pad_s * 1000),
    )
    chunks = get_speech_timestamps(samples, options, sampling_rate=sample_rate)
    return [Segment(c["start"] / sample_rate, c["end"] / sample_rate) for c in chunks]


def prepare(audio: FloatArray) -> Float32Array:
    """1-D float32 without NaN/inf, clipped to [-1, 1]: what both models expect."""
    samples = np.asarray(audio, dtype=np.float32).reshape(-1)
    if not np.isfinite(samples).all():
        samples = np.nan_to_num(samples, nan=0.0, posinf=1.0, neginf=-1.0)
    return np.ascontiguousarray(np.clip(samples, -1.0, 1.0))


def merge_close(segments: list[Segment], min_gap_s: float) -> list[Segment]:
    """Join segments separated by less than ``min_gap_s``: such gaps are not pauses."""
    merged: list[Segment] = []
    for segment in sorted(segments, key=lambda s: s.start):
        if merged and segment.start - merged[-1].end < min_gap_s:
            merged[-1] = Segment(merged[-1].start, max(merged[-1].end, segment.end))
        else:
            merged.append(segment)
    return merged


def speech_time(segments: list[Segment]) -> float:
    return sum(s.end - s.start for s in segments)
