"""One set of numbers: the in-app session report, the printable one and the dashboard agree, and
only answered answers enter them (a GRID command clip and a silent recording do not)."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from mockmirror.report.document import AnswerReport
from mockmirror.report.session import build_session_report
from mockmirror.speech import synthetic

from .helpers import interview, wait_for_answer

pytestmark = pytest.mark.skipif(not synthetic.available(), reason="espeak-ng is not installed")


def _wav(path: Path, audio: np.ndarray, rate: int = 16000) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def _upload(client, session_id: str, path: Path, mime: str) -> dict:
    with open(path, "rb") as handle:
        files = {"file": (path.name, handle, mime)}
        response = client.post(f"/api/sessions/{session_id}/answers", files=files)
    assert response.status_code == 202, response.text
    answer = wait_for_answer(client, response.json()["id"])
    assert answer["status"] == "done", answer["error"]
    return answer


@pytest.fixture(scope="module")
def three_answers(client, fixtures_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("numbers")
    session = interview(client, seed=11, core_questions=3)
    story = _wav(folder / "story.wav", synthetic.speak(synthetic.SAMPLE_ANSWER))
    spoken = _upload(client, session["id"], story, "audio/wav")
    grid = _upload(client, session["id"], fixtures_dir / "grid_av" / "bbaf2n.mpg", "video/mpeg")
    silent = _upload(client, session["id"], _wav(folder / "silence.wav", np.zeros(16000 * 3)), "audio/wav")
    return session, [spoken, grid, silent]


def test_only_the_answered_answer_counts(client, three_answers):
    session, (spoken, grid, silent) = three_answers
    report = client.get(f"/api/sessions/{session['id']}/report").json()
    rows = {row["id"]: row for row in report["answers"]}
    assert rows[spoken["id"]]["counts"] and rows[spoken["id"]]["verdict"] == "answered"
    assert not rows[grid["id"]]["counts"] and rows[grid["id"]]["verdict"] != "answered"
    assert rows[silent["id"]]["verdict"] == "skipped" and not rows[silent["id"]]["counts"]
    assert rows[grid["id"]]["content_score"] is None and rows[silent["id"]]["content_score"] is None
    # The command clip is not praised for its content, and its quick feedback says why not.
    assert grid["dialogue_feedback"]["feedback"]["answered"] is False
    assert grid["dialogue_feedback"]["feedback"]["headline"]
    figures = report["figures"]
    assert figures["answers"] == 3 and figures["counted"] == 1
    one = client.get(spoken["report_url"]).json()
    assert figures["content_score"] == pytest.approx(one["content"]["overall_score"], abs=0.05)
    assert figures["words_per_minute"] == pytest.approx(one["summary"]["words_per_minute"], abs=0.05)
    assert report["averages"]["words_per_minute"] == figures["words_per_minute"]


def test_every_screen_shows_the_same_numbers(client, three_answers):
    session, answers = three_answers
    in_app = client.get(f"/api/sessions/{session['id']}/report").json()["figures"]
    documents = [AnswerReport.model_validate(client.get(a["report_url"]).json()) for a in answers]
    printable = build_session_report(documents)
    assert printable.figures.model_dump(mode="json") == in_app
    assert printable.overall_score == in_app["overall_score"]
    html = client.get(f"/api/sessions/{session['id']}/report.html").text
    assert html.count("not counted") >= 2  # the page lists the two non-answers as such
    board = client.get("/api/dashboard").json()
    point = next(p for p in board["sessions"] if p["session_id"] == session["id"])
    assert point["answers"] == 1
    for key in ("content_score", "words_per_minute", "filler_rate_per_min", "eye_contact_ratio"):
        assert point[key] == in_app[key], key
