"""The `mockmirror` command as a user runs it: real subprocesses, real models, real fixtures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mockmirror import __version__
from mockmirror.report.document import SCHEMA_VERSION

CLI = [str(Path(sys.executable).with_name("mockmirror"))]


def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout, check=False)


def test_version_and_help():
    assert run("--version").stdout.strip() == f"mockmirror {__version__}"
    top = run("--help")
    assert top.returncode == 0
    for command in ("analyze", "transcribe", "expressions", "models", "schema", "render"):
        assert command in top.stdout
        sub = run(command, "--help")
        assert sub.returncode == 0 and "Usage" in sub.stdout, command


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.mp4", None, "no such file"),
        ("empty.webm", b"", "empty"),
        ("cv.mp4", b"Jane Doe, CV\n" * 50, "not a readable"),
        ("bytes.mov", bytes(range(256)) * 40, "not a readable"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run("analyze", str(path), "--question", "Why this role?")
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_transcribe_json_shape(fixtures_dir):
    # "set blue with e five now": a GRID clip Whisper base reads right in both modes.
    result = run("transcribe", str(fixtures_dir / "grid_av" / "audio_16k" / "sbwe5n.wav"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"text", "words", "language"}
    assert data["language"] == "en"
    assert "blue" in data["text"].lower()
    for word in data["words"]:
        assert set(word) >= {"word", "start", "end", "probability"}
        assert 0 <= word["start"] <= word["end"] <= 3.1


def test_expressions_json_lines(fixtures_dir):
    faces = fixtures_dir / "fer2013" / "validation" / "happy"
    one_face = sorted(faces.iterdir())[0]
    photo = fixtures_dir / "speech_more" / "astronaut.png"
    result = run("expressions", str(photo), str(one_face), "--json")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["path"] for r in records] == [str(photo), str(one_face)]
    for record in records:
        assert record["face_found"] is True
        assert set(record["probs"]) == {"angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"}
        assert abs(sum(record["probs"].values()) - 1) < 1e-3
        assert record["label"] == max(record["probs"], key=record["probs"].get)
    assert records[0]["label"] == "happy"


def test_analyze_writes_json_and_html_and_prints_a_summary(fixtures_dir, tmp_path):
    clip = fixtures_dir / "grid_av" / "bbaf2n.mpg"
    out_json, out_html = tmp_path / "r.json", tmp_path / "r.html"
    result = run("analyze", str(clip), "--question", "Tell me about yourself.",
                 "--json", str(out_json), "--report", str(out_html))
    assert result.returncode == 0, result.stderr
    assert "WPM" in result.stdout and "eye contact" in result.stdout
    report = json.loads(out_json.read_text())
    assert report["schema_version"] == SCHEMA_VERSION and report["input"]["file_name"] == "bbaf2n.mpg"
    assert str(fixtures_dir) not in out_json.read_text(), "reports must not record full paths"
    html = out_html.read_text()
    assert "<svg class=\"timeline\"" in html and "bbaf2n.mpg" in html
    # Re-rendering from the JSON gives the same charts.
    again = tmp_path / "again.html"
    assert run("render", str(out_json), "--html", str(again)).returncode == 0
    assert again.read_text().count("data-track=") == html.count("data-track=")


def test_audio_only_says_face_is_skipped(fixtures_dir):
    result = run("analyze", str(fixtures_dir / "speech" / "cards" / "001.wav"))
    assert result.returncode == 0, result.stderr
    assert "face analysis skipped" in result.stderr


def test_schema_is_json_schema():
    schema = json.loads(run("schema").stdout)
    assert schema["title"] == "AnswerReport" and "feedback" in schema["properties"]
