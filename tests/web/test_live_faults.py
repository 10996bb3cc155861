"""Faults on the live answer and across restarts, with real GRID recordings and real processes:
a broken frame or JSON message costs only itself; an interrupted answer is analysed from what
arrived; a server killed with analyses queued finishes them all after a restart."""

from __future__ import annotations

import os
import signal
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from mockmirror.speech.wer import word_errors
from mockmirror.web import create_app
from mockmirror.web.live import FRAME, pack
from mockmirror.web.recording import LiveRecording
from mockmirror.web.simulate import stream_messages

from .helpers import interview, serve, wait_for_answer, web_settings

SBWE = ("grid_av/sbwe5n.mpg", "set blue with e five now")


@pytest.fixture(scope="module")
def live_client(tmp_path_factory):
    settings = web_settings(tmp_path_factory.mktemp("live-faults"))
    with TestClient(create_app(settings)) as client:
        yield client


def test_a_broken_frame_and_a_malformed_json_message_do_not_cost_the_answer(live_client, fixtures_dir):
    session = interview(live_client, seed=31, consent={"camera": True, "microphone": True,
                                                        "keep_recording": False})
    messages = list(stream_messages(fixtures_dir / SBWE[0]))
    broken_jpeg = pack(FRAME, 999_999, 1.05, b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8)
    with live_client.websocket_connect(f"/api/sessions/{session['id']}/live") as ws:
        answer_id = ws.receive_json()["answer_id"]
        for i, message in enumerate(messages):
            ws.send_bytes(message.data)
            if i == len(messages) // 3:
                ws.send_bytes(broken_jpeg)
                ws.send_text('{"type": "end"')  # cut-off JSON
                assert ws.receive_json()["type"] == "error"
                ws.send_text("[1, 2]")  # JSON, but not a message
                assert ws.receive_json()["type"] == "error"
        ws.send_text('{"type": "end"}')
        ended = ws.receive_json()
    assert ended["type"] == "ended" and ended["answer_id"] == answer_id
    assert ended["dropped"] == {"json": 2, "frame": 1}
    answer = wait_for_answer(live_client, answer_id)
    assert answer["status"] == "done", answer["error"]
    assert word_errors(SBWE[1], answer["transcript"]).wer <= 0.34
    assert answer["measures"]["face_visible_ratio"] > 0.9  # the good frames were all kept
    data = live_client.app.state.services.store.files
    assert not (data.session_dir(session["id"]) / answer_id).exists(), "not kept: no media left"


def test_a_live_answer_cut_off_by_a_server_stop_is_analysed_after_restart(tmp_path, fixtures_dir):
    """The server died mid-answer: frames.bin and audio.pcm are on disk, the answer says
    "recording". The next start analyses what arrived and deletes the media (not kept)."""
    settings = web_settings(tmp_path)
    settings.jobs.stale_after_s = 0.5
    with TestClient(create_app(settings)) as client:
        session = interview(client, seed=32, consent={"camera": True, "microphone": True,
                                                       "keep_recording": False})
        store = client.app.state.services.store
        answer = store.add_answer(session["id"], source="live", status="recording", question="Hi?")
    recording = LiveRecording(store.files.answer_dir(session["id"], answer.id))
    for message in stream_messages(fixtures_dir / SBWE[0]):
        payload = message.data[13:]
        if message.kind == FRAME:
            recording.add_frame(message.t, payload)
        else:
            recording.add_audio(payload)
    recording.close()  # no finish(): the process "died" here
    time.sleep(1.0)
    with TestClient(create_app(settings)) as client:
        result = wait_for_answer(client, answer.id)
        assert result["status"] == "done", result["error"]
        assert word_errors(SBWE[1], result["transcript"]).wer <= 0.34
        assert result["has_recording"] is False
        assert not (store.files.session_dir(session["id"]) / answer.id).exists()


def test_killed_server_with_uploads_queued_finishes_them_all_after_restart(tmp_path, fixtures_dir):
    """kill -9 of `mockmirror serve` with three uploads queued or analysing; a new server on the
    same data finishes every one, once, and no recording is left (none was kept)."""
    data = tmp_path / "data"
    clips = ["grid_av/sbwe5n.mpg", "grid_av/lbax4n.mpg", "grid_av/pwij3p.mpg"]
    with serve(data) as (url, process):
        session = httpx.post(f"{url}/api/sessions", json={
            "kind": "upload", "consent": {"camera": True, "microphone": True, "keep_recording": False},
        }, timeout=30).json()
        ids = []
        for clip in clips:
            with (fixtures_dir / clip).open("rb") as handle:
                response = httpx.post(f"{url}/api/sessions/{session['id']}/answers",
                                      files={"file": (clip.split("/")[-1], handle)}, timeout=60)
            assert response.status_code == 202, response.text
            ids.append(response.json()["id"])
        statuses = [httpx.get(f"{url}/api/answers/{i}", timeout=10).json()["status"] for i in ids]
        assert "done" not in statuses[1:], "the kill must come with work still queued"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    with serve(data) as (url, _process):
        deadline = time.monotonic() + 400
        answers = []
        while time.monotonic() < deadline:
            answers = [httpx.get(f"{url}/api/answers/{i}", timeout=10).json() for i in ids]
            if all(a["status"] in ("done", "failed") for a in answers):
                break
            time.sleep(1.0)
        assert [a["status"] for a in answers] == ["done"] * 3, [a.get("error") for a in answers]
        jobs = [httpx.get(f"{url}/api/jobs/{a['job_id']}", timeout=10).json() for a in answers]
        assert all(j["state"] == "done" for j in jobs)
    assert not any((data / "recordings" / session["id"]).glob("*/upload.*"))
