"""The hardening probes of the security review, each refused or bounded (docs/deploy.md).

No models load here: sessions are uploads without camera, and nothing is analysed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from mockmirror.web import create_app
from mockmirror.web.security import CSP, report_page, scrub_paths

from .helpers import web_settings

STATIC = Path(__file__).resolve().parents[2] / "src" / "mockmirror" / "web" / "static"
UPLOAD_SESSION = {"kind": "upload", "consent": {"camera": False, "microphone": True}}


@pytest.fixture(scope="module")
def hard(tmp_path_factory):
    settings = web_settings(
        tmp_path_factory.mktemp("hard"), max_body_kb=16.0, max_upload_mb=0.5, ws_max_connections=1,
        ws_max_message_kb=4.0, ws_max_messages_per_s=5.0, ws_max_duration_s=30.0,
        allowed_hosts=["testserver", "coach.example.org"], allowed_origins=["https://coach.example.org"],
    )
    settings.web.host = "0.0.0.0"  # bound to every address: the Host check must still hold
    with TestClient(create_app(settings)) as client:
        yield client


def _session(client: TestClient, **fields) -> dict:
    response = client.post("/api/sessions", json={**UPLOAD_SESSION, **fields})
    assert response.status_code == 201, response.text
    return response.json()


# --- request bodies --------------------------------------------------------------------------


def test_a_declared_oversized_json_body_is_refused_before_it_is_read(hard):
    body = b'{"job_description": "' + b"x" * 40_000 + b'"}'
    response = hard.post("/api/sessions", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "16 KB" in response.json()["detail"] and "xxxx" not in response.text


def test_a_chunked_oversized_body_is_refused_at_the_cap(hard):
    sent = []

    def chunks():
        for _ in range(100):  # 100 x 8 KB = 800 KB, with no Content-Length
            sent.append(1)
            yield b"x" * 8192

    response = hard.post("/api/sessions", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "xxxx" not in response.text


def test_a_422_never_echoes_the_body(hard):
    marker = "SECRET-" + "y" * 5000
    response = hard.post("/api/sessions", json={"kind": "upload", "core_questions": marker})
    assert response.status_code == 422
    assert "SECRET" not in response.text and "yyyy" not in response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "core_questions"] and "input" not in error


def test_a_multipart_form_with_too_many_fields_is_refused(hard):
    session = _session(hard)
    fields = {f"f{i}": "v" for i in range(20)}
    response = hard.post(f"/api/sessions/{session['id']}/answers", data=fields,
                         files={"file": ("a.wav", b"RIFF", "audio/wav")})
    assert response.status_code == 422 and "fields" in response.json()["detail"]
    assert hard.get(f"/api/sessions/{session['id']}").json()["answers"] == []  # nothing kept


def test_an_oversized_multipart_text_field_is_refused(hard):
    session = _session(hard)
    response = hard.post(f"/api/sessions/{session['id']}/answers", data={"question": "q" * 70_000},
                         files={"file": ("a.wav", b"RIFF", "audio/wav")})
    assert response.status_code == 422 and "too long" in response.json()["detail"]


# --- headers, docs, the static UI --------------------------------------------------------------


def test_every_response_carries_the_security_headers(hard):
    for path in ("/", "/api/health", "/static/js/main.js", "/api/sessions/nope"):
        headers = hard.get(path).headers
        assert headers["content-security-policy"] == CSP, path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in CSP
    script_src = re.search(r"script-src ([^;]+)", CSP).group(1)
    assert script_src == "'self'"  # no inline scripts, no eval, no other origin
    assert hard.get("/api/health").headers["cache-control"] == "no-store"


def test_the_static_ui_has_no_inline_script_for_the_csp_to_block():
    pages = list(STATIC.rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag, f"inline script in {page.name}"
        assert not re.search(r"\son[a-z]+\s*=", text), f"inline event handler in {page.name}"
    for module in STATIC.rglob("*.js"):
        if "vendor" in module.parts:
            continue
        text = module.read_text()
        assert "eval(" not in text and "new Function" not in text, module.name


def test_api_docs_load_nothing_from_a_cdn(hard):
    assert hard.get("/api/docs").status_code == 404  # Swagger UI would pull scripts from a CDN
    spec = hard.get("/api/openapi.json")
    assert spec.status_code == 200 and "cdn" not in spec.text.lower()


def test_a_report_page_may_run_only_its_own_scripts():
    page = report_page("<html><script>seek(1)</script><p>hi</p></html>")
    csp = page.headers["content-security-policy"]
    assert "script-src 'sha256-" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp and "connect-src" not in csp  # default-src 'none'


# --- hosts and origins behind a proxy ------------------------------------------------------------


def test_unknown_host_names_are_refused_even_on_a_public_bind(hard):
    assert hard.get("/api/health", headers={"host": "attacker.example"}).status_code == 400
    assert hard.get("/api/health", headers={"host": "coach.example.org"}).status_code == 200


def test_a_server_bound_to_one_address_answers_to_it(tmp_path):
    settings = web_settings(tmp_path)
    settings.web.host = "192.168.1.5"
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/health", headers={"host": "192.168.1.5:8000"}).status_code == 200
        assert client.get("/api/health", headers={"host": "192.168.1.6"}).status_code == 400


def test_writes_from_other_origins_are_refused(hard):
    body = UPLOAD_SESSION
    refused = hard.post("/api/sessions", json=body, headers={"origin": "https://evil.example"})
    assert refused.status_code == 403
    allowed = hard.post("/api/sessions", json=body, headers={"origin": "https://coach.example.org"})
    assert allowed.status_code == 201


# --- errors reveal no server paths ---------------------------------------------------------------


def test_scrub_paths_keeps_only_file_names():
    text = "cannot open /home/ann/.local/share/mockmirror/recordings/ab/cd/answer.mkv: no such file"
    assert scrub_paths(text) == "cannot open answer.mkv: no such file"
    assert scrub_paths(r"failed at C:\Users\ann\data\x.wav") == "failed at x.wav"
    assert scrub_paths("ratio 3/4 is fine") == "ratio 3/4 is fine"


def test_a_failed_answer_shows_no_server_path(hard):
    session = _session(hard)
    store = hard.app.state.services.store
    answer = store.add_answer(session["id"], status="failed",
                              error="ffmpeg: /srv/mockmirror/data/recordings/x/y/answer.mkv: Invalid data")
    shown = hard.get(f"/api/answers/{answer.id}").json()["error"]
    assert "/srv" not in shown and "answer.mkv" in shown


def test_an_unexpected_error_tells_the_client_nothing_of_the_server(tmp_path):
    app: FastAPI = create_app(web_settings(tmp_path))

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret at /srv/mockmirror/data/mockmirror.sqlite3")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/boom")
    assert response.status_code == 500 and "/srv" not in response.text and "secret" not in response.text


# --- files on disk -------------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_data_is_readable_by_this_user_only(hard):
    store = hard.app.state.services.store
    root = store.files.root
    assert _mode(root) == 0o700
    assert _mode(root / "mockmirror.sqlite3") == 0o600
    session = _session(hard)
    folder = store.files.answer_dir(session["id"], "a" * 32)
    assert _mode(folder) == _mode(folder.parent) == _mode(folder.parent.parent) == 0o700


def test_the_export_is_streamed_from_a_private_file_that_is_then_deleted(hard):
    _session(hard, job_description="Export me")
    response = hard.get("/api/data/export")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    assert response.content[:2] == b"PK"
    exports = hard.app.state.services.store.files.root / "exports"
    assert _mode(exports) == 0o700 and list(exports.iterdir()) == []


def test_deleted_text_does_not_stay_in_the_database_files(hard):
    marker = "ZEBRA-QUARTZ-" * 20
    session = _session(hard, job_description=marker)
    root = hard.app.state.services.store.files.root
    assert hard.delete(f"/api/sessions/{session['id']}").status_code == 200
    for name in ("mockmirror.sqlite3", "mockmirror.sqlite3-wal"):
        path = root / name
        if path.exists():
            assert marker.encode() not in path.read_bytes(), name
    wal = root / "mockmirror.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed and truncated


# --- live sockets ----------------------------------------------------------------------------


def _close_code(ws) -> int:
    with pytest.raises(WebSocketDisconnect) as closed:
        while True:
            ws.receive_json()
    return closed.value.code


def test_a_live_message_over_the_size_cap_closes_the_socket(hard):
    session = _session(hard)
    with hard.websocket_connect(f"/api/sessions/{session['id']}/live") as ws:
        assert ws.receive_json()["type"] == "ready"
        ws.send_text('{"type": "phase", "phase": "' + "p" * 8000 + '"}')
        assert _close_code(ws) == 1009


def test_a_live_socket_sending_too_fast_is_closed(hard):
    session = _session(hard)
    with hard.websocket_connect(f"/api/sessions/{session['id']}/live") as ws:
        assert ws.receive_json()["type"] == "ready"
        for _ in range(30):  # cap: 5 a second over 2 s = 10
            ws.send_text('{"type": "phase", "phase": "camera"}')
        assert _close_code(ws) == 1008


def test_only_so_many_live_sockets_at_once(hard):
    session = _session(hard)
    with hard.websocket_connect(f"/api/sessions/{session['id']}/live") as first:
        assert first.receive_json()["type"] == "ready"
        with pytest.raises(WebSocketDisconnect) as refused, \
                hard.websocket_connect(f"/api/sessions/{session['id']}/live") as second:
            second.receive_json()
        assert refused.value.code == 1013
        first.send_text('{"type": "end"}')
        assert first.receive_json()["type"] == "ended"
    with hard.websocket_connect(f"/api/sessions/{session['id']}/live") as again:  # the slot is free
        assert again.receive_json()["type"] == "ready"
        again.send_text('{"type": "end"}')
        again.receive_json()


def test_a_live_answer_ends_at_its_longest_duration(tmp_path):
    settings = web_settings(tmp_path, ws_max_duration_s=0.5)
    with TestClient(create_app(settings)) as client:
        session = _session(client)
        with client.websocket_connect(f"/api/sessions/{session['id']}/live") as ws:
            assert ws.receive_json()["type"] == "ready"
            ended = ws.receive_json()  # nothing sent: the server ends it
            assert ended["type"] == "ended" and "longest" in ended["detail"]
            assert _close_code(ws) == 1000
