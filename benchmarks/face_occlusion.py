"""Hand-over-face (occlusion) and upper-body measures on real clips.

* Occlusion: FaceAnalyzer on WolfgangLanger_Pexels.mp4 against the hand labels in
  benchmarks/data/wolfgang_hand_over_face.json (frames where a hand lies over the face, judged
  by eye). Per 10 fps row: precision / recall of the row's ``hand_over_face`` issue against the
  label at the row's time; per spell: start / end error of the ``hand_over_face`` event.
* False alarms: the same on the 11 GRID clips and single_face.mp4, where no hand comes near
  the face (seconds of ``hand_over_face`` reported).
* Body: shoulders-in-view ratio, shoulder movement and gesture counting per clip (GRID frames
  head and shoulders; the Wolfgang clip is a face close-up where the body must read "not in
  view").
* Cost: milliseconds per call of the hand and pose models on these clips (one thread).

Writes benchmarks/results/face_occlusion-YYYY-MM-DD.{json,md}.

    .venv/bin/python benchmarks/face_occlusion.py [--fixtures ../shared/fixtures]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from datetime import date
from pathlib import Path

from mockmirror.face.analyzer import FaceAnalyzer
from mockmirror.face.body import PoseLandmarker
from mockmirror.face.hands import HandLandmarker
from mockmirror.face.track import FaceTrack
from mockmirror.media.decode import iter_frames
from mockmirror.models.registry import ModelStore
from mockmirror.settings import Settings
from results_io import write_dated

ROOT = Path(__file__).resolve().parents[1]


def covered_at(t: float, spells: list[dict]) -> bool:
    return any(s["start"] <= t < s["end"] for s in spells)


def occlusion_scores(track: FaceTrack, spells: list[dict]) -> dict:
    rows = [f for f in track.frames if f.face_found]
    tp = sum(1 for f in rows if "hand_over_face" in f.issues and covered_at(f.t, spells))
    fp = sum(1 for f in rows if "hand_over_face" in f.issues and not covered_at(f.t, spells))
    fn = sum(1 for f in rows if "hand_over_face" not in f.issues and covered_at(f.t, spells))
    events = [e for e in track.events if e.kind == "hand_over_face"]
    edges = []
    for spell in spells:
        overlapping = [e for e in events if e.start < spell["end"] and e.end > spell["start"]]
        if overlapping:
            edges.append({"label": [spell["start"], spell["end"]],
                          "detected": [round(overlapping[0].start, 2),
                                       round(overlapping[-1].end, 2)],
                          "start_error_s": round(overlapping[0].start - spell["start"], 2) + 0.0,
                          "end_error_s": round(overlapping[-1].end - spell["end"], 2) + 0.0})
    return {
        "rows_with_face": len(rows),
        "true_positive_rows": tp, "false_positive_rows": fp, "missed_rows": fn,
        "precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        "events": [[round(e.start, 2), round(e.end, 2), e.value] for e in events],
        "spells": edges,
        "hand_over_face_ratio": track.summary.hand_over_face_ratio,
        "expression_confidence": track.summary.cue_confidence.get("expression"),
        "reliability": track.reliability.score,
    }


def body_summary(track: FaceTrack) -> dict:
    body = track.body
    if body is None:
        return {"available": False, "note": "not analysed"}
    return {"available": body.available, "note": body.note,
            "shoulders_visible_ratio": body.shoulders_visible_ratio,
            "hands_visible_ratio": body.hands_visible_ratio,
            "movement_per_s": body.movement_per_s,
            "posture_shift_count": body.posture_shift_count,
            "gesture_count": body.gesture_count}


def still_photo_jitter(fixtures: Path, store: ModelStore, readings: int = 25) -> dict:
    """The pose model on one still photo fed as a 5 fps video: any movement is jitter."""
    import cv2

    from mockmirror.face.body import MOVEMENT_WINDOW_S, body_sample, summarise_body

    photo = cv2.cvtColor(cv2.imread(str(fixtures / "speech_more" / "astronaut.png")),
                         cv2.COLOR_BGR2RGB)
    with PoseLandmarker.from_store(store) as model:
        samples = [body_sample(i / 5.0, model.detect_video(photo, i / 5.0))
                   for i in range(readings)]
    track = summarise_body(samples, 5.0)
    return {"readings": readings, "window_s": MOVEMENT_WINDOW_S,
            "movement_per_s": track.movement_per_s, "posture_shifts": track.posture_shift_count,
            "gestures": track.gesture_count}


def model_cost(clip: Path, store: ModelStore) -> dict:
    """ms per call of each model alone, at 5 fps over the clip."""
    frames = list(iter_frames(clip, fps=5))
    out = {}
    for name, loader in (("hand_ms", HandLandmarker.from_store),
                         ("pose_ms", PoseLandmarker.from_store)):
        with loader(store) as model:
            model.detect_video(frames[0].rgb, 0.0)  # warm-up
            started = time.perf_counter()
            for frame in frames[1:]:
                model.detect_video(frame.rgb, frame.t)
            out[name] = round(1000 * (time.perf_counter() - started) / max(1, len(frames) - 1), 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared" / "fixtures")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()
    settings = Settings()
    store = ModelStore(settings.model_dir)
    labels = json.loads((ROOT / "benchmarks" / "data" / "wolfgang_hand_over_face.json").read_text())
    wolfgang_clip = args.fixtures / labels["clip"]
    started = time.perf_counter()
    with FaceAnalyzer(settings, store) as analyzer:
        wolfgang = analyzer.analyze(wolfgang_clip)
        hand_free = {clip.name: analyzer.analyze(clip) for clip in
                     [*sorted((args.fixtures / "grid_av").glob("*.mpg")),
                      args.fixtures / "face_videos" / "single_face.mp4"]}
    false_alarm_s = {name: round(sum(e.duration for e in t.events if e.kind == "hand_over_face"), 2)
                     for name, t in hand_free.items()}
    report = {
        "benchmark": "face_occlusion",
        "date": date.today().isoformat(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "hand_sample_fps": settings.face.body_sample_fps,
        "wolfgang_occlusion": occlusion_scores(wolfgang, labels["spells"]),
        "false_alarm_s_on_hand_free_clips": false_alarm_s,
        "body": {"WolfgangLanger_Pexels.mp4": body_summary(wolfgang),
                 **{name: body_summary(t) for name, t in hand_free.items()}},
        "still_photo_jitter": still_photo_jitter(args.fixtures, store),
        "cost_per_call": {"WolfgangLanger_Pexels.mp4": model_cost(wolfgang_clip, store),
                          "bbaf2n.mpg": model_cost(args.fixtures / "grid_av" / "bbaf2n.mpg",
                                                   store)},
        "wall_s": round(time.perf_counter() - started, 1),
    }
    occ = report["wolfgang_occlusion"]
    lines = [
        f"# Hand over the face and upper body ({report['date']})", "",
        f"Hands and pose read at {report['hand_sample_fps']:g} fps; rows at 10 fps.", "",
        "## Occlusion on the Wolfgang clip (hand labels: one spell, 2.42-9.51 s)", "",
        "| precision (rows) | recall (rows) | detected spell | start error | end error |",
        "|---|---|---|---|---|",
    ]
    for spell in occ["spells"] or [{"detected": "none", "start_error_s": "-", "end_error_s": "-"}]:
        lines.append(f"| {occ['precision']} | {occ['recall']} | {spell['detected']} | "
                     f"{spell['start_error_s']:+.2f} s | {spell['end_error_s']:+.2f} s |")
    total_fa = sum(false_alarm_s.values())
    lines += ["", f"False alarms on {len(false_alarm_s)} hand-free clips (11 GRID + "
              f"single_face): {total_fa:.2f} s of `hand_over_face` in total.", "",
              "## Body", "",
              "| clip | body measured | shoulders in view | movement (shoulder widths/s) | "
              "gestures | note |", "|---|---|---|---|---|---|"]
    for name, body in report["body"].items():
        lines.append(f"| {name} | {body['available']} | {body.get('shoulders_visible_ratio')} | "
                     f"{body.get('movement_per_s')} | {body.get('gesture_count')} | "
                     f"{body.get('note', '')} |")
    jitter = report["still_photo_jitter"]
    lines += ["", f"Pose jitter on a still photo (astronaut.png as a 5 fps video, "
              f"{jitter['readings']} readings): movement {jitter['movement_per_s']} shoulder "
              f"widths/s, {jitter['posture_shifts']} posture shifts, gestures "
              f"{jitter['gestures']}."]
    lines += ["", "## Cost per call (ms, one thread)", "", "| clip | hand model | pose model |",
              "|---|---|---|"]
    for name, cost in report["cost_per_call"].items():
        lines.append(f"| {name} | {cost['hand_ms']} | {cost['pose_ms']} |")
    stem = write_dated(args.out, "face_occlusion", report, "\n".join(lines) + "\n")
    print(json.dumps(report["wolfgang_occlusion"], indent=1))
    print(f"false alarms {false_alarm_s}")
    print(f"wrote {stem}.json and .md")


if __name__ == "__main__":
    main()
