"""`mockmirror speech FILE` and `mockmirror bench speech` as a user runs them (real subprocesses)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

CLI = [str(Path(sys.executable).with_name("mockmirror"))]


def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout, check=False)


def test_speech_json_has_every_measure(fixtures_dir):
    result = run("speech", str(fixtures_dir / "speech_more" / "jfk.flac"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["file"] == "jfk.flac" and data["available"] is True
    assert "country" in data["transcript"]["text"].lower()
    summary = data["summary"]
    for key in (
        "words_per_minute", "syllables_per_second", "articulation_rate_syl_per_s",
        "pace_band_wpm", "pace_in_band", "response_latency_s", "pause_count", "filler_count",
        "acoustic_filler_count", "mean_pitch_hz", "pitch_range_st", "pitch_variation_st",
        "mean_volume_dbfs", "volume_variation_db", "clipped_fraction", "snr_db",
    ):  # fmt: skip
        assert key in summary, key
    assert summary["pace_band_wpm"] == [130.0, 165.0]
    assert 150 < summary["mean_pitch_hz"] < 350
    assert data["pace_series"] and data["pitch_series"] and data["volume_series"]
    assert {e["kind"] for e in data["events"]} <= {
        "pause", "long_pause", "filler", "fast_pace", "slow_pace", "monotone", "too_quiet",
        "too_loud", "clipping",
    }  # fmt: skip
    arousal = data["prosodic_arousal_indicators"]
    assert "not an emotion estimate" in arousal["label"]
    assert arousal["pitch_variation_st"] == summary["pitch_variation_st"]


@pytest.mark.skipif(shutil.which("sox") is None, reason="sox not installed")
def test_speech_on_silence_says_so_and_invents_nothing(tmp_path):
    path = tmp_path / "silence.wav"
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", str(path), "trim", "0", "4"], check=True)
    result = run("speech", str(path), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["transcript"]["words"] == [] and data["summary"]["word_count"] == 0
    assert "no speech detected" in data["note"]
    text = run("speech", str(path))
    assert text.returncode == 0
    assert "no speech detected" in text.stderr and "no words recognised" in text.stdout


def test_speech_text_summary_and_question_end(fixtures_dir):
    clip = fixtures_dir / "grid_av" / "audio_16k" / "id2_vcd_swwp2s.wav"
    result = run("speech", str(clip), "--question-end", "0.2")
    assert result.returncode == 0, result.stderr
    for row in ("pace", "syllables per second", "response latency", "pitch", "signal to noise"):
        assert row in result.stdout
    data = json.loads(run("speech", str(clip), "--json", "--question-end", "0.2").stdout)
    # The alignment puts "set" at 0.49 s; latency counts from the question's end.
    assert data["summary"]["response_latency_s"] == pytest.approx(0.49 - 0.2, abs=0.15)


def test_speech_refuses_a_missing_file(tmp_path):
    result = run("speech", str(tmp_path / "nope.wav"))
    assert result.returncode == 2
    assert "no such file" in result.stderr and "Traceback" not in result.stderr


def test_bench_speech_writes_its_dated_result(fixtures_dir, tmp_path):
    clip = fixtures_dir / "speech_more" / "2412-153948-0000.flac"
    result = run("bench", "speech", "--audio", str(clip), "--out-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    target = tmp_path / f"speech_bench-{date.today().isoformat()}.json"
    assert report["written_to"] == str(target) and target.exists()
    assert json.loads(target.read_text())["rtf"] == report["rtf"]
    assert report["audio_s"] == pytest.approx(11.7, abs=0.2)
    assert 0 < report["rtf"] < 5 and report["target_rtf"] == 0.3
    assert report["words"] > 25 and "transcribing" in report["stages_s"]
