from __future__ import annotations

import pytest
from starlette.websockets import WebSocketDisconnect

from .helpers import interview


def test_create_list_get_delete_a_session(client):
    session = interview(client, role="software", difficulty=3)
    assert session["state"] == "listening"
    assert session["prompt"]["kind"] == "question" and session["prompt"]["total"] == 2
    assert session["prompt"]["text"].endswith(("?", "."))
    assert session["consent"] == {"camera": True, "microphone": True, "keep_recording": True,
                                  "emotion_inference": False}
    assert session["id"] in [s["id"] for s in client.get("/api/sessions").json()]
    assert client.get(f"/api/sessions/{session['id']}").json()["difficulty"] == 3
    assert client.delete(f"/api/sessions/{session['id']}").status_code == 200
    assert client.get(f"/api/sessions/{session['id']}").status_code == 404


def test_a_pasted_job_description_aims_the_questions(client):
    jd = "Senior Data Analyst\nWe need strong SQL, Python and dashboard skills (Tableau), stakeholder work."
    session = interview(client, job_description=jd, core_questions=3, seed=5)
    assert session["job_title"] == "Senior Data Analyst" and session["has_job_description"]
    assert session["role"] == "any"


def test_text_answers_drive_the_dialogue_to_the_end(client):
    session = interview(client, core_questions=1, max_follow_ups=1, seed=2)
    sid = session["id"]
    first = session["prompt"]["text"]
    short = client.post(f"/api/sessions/{sid}/answers/text", json={"text": "Yes."}).json()
    assert short["state"] == "follow_up", "a one-word answer is asked to expand"
    assert short["prompt"]["kind"] == "follow_up" and short["prompt"]["text"] != first
    done = client.post(f"/api/sessions/{sid}/skip").json()
    assert done["state"] == "done" and done["summary"]["planned"] == 1
    again = client.post(f"/api/sessions/{sid}/skip")
    assert again.status_code == 409 and "done" in again.json()["detail"]


def test_the_dialogue_is_rebuilt_after_a_restart(client):
    session = interview(client, core_questions=2, max_follow_ups=0, seed=9)
    sid = session["id"]
    client.post(f"/api/sessions/{sid}/skip")
    services = client.app.state.services
    services.interviews.forget_all()  # as after a server restart: only the store remembers
    resumed = client.post(f"/api/sessions/{sid}/skip").json()
    assert resumed["state"] == "done"


def test_an_interview_without_a_microphone_is_refused_with_a_reason(client):
    response = client.post("/api/sessions", json={"consent": {"microphone": False}})
    assert response.status_code == 422 and "microphone" in response.json()["detail"]


def test_calibration_is_stored_on_the_session_and_as_a_setting(client):
    sid = interview(client)["id"]
    samples = [(2.0 + 0.1 * i, -3.0) for i in range(8)]
    response = client.put(f"/api/sessions/{sid}/calibration",
                          json={"camera": samples, "screen_centre": [(0.0, -15.0)] * 6})
    assert response.json()["calibrated"] is True
    stored = client.app.state.services.store.get_setting("calibration")
    assert abs(stored["camera_yaw"] - 2.35) < 0.2 and stored["calibrated"]


def test_openapi_lists_every_ui_action(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/sessions", "/api/sessions/{session_id}", "/api/sessions/{session_id}/answers",
                 "/api/sessions/{session_id}/skip", "/api/answers/{answer_id}",
                 "/api/answers/{answer_id}/report", "/api/answers/{answer_id}/report.html",
                 "/api/sessions/{session_id}/report", "/api/jobs/{job_id}", "/api/dashboard",
                 "/api/data/export", "/api/data"):
        assert path in paths, path


def test_other_sites_cannot_write_or_stream_into_the_local_app(client):
    evil = {"origin": "http://evil.example"}
    refused = client.post("/api/sessions", json={}, headers=evil)
    assert refused.status_code == 403
    assert client.delete("/api/data", headers=evil).status_code == 403
    own = client.post("/api/sessions", json={"seed": 1}, headers={"origin": "http://testserver"})
    assert own.status_code == 201
    assert client.get("/api/health", headers={"host": "rebound.example"}).status_code == 400
    with pytest.raises(WebSocketDisconnect) as closed, client.websocket_connect(
        f"/api/sessions/{own.json()['id']}/live", headers=evil
    ) as ws:
        ws.receive_json()
    assert closed.value.code == 4403


def test_the_ui_reads_the_servers_settings_from_one_endpoint(client):
    settings = client.app.state.services.settings
    config = client.get("/api/config").json()
    web = settings.web
    assert config["max_upload_mb"] == web.max_upload_mb == 1.0  # this module's test cap
    assert tuple(config["pace_band_wpm"]) == settings.speech.pace_band_wpm
    assert config["poll_interval_s"] == web.poll_interval_s
    assert config["report_poll_interval_s"] == web.report_poll_interval_s
    assert config["live"] == {"answer_end_quiet_s": web.answer_end_quiet_s,
                              "answer_min_speech_s": web.answer_min_speech_s,
                              "nudge_show_s": web.nudge_show_s, "cue_min_interval_s": web.cue_min_interval_s}
    assert config["replay"] == {"cue_show_s": web.replay_cue_show_s, "event_min_s": web.replay_event_min_s}
    assert "any" in config["roles"] and "software" in config["roles"]
    assert config["emotion_inference_allowed"] == (settings.fusion.mode == "personal")
    assert "/api/config" in client.get("/api/openapi.json").json()["paths"]
