"""Speed of the face pipeline on 640x480 frames (one face), stage by stage and end to end.

The input is WolfgangLanger_Pexels.mp4 (19.7 s, 24 fps, 640x360) letterboxed to 640x480 and
re-encoded. Stages: decoding, the MediaPipe landmarker (VIDEO mode), the aligned crop and the
expression model, then FaceAnalyzer.analyze with the default dense eye sampling for blinks and
with blinks read only on the 10 fps rows. Writes benchmarks/results/face_speed-YYYY-MM-DD.{json,md}.

    .venv/bin/python benchmarks/face_speed.py [--fixtures ../shared/fixtures]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from datetime import date
from pathlib import Path

import av
import numpy as np

from mockmirror.face.analyzer import FaceAnalyzer
from mockmirror.face.expression import ExpressionClassifier, align_face
from mockmirror.face.landmarks import FaceLandmarker, Mode
from mockmirror.media.decode import iter_frames, probe
from mockmirror.models.registry import ModelStore
from mockmirror.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
WIDTH, HEIGHT = 640, 480


def machine_info() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version()}


def make_640x480(source: Path, target: Path) -> None:
    """Letterbox every frame of ``source`` into 640x480 and encode it at the source rate."""
    fps = round(probe(source).video_fps) or 24
    with av.open(str(target), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        for frame in iter_frames(source, fps=fps, max_width=WIDTH):
            canvas = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
            top = (HEIGHT - frame.rgb.shape[0]) // 2
            canvas[top: top + frame.rgb.shape[0], : frame.rgb.shape[1]] = frame.rgb
            for packet in stream.encode(av.VideoFrame.from_ndarray(canvas, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def time_stages(video: Path, store: ModelStore, settings: Settings) -> dict:
    started = time.perf_counter()
    frames = list(iter_frames(video, fps=10.0))
    decode_ms = 1000 * (time.perf_counter() - started) / len(frames)
    with FaceLandmarker.from_store(store, Mode.VIDEO) as landmarker:
        faces, started = [], time.perf_counter()
        for frame in frames:
            faces.append(landmarker.detect_video(frame.rgb, frame.t).main)
        landmarks_ms = 1000 * (time.perf_counter() - started) / len(frames)
    pairs = [(f.rgb, face) for f, face in zip(frames, faces, strict=True) if face is not None]
    started = time.perf_counter()
    crops = np.stack([align_face(rgb, face.points) for rgb, face in pairs])
    crop_ms = 1000 * (time.perf_counter() - started) / len(pairs)
    classifier = ExpressionClassifier.from_settings(store, settings)
    classifier.predict(crops[:8])  # warm-up
    started = time.perf_counter()
    classifier.predict(crops)
    expression_ms = 1000 * (time.perf_counter() - started) / len(pairs)
    return {
        "frames": len(frames),
        "faces_found": len(pairs),
        "decode_ms_per_frame_at_10fps": round(decode_ms, 2),
        "landmarker_ms_per_frame": round(landmarks_ms, 2),
        "aligned_crop_ms_per_face": round(crop_ms, 3),
        "expression_ms_per_face_batched": round(expression_ms, 3),
    }


def time_analyzer(video: Path, settings: Settings, store: ModelStore, blink_fps: float) -> dict:
    # Frames the landmarker sees: every frame on the denser of the two sampling grids.
    landmarked = sum(1 for _ in iter_frames(video, fps=max(settings.media.video_fps, blink_fps)))
    face = settings.face.model_copy(update={"blink_sample_fps": blink_fps})
    settings = settings.model_copy(update={"face": face})
    with FaceAnalyzer(settings, store) as analyzer:
        started = time.perf_counter()
        track = analyzer.analyze(video)
        wall = time.perf_counter() - started
    duration = probe(video).duration
    return {
        "blink_sample_fps": blink_fps,
        "wall_s": round(wall, 2),
        "real_time_factor": round(wall / duration, 3),
        "rows": track.summary.frames_analyzed,
        "row_fps_processed": round(track.summary.frames_analyzed / wall, 1),
        "landmarked_frames": landmarked,
        "landmarked_fps_processed": round(landmarked / wall, 1),
        "blinks": track.summary.blink_count,
    }


def markdown(report: dict) -> str:
    s = report["stages"]
    lines = [
        f"# Face pipeline speed ({report['date']})", "",
        f"Input: {report['input']}. Machine: {report['machine']['cpu']}, "
        f"{report['machine']['cores']} cores (other work may have been running).", "",
        "| stage | time |", "|---|---|",
        f"| decode + convert to RGB (10 fps sampling) | {s['decode_ms_per_frame_at_10fps']} ms/frame |",
        f"| MediaPipe FaceLandmarker, VIDEO mode | {s['landmarker_ms_per_frame']} ms/frame |",
        f"| aligned 64x64 crop | {s['aligned_crop_ms_per_face']} ms/face |",
        f"| expression model (ONNX, 1 thread, batched) | {s['expression_ms_per_face_batched']} "
        "ms/face |", "",
        "| FaceAnalyzer.analyze | wall | real-time factor | frames landmarked / s | "
        "10 fps rows / s | blinks found |",
        "|---|---|---|---|---|---|",
    ]
    for run in report["analyzer"]:
        mode = ("dense eye sampling (default)" if run["blink_sample_fps"] > 10
                else "blinks on 10 fps rows only")
        lines.append(f"| {mode}, blink_sample_fps={run['blink_sample_fps']:g} | {run['wall_s']} s |"
                     f" {run['real_time_factor']} | {run['landmarked_fps_processed']} "
                     f"({run['landmarked_frames']} frames) | {run['row_fps_processed']} | "
                     f"{run['blinks']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared" / "fixtures")
    args = parser.parse_args()
    source = args.fixtures / "face_videos" / "WolfgangLanger_Pexels.mp4"
    settings = Settings()
    store = ModelStore(settings.model_dir)
    with tempfile.TemporaryDirectory() as tmp:
        video = Path(tmp) / "wolfgang_640x480.mp4"
        make_640x480(source, video)
        info = probe(video)
        report = {
            "date": date.today().isoformat(),
            "machine": machine_info(),
            "input": f"{source.name} letterboxed to {info.width}x{info.height}, "
                     f"{info.duration:.1f} s at {info.video_fps:.0f} fps",
            "stages": time_stages(video, store, settings),
            "analyzer": [time_analyzer(video, settings, store, settings.face.blink_sample_fps),
                         time_analyzer(video, settings, store, 0.0)],
        }
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"face_speed-{report['date']}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    stem.with_suffix(".md").write_text(markdown(report) + "\n")
    print(markdown(report))


if __name__ == "__main__":
    main()
