"""Helpers shared by the web tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from mockmirror.settings import Settings


def web_settings(tmp_path, **web) -> Settings:
    settings = Settings()
    settings.web.data_dir = tmp_path / "data"
    settings.web.allowed_hosts = ["testserver"]  # TestClient's Host name
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(data_dir: Path, **env: str):
    """`mockmirror serve` in a process of its own on a free 127.0.0.1 port; yields (url, process)."""
    port = free_port()
    environment = {**os.environ, "MOCKMIRROR_WEB__DATA_DIR": str(data_dir), "OMP_WAIT_POLICY": "PASSIVE",
                   **env}
    data_dir.mkdir(parents=True, exist_ok=True)
    log = (data_dir.parent / f"server-{port}.log").open("w")  # a file: a full pipe would block the server
    process = subprocess.Popen(
        [sys.executable, "-m", "mockmirror.cli.main", "serve", "--no-open", "--port", str(port)],
        env=environment, stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    process.log_path = Path(log.name)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                if process.poll() is not None:
                    raise AssertionError(f"the server exited: {process.log_path.read_text()}") from None
                time.sleep(0.3)
        else:
            raise AssertionError("the server did not start within 60 s")
        yield url, process
    finally:
        stop_process(process, 10)
        log.close()


def stop_process(process: subprocess.Popen, timeout: float) -> None:
    """Ask a child process to end; kill it if it is still there after ``timeout`` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
