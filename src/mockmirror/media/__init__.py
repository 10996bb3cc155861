"""Decode recordings: 16 kHz mono audio and timestamped video frames."""

from mockmirror.media.decode import (
    AUDIO_EXTENSIONS,
    VIDEO_EXTENSIONS,
    MediaError,
    MediaInfo,
    VideoFrame,
    iter_frames,
    load_audio,
    probe,
)

__all__ = [
    "AUDIO_EXTENSIONS",
    "VIDEO_EXTENSIONS",
    "MediaError",
    "MediaInfo",
    "VideoFrame",
    "iter_frames",
    "load_audio",
    "probe",
]
