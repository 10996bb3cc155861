"""The upload size cap on a real uvicorn server (`mockmirror serve`, cap 5 MB from the environment).

A 2 GB upload is streamed from a generator (1 MB of zeros at a time, nothing held) over a raw
socket, chunked, with no Content-Length: the server must answer 413 at the cap and close the
connection — not read 2 GB first (FastAPI's UploadFile would spool it all to a temp file) — and
leave nothing on disk or in memory. A declared Content-Length over the cap is refused before any
of the body is sent.
"""

from __future__ import annotations

import json
import select
import socket
import time
from pathlib import Path

import httpx
import pytest

from .helpers import serve

CAP_MB = 5
TWO_GB = 2 * 1024**3
BOUNDARY = "mockmirrorcaptest"
PART_HEAD = (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="huge.webm"\r\n'
             "Content-Type: video/webm\r\n\r\n").encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cap")
    tmp = folder / "tmp"  # the server's TMPDIR: a spooled upload would show up here
    tmp.mkdir()
    with serve(folder / "data", MOCKMIRROR_WEB__MAX_UPLOAD_MB=str(CAP_MB), TMPDIR=str(tmp)) as (url, process):
        yield url, process, folder


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _head(port: int, path: str, extra: str) -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n{extra}\r\n").encode()


def _chunks(total: int):
    """The multipart body of a `total`-byte file, as HTTP/1.1 chunks, made on the fly."""
    zeros = bytes(1 << 20)
    frame = lambda data: f"{len(data):x}\r\n".encode() + data + b"\r\n"  # noqa: E731
    yield frame(PART_HEAD)
    for _ in range(total // len(zeros)):
        yield frame(zeros)
    yield frame(f"\r\n--{BOUNDARY}--\r\n".encode())
    yield b"0\r\n\r\n"


def _response(raw: bytes) -> tuple[int, dict, bytes] | None:
    """(status, headers, body) once `raw` holds a whole response with a Content-Length."""
    if b"\r\n\r\n" not in raw:
        return None
    head, body = raw.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    if len(body) < int(headers.get("content-length", 0)):
        return None
    return int(lines[0].split()[1]), headers, body


def _exchange(port: int, head: bytes, chunks, timeout: float = 30.0) -> dict:
    """Send `head` then `chunks` while reading: stop sending when the answer
    comes, as a browser does. Returns the response, bytes of body sent, and whether the server
    then closed the connection."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setblocking(False)
    pending = memoryview(head)
    raw, sent, response, sending = b"", 0, None, True
    started = time.monotonic()
    try:
        while response is None and time.monotonic() - started < timeout:
            if not pending and sending:
                piece = next(chunks, None)
                if piece is None:
                    sending = False
                else:
                    pending = memoryview(piece)
            readable, writable, _ = select.select([sock], [sock] if pending else [], [], 1.0)
            if readable:
                data = sock.recv(65536)
                if not data:
                    break
                raw += data
                response = _response(raw)
            if writable and pending:
                try:
                    n = sock.send(pending)
                except (BrokenPipeError, ConnectionResetError):
                    pending, sending = memoryview(b""), False
                    continue
                sent += n
                pending = pending[n:]
        elapsed = time.monotonic() - started
        assert response is not None, f"no response after {elapsed:.1f} s; got {raw[:300]!r}"
        # Then the server hangs up rather than reading (and throwing away) the rest.
        sock.setblocking(True)
        sock.settimeout(3)
        try:
            closed = sock.recv(65536) == b""
        except ConnectionResetError:
            closed = True
        except TimeoutError:
            closed = False
    finally:
        sock.close()
    status, headers, body = response
    return {"status": status, "headers": headers, "json": json.loads(body), "sent": sent,
            "elapsed": elapsed, "closed": closed}


def _files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_a_2_gb_stream_is_refused_at_the_cap(server):
    url, process, folder = server
    port = int(url.rsplit(":", 1)[1])
    sid = httpx.post(f"{url}/api/sessions", json={"kind": "upload"}).json()["id"]
    peak_before = _peak_rss_mb(process.pid)
    result = _exchange(port, _head(port, f"/api/sessions/{sid}/answers", "Transfer-Encoding: chunked\r\n"),
                       _chunks(TWO_GB))
    print(f"2 GB stream refused after {result['elapsed']:.2f} s, {result['sent'] / 1e6:.1f} MB sent")
    assert result["status"] == 413
    assert result["json"]["detail"].startswith("The recording is too large; the limit is 5.0 MB.")
    assert result["headers"].get("connection") == "close" and result["closed"], "the server kept reading"
    assert result["sent"] < 64e6, "the server read far past the 5 MB cap"
    assert result["elapsed"] < 10
    assert _peak_rss_mb(process.pid) - peak_before < 64, "the upload was held in memory"
    assert _files_under(folder / "tmp") == [], "the upload was spooled to a temp file"
    assert _files_under(folder / "data" / "recordings") == [], "part of the upload was left on disk"
    assert httpx.get(f"{url}/api/sessions/{sid}").json()["answers"] == []
    # The server is still fine.
    assert httpx.get(f"{url}/api/health").status_code == 200


def test_a_declared_length_over_the_cap_is_refused_before_the_body(server):
    url, _, _ = server
    port = int(url.rsplit(":", 1)[1])
    sid = httpx.post(f"{url}/api/sessions", json={"kind": "upload"}).json()["id"]
    # Headers only: the 2 GB body is never sent; the answer must come anyway.
    head = _head(port, f"/api/sessions/{sid}/answers", "Content-Length: 2000000000\r\n")
    result = _exchange(port, head, iter(()), timeout=10)
    assert result["status"] == 413 and result["sent"] == len(head)
    assert result["json"]["detail"] == ("The recording is 2.0 GB; the limit is 5.0 MB. "
                                        "Trim it, or raise MOCKMIRROR_WEB__MAX_UPLOAD_MB.")
    assert result["elapsed"] < 5
    assert httpx.get(f"{url}/api/sessions/{sid}").json()["answers"] == []
