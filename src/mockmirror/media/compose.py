"""Join recordings into one, with silences of known length between them.

Used to build test and benchmark answers with a known response latency and known pauses from
real clips (the frozen last frame is shown during a silence, as a paused webcam would).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from mockmirror.core.arrays import FloatArray, UInt8Array
from mockmirror.media.decode import iter_frames, load_audio, probe

SAMPLE_RATE = 16_000


@dataclass(frozen=True, slots=True)
class ComposedPart:
    source: Path
    start: float  # where the clip starts in the joined recording, seconds
    end: float


def compose_answer(
    clips: list[Path], gaps_s: list[float], out: Path, lead_s: float = 0.0, fps: int = 25
) -> list[ComposedPart]:
    """Write ``lead_s`` of silence, then clip 1, gap 1, clip 2, … to ``out`` (mp4: H.264 + AAC).

    ``gaps_s`` has one entry per clip boundary (``len(clips) - 1``). Returns where each clip
    landed, so callers know the true latency and pause positions.
    """
    if len(gaps_s) != max(len(clips) - 1, 0):
        raise ValueError("need one gap per boundary between clips")
    first = probe(clips[0])
    width, height = first.width - first.width % 2, first.height - first.height % 2
    parts: list[ComposedPart] = []
    with av.open(str(out), "w") as container:
        video = container.add_stream("libx264", rate=fps, options={"preset": "veryfast", "crf": "20"})
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        audio = container.add_stream("aac", rate=SAMPLE_RATE, layout="mono")
        frame_index = 0
        audio_chunks: list[FloatArray] = []
        last_rgb = np.zeros((height, width, 3), dtype=np.uint8)

        def emit(rgb: UInt8Array, count: int) -> None:
            nonlocal frame_index
            for _ in range(count):
                frame = av.VideoFrame.from_ndarray(rgb[:height, :width], format="rgb24")
                frame.pts = frame_index
                frame.time_base = Fraction(1, fps)
                for packet in video.encode(frame):
                    container.mux(packet)
                frame_index += 1

        t = lead_s
        first_rgb = next(iter_frames(clips[0], fps=fps, max_width=None)).rgb
        emit(first_rgb, round(lead_s * fps))
        audio_chunks.append(np.zeros(round(lead_s * SAMPLE_RATE), dtype=np.float32))
        for i, clip in enumerate(clips):
            sound = load_audio(clip, SAMPLE_RATE)
            clip_s = len(sound) / SAMPLE_RATE
            frames = [f.rgb for f in iter_frames(clip, fps=fps, max_width=None)]
            target = round(clip_s * fps)
            for k in range(target):  # keep audio and video the same length
                emit(frames[min(k, len(frames) - 1)], 1)
            last_rgb = frames[-1]
            audio_chunks.append(sound)
            parts.append(ComposedPart(clip, t, t + clip_s))
            t += clip_s
            if i < len(gaps_s):
                emit(last_rgb, round(gaps_s[i] * fps))
                audio_chunks.append(np.zeros(round(gaps_s[i] * SAMPLE_RATE), dtype=np.float32))
                t += gaps_s[i]
        for packet in video.encode():
            container.mux(packet)

        samples = np.concatenate(audio_chunks)
        pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = 0
        for packet in audio.encode(frame):
            container.mux(packet)
        for packet in audio.encode():
            container.mux(packet)
    return parts
