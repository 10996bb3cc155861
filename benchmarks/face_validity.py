"""Validity of the face cues on real clips: blinks against hand labels, eye contact and head pose
on GRID speakers (who read to the camera), and nods/shakes false alarms.

* Blinks: FaceAnalyzer on WolfgangLanger_Pexels.mp4 against benchmarks/data/wolfgang_blinks.json
  (hand labels, see that file for how they were made). A detected blink is a hit when it overlaps
  a labelled blink within MATCH_SLACK_S; precision/recall with the per-user threshold
  (default) and with the fixed 0.18 threshold (calibration off). Detected blinks inside a
  labelled long closure or the ambiguous stretch count as false alarms.
* GRID (11 clips, speaker faces the camera): eye-contact ratio, mean head yaw/pitch, nods,
  shakes, blinks per clip.

Writes benchmarks/results/face_validity-YYYY-MM-DD.{json,md}.

    .venv/bin/python benchmarks/face_validity.py [--fixtures ../shared/fixtures]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
from datetime import date
from pathlib import Path

import numpy as np

from mockmirror.face.analyzer import FaceAnalyzer
from mockmirror.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
MATCH_SLACK_S = 0.1


def blink_scores(detected: list[tuple[float, float]], labels: list[dict]) -> dict:
    matched_labels, hits = set(), 0
    for start, end in detected:
        for i, label in enumerate(labels):
            if start <= label["end"] + MATCH_SLACK_S and end >= label["start"] - MATCH_SLACK_S:
                if i not in matched_labels:
                    matched_labels.add(i)
                    hits += 1
                break
    precision = hits / len(detected) if detected else None
    recall = len(matched_labels) / len(labels) if labels else None
    return {
        "detected": [[round(s, 2), round(e, 2)] for s, e in detected],
        "labelled": len(labels),
        "hits": hits,
        "missed": [labels[i]["start"] for i in range(len(labels)) if i not in matched_labels],
        "precision": None if precision is None else round(precision, 3),
        "recall": None if recall is None else round(recall, 3),
    }


def run_blinks(fixtures: Path, settings: Settings) -> dict:
    labels = json.loads((ROOT / "benchmarks" / "data" / "wolfgang_blinks.json").read_text())
    clip = fixtures / labels["clip"]
    results = {}
    for name, calibrate in (("per_user_threshold", True), ("fixed_0.18", False)):
        face = settings.face.model_copy(update={"blink_calibration": calibrate})
        with FaceAnalyzer(settings.model_copy(update={"face": face})) as analyzer:
            track = analyzer.analyze(clip)
        blinks = [(e.start, e.end) for e in track.events if e.kind == "blink"]
        results[name] = {
            **blink_scores(blinks, labels["blinks"]),
            "threshold": track.summary.blink_ear_threshold,
            "eyes_closed_spells": [[round(e.start, 2), round(e.end, 2)]
                                   for e in track.events if e.kind == "eyes_closed"],
        }
    return results


def run_grid(fixtures: Path, settings: Settings) -> dict:
    rows = {}
    with FaceAnalyzer(settings) as analyzer:
        for clip in sorted((fixtures / "grid_av").glob("*.mpg")):
            track = analyzer.analyze(clip)
            s = track.summary
            rows[clip.name] = {
                "face_visible_ratio": round(s.face_visible_ratio, 3),
                "eye_contact_ratio": round(s.eye_contact_ratio or 0.0, 3),
                "mean_head_yaw_deg": round(s.mean_head_yaw_deg or 0.0, 1),
                "mean_head_pitch_deg": round(s.mean_head_pitch_deg or 0.0, 1),
                "blinks": s.blink_count,
                "blink_threshold": s.blink_ear_threshold,
                "nods": s.nod_count,
                "shakes": s.head_shake_count,
                "brief_expressions": s.brief_expression_count,
            }
    contact = [r["eye_contact_ratio"] for r in rows.values()]
    yaw = [abs(r["mean_head_yaw_deg"]) for r in rows.values()]
    return {"clips": rows, "mean_eye_contact": round(float(np.mean(contact)), 3),
            "min_eye_contact": min(contact), "max_abs_mean_yaw_deg": max(yaw),
            "nods_and_shakes": sum(r["nods"] + r["shakes"] for r in rows.values())}


def markdown(report: dict) -> str:
    lines = [f"# Face cue validity ({report['date']})", "",
             "## Blinks vs hand labels (WolfgangLanger_Pexels.mp4, 5 labelled blinks)", "",
             "| threshold | EAR threshold | detected | hits | precision | recall | missed |",
             "|---|---|---|---|---|---|---|"]
    for name, r in report["blinks"].items():
        lines.append(f"| {name} | {r['threshold']:.3f} | {len(r['detected'])} | {r['hits']} | "
                     f"{r['precision']} | {r['recall']} | {r['missed']} |")
    g = report["grid"]
    lines += ["", "## GRID speakers (face the camera)", "",
              f"Mean eye contact {g['mean_eye_contact']:.2f} (min {g['min_eye_contact']:.2f}); "
              f"largest |mean yaw| {g['max_abs_mean_yaw_deg']}°; nods + shakes "
              f"{g['nods_and_shakes']}.", "",
              "| clip | eye contact | yaw ° | pitch ° | blinks | EAR thr | nods | shakes |",
              "|---|---|---|---|---|---|---|---|"]
    for clip, r in g["clips"].items():
        lines.append(f"| {clip} | {r['eye_contact_ratio']:.2f} | {r['mean_head_yaw_deg']} | "
                     f"{r['mean_head_pitch_deg']} | {r['blinks']} | {r['blink_threshold']:.3f} |"
                     f" {r['nods']} | {r['shakes']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared" / "fixtures")
    args = parser.parse_args()
    settings = Settings()
    report = {
        "date": date.today().isoformat(),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "blinks": run_blinks(args.fixtures, settings),
        "grid": run_grid(args.fixtures, settings),
    }
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"face_validity-{report['date']}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    stem.with_suffix(".md").write_text(markdown(report) + "\n")
    print(markdown(report))


if __name__ == "__main__":
    main()
