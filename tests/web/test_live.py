"""The live answer WebSocket, fed with real GRID frames and audio."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest
from fastapi.testclient import TestClient

from mockmirror.speech.wer import word_errors
from mockmirror.web import create_app
from mockmirror.web.simulate import stream_messages

from .helpers import interview, wait_for_answer, web_settings

SBWE = ("grid_av/sbwe5n.mpg", "set blue with e five now")


@pytest.fixture(scope="module")
def live_client(tmp_path_factory):
    # Nudges every 2 s at most, so a 12 s stream can show several (the product waits 20 s).
    settings = web_settings(tmp_path_factory.mktemp("live"), cue_min_interval_s=2.0)
    with TestClient(create_app(settings)) as client:
        yield client


def _send_paced(ws, messages, speed: float = 4.0) -> None:
    """Send in time order at ``speed`` x real time (the worker skips frames it cannot keep up with)."""
    started = time.monotonic()
    for message in messages:
        lag = message.t / speed - (time.monotonic() - started)
        if lag > 0:
            time.sleep(lag)
        ws.send_bytes(message.data)


def _rotated(rgb: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.rot90(rgb))  # a sideways face: counts as no face in view


def test_live_answer_gives_cues_and_is_analysed(live_client, fixtures_dir):
    session = interview(live_client, seed=21)
    clips = ["grid_av/sbwe5n.mpg", "grid_av/lbax4n.mpg", "grid_av/pwij3p.mpg", "grid_av/swiz3n.mpg"]
    messages = []
    for i, clip in enumerate(clips):
        # the face turns sideways in the last two clips: the visual rule must see it
        transform = _rotated if i >= 2 else None
        messages += stream_messages(fixtures_dir / clip, offset_s=3.0 * i, transform=transform,
                                    seq_start=10_000 * i)
    with live_client.websocket_connect(f"/api/sessions/{session['id']}/live?telemetry=1") as ws:
        ready = ws.receive_json()
        assert ready["type"] == "ready" and ready["answer_id"]
        _send_paced(ws, messages)
        ws.send_text('{"type": "end"}')
        received = []
        while True:
            message = ws.receive_json()
            received.append(message)
            if message["type"] == "ended":
                break
    cues = [m for m in received if m["type"] == "cue"]
    frames = [m for m in received if m["type"] == "frame"]
    assert frames and any(f["face"] for f in frames) and any(not f["face"] for f in frames)
    kinds = {c["kind"] for c in cues}
    assert "face_hidden" in kinds, cues
    hidden = next(c for c in cues if c["kind"] == "face_hidden")
    assert hidden["t"] >= 6.0 + 3.0 - 0.5, "the sideways face started at 6 s; the rule needs 3 s of it"
    times = [c["t"] for c in cues]
    assert all(b - a >= 2.0 for a, b in itertools.pairwise(times)), "nudges are rate-limited"
    ended = received[-1]
    answer = wait_for_answer(live_client, ended["answer_id"])
    assert answer["status"] == "done", answer["error"]
    assert answer["source"] == "live" and len(answer["cues"]) == len(cues)
    assert 11.0 < answer["duration_s"] < 13.0
    assert word_errors(SBWE[1], answer["transcript"].split(".")[0]).wer <= 0.34


def test_a_dropped_socket_keeps_and_analyses_the_answer_so_far(live_client, fixtures_dir):
    session = interview(live_client, seed=22)
    with live_client.websocket_connect(f"/api/sessions/{session['id']}/live") as ws:
        answer_id = ws.receive_json()["answer_id"]
        _send_paced(ws, list(stream_messages(fixtures_dir / SBWE[0])), speed=8.0)
        # no "end": the connection just goes away (tab closed, network lost)
    answer = wait_for_answer(live_client, answer_id)
    assert answer["status"] == "done", answer["error"]
    assert word_errors(SBWE[1], answer["transcript"]).wer <= 0.34
    assert answer["measures"]["face_visible_ratio"] > 0.9


def test_camera_denied_gives_an_audio_only_interview(live_client, fixtures_dir):
    session = interview(live_client, seed=23, consent={"camera": False, "microphone": True})
    with live_client.websocket_connect(f"/api/sessions/{session['id']}/live") as ws:
        ready = ws.receive_json()
        assert ready["camera"] is False
        # a browser without the camera sends audio only
        for message in stream_messages(fixtures_dir / SBWE[0], video=False):
            ws.send_bytes(message.data)
        ws.send_text('{"type": "end"}')
        ended = ws.receive_json()
    answer = wait_for_answer(live_client, ended["answer_id"])
    assert answer["status"] == "done", answer["error"]
    report = live_client.get(answer["report_url"]).json()
    assert report["input"]["has_video"] is False and not report["face"]["available"]
    assert word_errors(SBWE[1], answer["transcript"]).wer <= 0.34
    assert answer["has_recording"] is False, "keep_recording was not chosen: the media is deleted"
    after = live_client.get(f"/api/sessions/{session['id']}").json()
    assert after["prompt"]["number"] == 2


def test_calibration_stream_sets_the_gaze_baseline(live_client, fixtures_dir):
    session = interview(live_client, seed=24)
    with live_client.websocket_connect(f"/api/sessions/{session['id']}/live?mode=calibration") as ws:
        assert ws.receive_json()["answer_id"] is None
        messages = list(stream_messages(fixtures_dir / SBWE[0]))
        ws.send_text('{"type": "phase", "phase": "camera"}')
        _send_paced(ws, [m for m in messages if m.t < 1.5], speed=2.0)
        ws.send_text('{"type": "phase", "phase": "sentence"}')
        _send_paced(ws, [m for m in messages if m.t >= 1.5], speed=2.0)
        time.sleep(0.3)
        ws.send_text('{"type": "end"}')
        result = ws.receive_json()
    assert result["type"] == "calibrated"
    assert result["samples"]["camera"] >= 5 and result["calibrated"] is True
    assert result["speech_dbfs"] is not None and -50 < result["speech_dbfs"] < 0
    assert live_client.get(f"/api/sessions/{session['id']}").json()["calibrated"] is True
    services = live_client.app.state.services
    job = services.runner.wait(result["baseline_job_id"], timeout=120)
    assert job.state.value == "done", job.error
    baseline = services.store.get_session(session["id"]).calibration["baseline"]
    assert baseline["source"] == "calibration"
    assert baseline["loudness_variation_db"] is not None or baseline["head_movement_deg_per_s"] is not None
    assert not (services.store.files.session_dir(session["id"]) / "calibration").exists()
