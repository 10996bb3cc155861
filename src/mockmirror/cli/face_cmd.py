"""`mockmirror face VIDEO` (the face track: per-frame series, events, summary) and
`mockmirror bench face` (frames per second of the whole face pipeline on one core)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from mockmirror.core.types import MockmirrorError

bench_app = typer.Typer(help="Speed benchmarks of the offline pipeline.", no_args_is_help=True)
out = Console()

# Where `bench face` looks for its default clip (the project's shared fixtures).
FIXTURE_CLIP = Path("face_videos") / "WolfgangLanger_Pexels.mp4"


def _check_file(path: Path) -> None:
    if not path.exists():
        raise MockmirrorError(f"{path}: no such file")
    if not path.is_file():
        raise MockmirrorError(f"{path}: not a file")


def track_to_json(track: object) -> str:
    """The FaceTrack as JSON, through pydantic (the same encoding as the report's `face`)."""
    from pydantic import TypeAdapter

    from mockmirror.face.track import FaceTrack

    return TypeAdapter(FaceTrack).dump_json(track).decode("utf-8")  # type: ignore[arg-type]


def face(
    video: Annotated[Path, typer.Argument(help="A recording with video: mp4, webm, mov, mkv…")],
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print the whole face track as JSON: per-frame series, events, summary.")
    ] = False,
    camera_clip: Annotated[Path | None, typer.Option(
        "--camera-calibration",
        help="A short clip of you looking into the camera: calibrates eye contact.")] = None,
    screen_clip: Annotated[Path | None, typer.Option(
        "--screen-calibration",
        help="A short clip of you looking at the screen centre (with --camera-calibration).")
    ] = None,
) -> None:
    """Analyse the face in a recording: eye contact, blinks, smiles, head pose, expressions, AUs."""
    from mockmirror.face.analyzer import FaceAnalyzer
    from mockmirror.face.calibration import EyeContactCalibration, gaze_samples
    from mockmirror.settings import Settings

    _check_file(video)
    if screen_clip is not None and camera_clip is None:
        raise MockmirrorError("--screen-calibration needs --camera-calibration as well")
    settings = Settings()
    with FaceAnalyzer(settings) as analyzer:
        calibration = None
        if camera_clip is not None:
            _check_file(camera_clip)
            camera = gaze_samples(analyzer.analyze(camera_clip))
            if screen_clip is not None:
                _check_file(screen_clip)
            screen = gaze_samples(analyzer.analyze(screen_clip)) if screen_clip else []
            calibration = EyeContactCalibration.from_samples(
                camera, screen, max_deg=settings.face.eye_contact_max_deg)
        track = analyzer.analyze(video, calibration=calibration)
    if as_json:
        sys.stdout.write(track_to_json(track) + "\n")
        return
    if not track.available:
        out.print(f"Face: {track.note}")
        return
    s = track.summary

    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.0%}"

    out.print(f"face visible {pct(s.face_visible_ratio)} · eye contact {pct(s.eye_contact_ratio)}"
              f" · smiling {pct(s.smile_ratio)} ({s.smile_count} smiles, "
              f"{s.duchenne_smile_count} Duchenne-like)")
    rate = "n/a" if s.blink_rate_per_min is None else f"{s.blink_rate_per_min:.0f}/min"
    out.print(f"blinks {s.blink_count} ({rate}, EAR threshold {s.blink_ear_threshold:.3f}"
              f"{' calibrated' if s.blink_threshold_calibrated else ''}) · nods {s.nod_count}"
              f" · head shakes {s.head_shake_count}")
    if s.hand_over_face_ratio is not None:
        out.print(f"hand over the face {pct(s.hand_over_face_ratio)} of face time")
    body = track.body
    if body is not None and body.available:
        gestures = ("not counted (hands out of view)" if body.gesture_count is None
                    else f"{body.gesture_count} ({body.gesture_rate_per_min or 0:.0f}/min)")
        out.print(f"body: shoulders in view {pct(body.shoulders_visible_ratio)} · movement "
                  f"{body.movement_per_s or 0:.2f} shoulder widths/s · posture shifts "
                  f"{body.posture_shift_count} · gestures {gestures}")
    elif body is not None:
        out.print(f"body: {body.note}")
    if track.note:
        out.print(track.note)
    out.print(f"reliability {track.reliability.score:.2f}"
              + (f" ({'; '.join(track.reliability.reasons)})" if track.reliability.reasons else ""))


def _default_clip() -> Path | None:
    """The fixture clip: $MOCKMIRROR_FIXTURES, or ../shared/fixtures from here or the repo."""
    roots = [os.environ.get("MOCKMIRROR_FIXTURES"), Path.cwd().parent / "shared" / "fixtures",
             Path(__file__).resolve().parents[3].parent / "shared" / "fixtures"]
    for root in roots:
        if root and (Path(root) / FIXTURE_CLIP).is_file():
            return Path(root) / FIXTURE_CLIP
    return None


@bench_app.command("face")
def bench_face(
    video: Annotated[Path | None, typer.Option(
        "--video", help="Clip to time (default: the Pexels fixture clip).")] = None,
    seconds: Annotated[float, typer.Option(
        "--seconds", min=1.0, help="Time the first this-many seconds (every frame).")] = 10.0,
    out_dir: Annotated[Path, typer.Option(
        "--out-dir", help="Where the dated JSON goes ('-' = do not write).")
    ] = Path("benchmarks") / "results",
    no_tta: Annotated[bool, typer.Option(
        "--no-tta", help="Expression model without the mirror image (what TTA costs).")] = False,
) -> None:
    """Frames per second of the whole face pipeline on 640x480 frames, one CPU core (JSON)."""
    from mockmirror.face.speed import bench_report
    from mockmirror.settings import Settings

    clip = video or _default_clip()
    if clip is None:
        raise MockmirrorError("no clip to time: pass --video or set MOCKMIRROR_FIXTURES")
    _check_file(clip)
    settings = Settings()
    if no_tta:
        face = settings.face.model_copy(update={"expression_flip_tta": False})
        settings = settings.model_copy(update={"face": face})
    report = bench_report(clip, settings, seconds)
    text = json.dumps(report, indent=2)
    if str(out_dir) != "-":
        out_dir.mkdir(parents=True, exist_ok=True)
        suffix = "-no-tta" if no_tta else ""
        target = out_dir / f"face_bench{suffix}-{report['date']}.json"
        target.write_text(text + "\n", encoding="utf-8")
        report["written_to"] = str(target)
        text = json.dumps(report, indent=2)
    sys.stdout.write(text + "\n")
