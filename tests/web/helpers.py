"""Helpers shared by the web tests."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from mockmirror.settings import Settings


def web_settings(tmp_path, **web) -> Settings:
    settings = Settings()
    settings.web.data_dir = tmp_path / "data"
    for key, value in web.items():
        setattr(settings.web, key, value)
    return settings


def wait_for_answer(client: TestClient, answer_id: str, timeout: float = 240.0) -> dict:
    deadline = time.monotonic() + timeout
    seen_progress = []
    while time.monotonic() < deadline:
        answer = client.get(f"/api/answers/{answer_id}").json()
        seen_progress.append(answer["progress"])
        if answer["status"] in ("done", "failed"):
            answer["seen_progress"] = seen_progress
            return answer
        time.sleep(0.3)
    raise AssertionError(f"answer {answer_id} not analysed within {timeout} s")


def interview(client: TestClient, **overrides) -> dict:
    body = {"core_questions": 2, "warm_up": False, "closing": False, "max_follow_ups": 0, "seed": 11,
            "consent": {"camera": True, "microphone": True, "keep_recording": True}}
    body.update(overrides)
    response = client.post("/api/sessions", json=body)
    assert response.status_code == 201, response.text
    return response.json()
