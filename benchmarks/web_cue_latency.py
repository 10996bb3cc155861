"""Frame-in → cue-out latency of the live answer WebSocket (target: p95 ≤ 150 ms for visual cues).

Starts the web app with uvicorn on 127.0.0.1 (a free port, stopped at the end), streams GRID clips
as the browser does (320x240 JPEG at 10 fps + 100 ms PCM chunks, in real time) and measures, per
frame the server read:
  - round trip: the client sent the frame → the client received that frame's result (the same
    path a visual cue takes: receive, face landmarks + gaze, cue rules, send);
  - server: frame received → cue rules done, measured inside the server;
  - visual cues actually sent (the face turns sideways in some clips, so 'face in view' fires),
    with their round trip.
Frames the worker skipped because it was still busy are counted (they are recorded, not read).

    .venv/bin/python benchmarks/web_cue_latency.py [--seconds 30] [--out benchmarks/results]

Writes benchmarks/results/web_cue_latency-YYYY-MM-DD.{json,md}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import numpy as np
import uvicorn
import websockets

from mockmirror.settings import Settings
from mockmirror.web import create_app
from mockmirror.web.live import FRAME, HEADER
from mockmirror.web.simulate import stream_messages

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT.parent / "shared" / "fixtures" / "grid_av"
CLIPS = ["sbwe5n.mpg", "lbax4n.mpg", "pwij3p.mpg", "swiz3n.mpg", "brbk7n.mpg", "lrwp9a.mpg",
         "bbaf2n.mpg", "sbia1a.mpg", "lbbc2a.mpg", "lwbsza.mpg"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 1) if values else None


async def run(url: str, seconds: float) -> dict:
    import httpx

    async with httpx.AsyncClient() as client:
        body = {"core_questions": 1, "warm_up": False, "closing": False, "seed": 1,
                "consent": {"camera": True, "microphone": True}}
        session = (await client.post(f"http://{url}/api/sessions", json=body)).json()
    messages = []
    n = 0
    while messages == [] or messages[-1].t < seconds:
        clip = CLIPS[n % len(CLIPS)]
        sideways = n % 4 == 3  # every fourth clip turned sideways: no face in view for 3 s
        transform = (lambda rgb: np.ascontiguousarray(np.rot90(rgb))) if sideways else None
        messages += stream_messages(
            FIXTURES / clip, offset_s=3.0 * n, transform=transform, seq_start=10_000 * n
        )
        n += 1
    sent_at: dict[int, float] = {}
    round_trip, server, cue_rtt, cues = [], [], [], []
    ws_url = f"ws://{url}/api/sessions/{session['id']}/live?telemetry=1"
    async with websockets.connect(ws_url, max_size=None) as ws:
        assert json.loads(await ws.recv())["type"] == "ready"

        async def receive() -> None:
            async for raw in ws:
                now = time.perf_counter()
                message = json.loads(raw)
                if message["type"] == "frame" and message["seq"] in sent_at:
                    round_trip.append((now - sent_at[message["seq"]]) * 1000)
                    server.append(message["latency_ms"])
                elif message["type"] == "cue":
                    cues.append(message)
                    if message["source"] == "face":
                        cue_rtt.append(message["latency_ms"])
                elif message["type"] == "ended":
                    return

        receiver = asyncio.create_task(receive())
        started = time.perf_counter()
        frames_sent = 0
        for message in messages:
            delay = message.t - (time.perf_counter() - started)
            if delay > 0:
                await asyncio.sleep(delay)
            if message.kind == FRAME:
                seq = HEADER.unpack_from(message.data)[1]
                sent_at[seq] = time.perf_counter()
                frames_sent += 1
            await ws.send(message.data)
        await ws.send(json.dumps({"type": "end"}))
        await asyncio.wait_for(receiver, 60)
    return {
        "stream_s": round(messages[-1].t, 1),
        "frames_sent": frames_sent,
        "frames_read": len(round_trip) + len(cue_rtt),
        "round_trip_ms": {
            "p50": _pct(round_trip, 50), "p95": _pct(round_trip, 95), "max": _pct(round_trip, 100)
        },
        "server_ms": {"p50": _pct(server, 50), "p95": _pct(server, 95), "max": _pct(server, 100)},
        "visual_cues": len(cue_rtt),
        "visual_cue_server_ms": {"p50": _pct(cue_rtt, 50), "p95": _pct(cue_rtt, 95)},
        "cue_kinds": sorted({c["kind"] for c in cues}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()
    settings = Settings()
    settings.web.data_dir = Path(tempfile.mkdtemp(prefix="mockmirror-bench-"))
    settings.web.cue_min_interval_s = 5.0  # several visual cues in one run (the product uses 20 s)
    port = _free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.1)
    try:
        measured = asyncio.run(run(f"127.0.0.1:{port}", args.seconds))
    finally:
        server.should_exit = True
        thread.join(30)
    result = {
        "benchmark": "web_cue_latency",
        "date": date.today().isoformat(),
        "host": {"cpus": os.cpu_count(), "python": platform.python_version(), "machine": platform.machine()},
        "target_p95_ms": 150,
        **measured,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"web_cue_latency-{result['date']}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    rt, sv, cue = result["round_trip_ms"], result["server_ms"], result["visual_cue_server_ms"]
    stem.with_suffix(".md").write_text(
        f"# Live cue latency ({result['date']})\n\n"
        f"{result['stream_s']} s of GRID clips streamed in real time over the WebSocket (320x240 JPEG at "
        "10 fps + 100 ms PCM chunks) to the web app (create_app on uvicorn, in process) on 127.0.0.1; "
        f"{result['host']['cpus']} CPUs shared with other work.\n\n"
        "| measure | p50 ms | p95 ms | max ms |\n|---|---|---|---|\n"
        f"| frame sent → its result received (round trip) | {rt['p50']} | {rt['p95']} | {rt['max']} |\n"
        f"| frame received → cue rules done (server) | {sv['p50']} | {sv['p95']} | {sv['max']} |\n"
        f"| visual cues sent ({result['visual_cues']}), server | {cue['p50']} | {cue['p95']} | |\n\n"
        f"Frames sent {result['frames_sent']}, read for cues {result['frames_read']} (the rest were skipped "
        f"while the worker was busy; all are recorded). Target: p95 ≤ {result['target_p95_ms']} ms.\n"
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
