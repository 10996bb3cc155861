"""Frames per second of the whole face pipeline on 640x480 frames, on one CPU core.

"Whole pipeline" is what :meth:`FaceAnalyzer.analyze_frames` does to every frame when every
frame is a full row: MediaPipe landmarks + blendshapes (VIDEO mode, tracking between frames),
head pose, iris gaze, eye state for blinks, aligned crop and the expression model (batched),
then the events, AUs and summary at the end. Frames are decoded and letterboxed to 640x480
*before* the clock starts (decoding speed depends on the codec, not on this code); the process
is pinned to one core (``sched_setaffinity``) and onnxruntime runs one thread, so the figure is
single-core even though MediaPipe starts its own worker threads.

The hand and pose models (a hand over the face, upper body) are not part of that pipeline: they
read 5 frames a second whatever the frame rate, so they are timed in a second run, as the
analyzer runs them, and reported beside it.
"""

from __future__ import annotations

import os
import platform
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from mockmirror.face.analyzer import FaceAnalyzer
from mockmirror.face.landmarks import FaceLandmarker, Mode
from mockmirror.media.decode import VideoFrame, iter_frames, probe
from mockmirror.models.registry import ModelStore
from mockmirror.settings import Settings

WIDTH, HEIGHT = 640, 480
WARM_UP_FRAMES = 10


@dataclass(frozen=True, slots=True)
class BenchResult:
    frames: int
    faces_found: int
    wall_s: float
    landmarker_only_s: float
    source_fps: float

    @property
    def fps(self) -> float:
        return self.frames / self.wall_s if self.wall_s > 0 else 0.0


def pin_to_one_core() -> int | None:
    """Restrict this process to one CPU (the first allowed); returns it, None if unsupported."""
    try:
        allowed = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {allowed[0]})
        return allowed[0]
    except (AttributeError, OSError):
        return None


def letterboxed_frames(video: Path, seconds: float) -> tuple[list[VideoFrame], float]:
    """Every frame of the first ``seconds`` of ``video``, letterboxed into 640x480 RGB."""
    fps = probe(video).video_fps or 25.0
    frames = []
    for frame in iter_frames(video, fps=fps, max_width=WIDTH):
        if frame.t >= seconds:
            break
        canvas = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
        rgb = frame.rgb[:HEIGHT]
        top = (HEIGHT - rgb.shape[0]) // 2
        left = (WIDTH - rgb.shape[1]) // 2
        canvas[top : top + rgb.shape[0], left : left + rgb.shape[1]] = rgb
        frames.append(VideoFrame(t=frame.t, index=frame.index, rgb=canvas))
    return frames, fps


def bench_face_pipeline(video: Path, settings: Settings, seconds: float = 10.0,
                        store: ModelStore | None = None) -> BenchResult:
    """Time the whole pipeline with every frame a full row (see the module doc)."""
    frames, fps = letterboxed_frames(video, seconds)
    if not frames:
        raise ValueError(f"{video}: no frames decoded")
    store = store or ModelStore(settings.model_dir)
    with FaceAnalyzer(settings, store) as analyzer:
        # Warm-up: load the models and let the first inferences allocate.
        analyzer.analyze_frames(frames[:WARM_UP_FRAMES], fps, 1.0 / fps)
        started = time.perf_counter()
        track = analyzer.analyze_frames(frames, fps, 1.0 / fps)
        wall = time.perf_counter() - started
    # The landmarker alone, as the analyzer runs it (tracking one face).
    with FaceLandmarker.from_store(store, Mode.VIDEO, max_faces=1,
                                   min_confidence=settings.face.min_face_confidence) as landmarker:
        started = time.perf_counter()
        for frame in frames:
            landmarker.detect_video(frame.rgb, frame.t)
        landmarker_s = time.perf_counter() - started
    found = sum(1 for f in track.frames if f.face_found)
    return BenchResult(len(frames), found, wall, landmarker_s, fps)


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def with_hands_and_body(settings: Settings, on: bool) -> Settings:
    face = settings.face.model_copy(update={"detect_hands": on, "body_pose": on})
    return settings.model_copy(update={"face": face})


def bench_report(video: Path, settings: Settings, seconds: float = 10.0) -> dict[str, object]:
    """Pin to one core, run the benchmark and return the JSON-ready result."""
    core = pin_to_one_core()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    result = bench_face_pipeline(video, with_hands_and_body(settings, False), seconds)
    extended = bench_face_pipeline(video, with_hands_and_body(settings, True), seconds)
    n = result.frames
    return {
        "benchmark": "face_pipeline",
        "date": date.today().isoformat(),
        "video": video.name,
        "width": WIDTH,
        "height": HEIGHT,
        "frames": n,
        "faces_found": result.faces_found,
        "source_fps": round(result.source_fps, 2),
        "fps": round(result.fps, 1),
        "ms_per_frame": round(1000 * result.wall_s / n, 2),
        "landmarker_ms_per_frame": round(1000 * result.landmarker_only_s / n, 2),
        "rest_of_pipeline_ms_per_frame": round(
            1000 * (result.wall_s - result.landmarker_only_s) / n, 2),
        "single_core": core is not None,
        "core": core,
        "expression_model": settings.face.expression_model,
        "expression_flip_tta": settings.face.expression_flip_tta,
        # The same run plus the hand and pose models at face.body_sample_fps.
        "with_hands_and_body_fps": round(extended.fps, 1),
        "with_hands_and_body_ms_per_frame": round(1000 * extended.wall_s / extended.frames, 2),
        "hands_and_body_sample_fps": settings.face.body_sample_fps,
        "target_fps": 60,
        "meets_target": result.fps >= 60,
        "cpu": cpu_name(),
        "load_average_at_start": None if load is None else round(load, 2),
        "python": platform.python_version(),
    }
