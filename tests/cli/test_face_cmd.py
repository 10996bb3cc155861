"""`mockmirror face` and `mockmirror bench face` as a user runs them (real subprocesses)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

CLI = [str(Path(sys.executable).with_name("mockmirror"))]


def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout,
                          check=False)


def test_face_json_has_series_events_and_summary(fixtures_dir: Path) -> None:
    result = run("face", str(fixtures_dir / "grid_av" / "bbaf2n.mpg"), "--json")
    assert result.returncode == 0, result.stderr
    track = json.loads(result.stdout)
    assert track["available"] is True and track["fps"] == 10.0
    frames = track["frames"]
    assert len(frames) >= 28 and all(f["face_found"] for f in frames)
    row = frames[5]
    assert len(row["blendshapes"]) == 52
    assert {"AU1", "AU4", "AU6", "AU12", "AU25", "AU45"} <= set(row["action_units"])
    assert set(row["expression"]) == {"angry", "disgust", "fear", "happy", "neutral", "sad",
                                      "surprise"}
    assert -15 < row["head_yaw_deg"] < 15 and row["eye_contact"] is True
    blinks = [e for e in track["events"] if e["kind"] == "blink"]
    assert [round(e["start"], 1) for e in blinks] == [1.7, 2.0]
    summary = track["summary"]
    assert summary["blink_count"] == 2 and summary["eye_contact_ratio"] > 0.75
    assert summary["blink_threshold_calibrated"] is True
    assert track["gaze_heatmap"]["total_s"] > 2.0


def test_face_text_summary_and_errors(fixtures_dir: Path, tmp_path: Path) -> None:
    text = run("face", str(fixtures_dir / "face_videos" / "single_face.mp4"))
    assert text.returncode == 0, text.stderr
    assert "face visible 100%" in text.stdout and "blinks 1" in text.stdout
    audio = run("face", str(fixtures_dir / "grid_av" / "audio_16k" / "bbaf2n.wav"), "--json")
    assert audio.returncode == 0 and json.loads(audio.stdout)["available"] is False
    missing = run("face", str(tmp_path / "missing.mp4"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
    lonely = run("face", str(fixtures_dir / "grid_av" / "bbaf2n.mpg"), "--screen-calibration",
                 str(fixtures_dir / "grid_av" / "lbax4n.mpg"))
    assert lonely.returncode == 2 and "needs --camera-calibration" in lonely.stderr
    junk = tmp_path / "notes.mp4"
    junk.write_bytes(b"not a video at all\n" * 40)
    broken = run("face", str(junk), "--json")
    assert broken.returncode == 2 and "Traceback" not in broken.stderr


def test_face_with_camera_calibration(fixtures_dir: Path) -> None:
    clip = str(fixtures_dir / "grid_av" / "lbax4n.mpg")
    result = run("face", clip, "--json", "--camera-calibration", clip)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)["summary"]
    assert summary["eye_contact_calibrated"] is True and summary["eye_contact_ratio"] > 0.9


def test_bench_face_writes_dated_json(fixtures_dir: Path, tmp_path: Path) -> None:
    clip = fixtures_dir / "face_videos" / "WolfgangLanger_Pexels.mp4"
    result = run("bench", "face", "--video", str(clip), "--seconds", "2",
                 "--out-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["width"] == 640 and report["height"] == 480
    assert 40 <= report["frames"] <= 50  # 2 s at 24 fps
    assert report["faces_found"] == report["frames"]
    assert report["single_core"] is True
    assert report["fps"] > 5
    assert abs(report["ms_per_frame"] - 1000 / report["fps"]) < 1.0
    # The hand and pose models are timed in a second run: they only add time.
    assert 0 < report["with_hands_and_body_fps"] < report["fps"]
    assert report["hands_and_body_sample_fps"] == 5.0
    written = tmp_path / f"face_bench-{date.today().isoformat()}.json"
    assert json.loads(written.read_text())["fps"] == report["fps"]
