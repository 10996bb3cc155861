"""Decode any common container with PyAV: 16 kHz mono audio and video frames at a fixed rate.

Frames keep their true presentation timestamps (seconds from the start of the stream), so every
face measure can be placed on the same clock as the words.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np
import numpy.typing as npt

from mockmirror.core.arrays import Float32Array, UInt8Array
from mockmirror.core.types import MockmirrorError


class MediaError(MockmirrorError):
    """The input cannot be decoded; the message says why in one line."""


AUDIO_EXTENSIONS = {".wav", ".mp3", ".m4a", ".flac", ".ogg", ".opus", ".aac", ".wma"}
VIDEO_EXTENSIONS = {".mp4", ".webm", ".mov", ".mkv", ".mpg", ".mpeg", ".avi", ".m4v", ".y4m"}


@dataclass(frozen=True, slots=True)
class MediaInfo:
    path: Path
    duration: float  # seconds, best estimate over all streams
    has_audio: bool
    has_video: bool
    width: int = 0
    height: int = 0
    video_fps: float = 0.0


@dataclass(frozen=True, slots=True)
class VideoFrame:
    t: float  # presentation time in seconds
    index: int  # index among the sampled frames
    rgb: UInt8Array  # HxWx3, C-contiguous


def _check_file(path: Path) -> None:
    if not path.exists():
        raise MediaError(f"{path}: no such file")
    if path.is_dir():
        raise MediaError(f"{path}: is a directory, expected a media file")
    if path.stat().st_size == 0:
        raise MediaError(f"{path}: the file is empty")


def _open(path: Path) -> av.container.InputContainer:
    _check_file(path)
    try:
        return av.open(str(path), mode="r")
    except av.error.FFmpegError as exc:  # InvalidData, not a container we know…
        raise MediaError(f"{path}: not a readable audio/video file ({exc.strerror or exc})") from exc


def probe(path: Path | str) -> MediaInfo:
    path = Path(path)
    with _open(path) as container:
        audio = next(iter(container.streams.audio), None)
        video = next(iter(container.streams.video), None)
        durations = []
        if container.duration:
            durations.append(container.duration / av.time_base)
        for stream in (audio, video):
            if stream is not None and stream.duration and stream.time_base:
                durations.append(float(stream.duration * stream.time_base))
        # A video stream with no picture size is no video.
        shown = video if video is not None and (video.codec_context.width or 0) > 0 else None
        # Still images (png/jpg) open as one-frame "video"; they are not recordings.
        if (
            shown is not None
            and shown.codec_context.name in {"png", "mjpeg", "bmp", "webp", "tiff"}
            and audio is None
            and len(durations) == 0
        ):
            raise MediaError(f"{path}: is a still image, expected an audio or video recording")
        fps = float(shown.average_rate) if shown is not None and shown.average_rate else 0.0
        return MediaInfo(
            path=path,
            duration=max(durations) if durations else 0.0,
            has_audio=audio is not None,
            has_video=shown is not None,
            width=shown.codec_context.width if shown is not None else 0,
            height=shown.codec_context.height if shown is not None else 0,
            video_fps=fps,
        )


def load_audio(path: Path | str, sample_rate: int = 16_000) -> Float32Array:
    """Whole audio track as float32 mono in [-1, 1] at ``sample_rate``.

    Channels are averaged, except that a dead (silent) channel is ignored so a stereo recording
    with one empty side is not halved in level.
    """
    path = Path(path)
    with _open(path) as container:
        stream = next(iter(container.streams.audio), None)
        if stream is None:
            raise MediaError(f"{path}: has no audio stream")
        stream.codec_context.thread_type = "AUTO"  # what setting it on the stream forwards to
        # Resample to planar float at the target rate, keeping channels to detect a dead side.
        resampler = av.AudioResampler(format="fltp", rate=sample_rate)
        # float32 planes ("fltp"); PyAV types to_ndarray() with every sample format's dtype.
        chunks: list[npt.NDArray[np.number[Any]]] = []
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray())
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray())
        except av.error.FFmpegError as exc:
            if not chunks:
                raise MediaError(f"{path}: audio could not be decoded ({exc.strerror or exc})") from exc
            # A truncated file: keep what decoded.
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    channels = np.concatenate(chunks, axis=1).astype(np.float32, copy=False)
    if channels.shape[0] > 1:
        energy = np.sqrt(np.mean(channels**2, axis=1))
        live = energy > max(1e-4, 0.01 * float(energy.max()))
        channels = channels[live] if live.any() else channels
    mono = channels.mean(axis=0)
    return np.ascontiguousarray(np.clip(mono, -1.0, 1.0), dtype=np.float32)


def iter_frames(path: Path | str, fps: float = 10.0, max_width: int | None = 640) -> Iterator[VideoFrame]:
    """Yield RGB frames sampled at about ``fps`` frames per second, with true timestamps.

    A frame is kept when its timestamp reaches the next sampling instant, so variable-frame-rate
    recordings (browser webm) are sampled evenly in time. Frames wider than ``max_width`` are
    downscaled by the decoder (face models work at <= 640 px; larger only costs time).
    """
    path = Path(path)
    step = 1.0 / fps
    with _open(path) as container:
        stream = next(iter(container.streams.video), None)
        if stream is None:
            raise MediaError(f"{path}: has no video stream")
        stream.thread_type = "AUTO"
        time_base = stream.time_base
        if time_base is None:  # every demuxed stream has one; PyAV types it as optional
            raise MediaError(f"{path}: video stream has no time base")
        start = float(stream.start_time * time_base) if stream.start_time else 0.0
        next_t = 0.0
        index = 0
        try:
            for frame in container.decode(stream):
                t = index * step if frame.pts is None else float(frame.pts * time_base) - start
                if t + 1e-6 < next_t:
                    continue
                width, height = frame.width, frame.height
                if max_width and width > max_width:
                    height = round(height * max_width / width / 2) * 2
                    width = max_width
                rgb = frame.to_ndarray(format="rgb24", width=width, height=height)
                yield VideoFrame(t=max(0.0, t), index=index, rgb=np.ascontiguousarray(rgb))
                index += 1
                # Skip ahead on the sampling grid; never fall behind after a gap.
                next_t = max(next_t + step, t + step * 0.5)
        except av.error.FFmpegError as exc:
            if index == 0:
                raise MediaError(f"{path}: video could not be decoded ({exc.strerror or exc})") from exc
