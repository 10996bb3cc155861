"""Play a recording as the browser would stream it: 320x240 JPEG frames and 100 ms PCM chunks.

Used by the WebSocket tests and the cue-latency benchmark (and handy for scripting the API).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mockmirror.media import iter_frames, load_audio, probe
from mockmirror.web.live import AUDIO, FRAME, pack


@dataclass(frozen=True, slots=True)
class Outgoing:
    t: float
    kind: int
    data: bytes  # the binary WebSocket message


def jpeg(rgb: np.ndarray, size: tuple[int, int] = (320, 240), quality: int = 70) -> bytes:
    import cv2

    bgr = cv2.resize(np.ascontiguousarray(rgb[:, :, ::-1]), size, interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("could not encode a frame")
    return data.tobytes()


def stream_messages(
    path: Path | str, fps: float = 10.0, chunk_s: float = 0.1, offset_s: float = 0.0,
    video: bool = True, transform=None, seq_start: int = 0,
) -> Iterator[Outgoing]:
    """Frames and audio of ``path`` in time order; ``transform(rgb)`` alters each frame."""
    info = probe(path)
    items: list[Outgoing] = []
    seq = seq_start
    if video and info.has_video:
        for frame in iter_frames(path, fps=fps, max_width=None):
            rgb = transform(frame.rgb) if transform else frame.rgb
            t = offset_s + frame.t
            items.append(Outgoing(t, FRAME, pack(FRAME, seq, t, jpeg(rgb))))
            seq += 1
    if info.has_audio:
        audio = load_audio(path, 16_000)
        pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2")
        step = round(16_000 * chunk_s)
        for start in range(0, len(pcm), step):
            t = offset_s + start / 16_000
            items.append(Outgoing(t, AUDIO, pack(AUDIO, seq, t, pcm[start : start + step].tobytes())))
            seq += 1
    yield from sorted(items, key=lambda m: (m.t, m.kind))
