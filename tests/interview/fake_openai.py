"""A tiny OpenAI-compatible chat server for tests (127.0.0.1, ephemeral port, its own thread).

The ``model`` field of each request picks the behaviour, so one server serves every case:
good answers (streamed or not) and the misbehaviours the guard must catch.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GOOD = "Could you tell me what came of it in the end, and how you knew?"
REPLIES = {
    "good": GOOD,
    "good-json": GOOD,
    "ignores-stream": GOOD,
    "preamble": 'Sure! Here is a more natural version:\n\n"' + GOOD + '"',
    "two-questions": "What happened next? And what did you learn from it?",
    "invented-number": "Did that change save the team 30 percent of their time?",
    "grades": "I would rate that answer 6/10. What was the outcome?",
    "too-long": "Could you " + "please " * 80 + "say what happened?",
    "no-question": "Tell me what came of it.",
    "empty": "",
}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
        mode = body.get("model", "good")
        if self.path != "/v1/chat/completions":
            return self._send(404, "application/json", b'{"error": "not found"}')
        if mode == "http-500":
            return self._send(500, "application/json", b'{"error": "boom"}')
        if mode == "slow":
            time.sleep(3.0)
        if mode == "malformed":
            return self._send(200, "text/event-stream", b"data: {not json\n\n")
        if mode == "stall":
            return self._stall()
        text = REPLIES.get(mode, GOOD)
        if body.get("stream") and mode not in ("good-json", "ignores-stream"):
            return self._stream(text)
        reply = {"choices": [{"index": 0, "message": {"role": "assistant", "content": text}}]}
        self._send(200, "application/json", json.dumps(reply).encode())

    def _send(self, status: int, ctype: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, text: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        words = text.split(" ")
        for i, word in enumerate(words):
            piece = word if i == 0 else " " + word
            chunk = {"choices": [{"index": 0, "delta": {"content": piece}}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")

    def _stall(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        chunk = {"choices": [{"index": 0, "delta": {"content": "Could"}}]}
        for _ in range(30):  # a token every 0.1 s, never finishing within the test's deadline
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
            time.sleep(0.1)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    requests: list[dict]


class FakeOpenAIServer:
    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.requests = []
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    @property
    def requests(self) -> list[dict]:
        return self._server.requests

    def __enter__(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
