"""WebSocket of a live answer (or of the calibration): frames and audio in, calm nudges out.

Client → server: binary messages as in ``web.live`` (JPEG frames, PCM chunks); text JSON
``{"type": "end"}`` when the answer is over, ``{"type": "phase", "phase": "camera"|"screen"|
"neutral"|"sentence"}`` during calibration. Server → client: ``ready``, ``cue``, ``frame``
(only with ``?telemetry=1``: per-frame latency, for the benchmark), ``ended`` (answer id, job id),
``calibrated``, ``error``. Whatever arrived before a dropped connection is kept and analysed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

import numpy as np
from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from mockmirror.face.calibration import EyeContactCalibration
from mockmirror.store import AnswerStatus
from mockmirror.store.repository import NotFound
from mockmirror.web.cues import Cue, CueEngine
from mockmirror.web.guard import same_origin
from mockmirror.web.live import AUDIO, FRAME, FaceReader, FrameResult, LiveWorker, parse
from mockmirror.web.recording import LiveRecording
from mockmirror.web.services import Services

router = APIRouter(tags=["live"])
log = logging.getLogger(__name__)


def _cue_json(cue: Cue, latency_ms: float, source: str) -> dict[str, Any]:
    return {"type": "cue", "kind": cue.kind, "message": cue.message, "t": cue.t,
            "latency_ms": round(latency_ms, 2), "source": source}


@router.websocket("/api/sessions/{session_id}/live")
async def live_answer(
    websocket: WebSocket, session_id: str, mode: str = "answer", telemetry: int = 0
) -> None:
    services: Services = websocket.app.state.services
    store, settings = services.store, services.settings
    if not same_origin(websocket.headers.get("origin"), websocket.headers.get("host")):
        await websocket.close(code=4403)  # another site's page may not stream into this app
        return
    await websocket.accept()
    try:
        session = store.get_session(session_id)
    except NotFound:
        await websocket.send_json({"type": "error", "detail": f"no interview session {session_id}"})
        await websocket.close(code=4404)
        return
    calibrating = mode == "calibration"
    answer = None
    # The calibration is recorded too: its analysis sets the user's own baseline (then deleted).
    recording = LiveRecording(store.files.session_dir(session.id) / "calibration",
                              settings.media.audio_sample_rate) if calibrating else None
    if not calibrating:
        prompt = session.prompt or {}
        answer = store.add_answer(
            session.id, source="live", status=AnswerStatus.RECORDING,
            prompt_kind=prompt.get("kind", "question") if session.state != "done" else "extra",
            question_id=prompt.get("question_id"), question=prompt.get("text", ""),
        )
        folder = store.files.answer_dir(session.id, answer.id)
        recording = LiveRecording(folder, settings.media.audio_sample_rate)

    loop = asyncio.get_running_loop()
    cues: list[dict[str, Any]] = []
    outbox: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()

    def post(kind: str, payload: Any) -> None:  # called from the worker thread
        if kind == "cue" or getattr(payload, "cue", None) is not None:
            cue = payload["cue"] if kind == "cue" else payload.cue
            latency = payload["latency_ms"] if kind == "cue" else payload.latency_ms
            source = payload["source"] if kind == "cue" else "face"
            if not calibrating:
                cues.append(_cue_json(cue, latency, source))  # stored even if the socket is gone
        with contextlib.suppress(RuntimeError):  # the loop is closed after a dropped connection
            loop.call_soon_threadsafe(outbox.put_nowait, (kind, payload))

    reader = None
    if session.camera:
        reader = await asyncio.to_thread(FaceReader, settings, services.models)
    worker = LiveWorker(
        CueEngine(settings.web, settings.media.audio_sample_rate), reader,
        EyeContactCalibration.from_stored(session.calibration, settings.face.eye_contact_max_deg), post,
        settings.media.audio_sample_rate,
    )
    worker.start()
    phase = "camera"
    samples: dict[str, list[tuple[float, float]]] = {"camera": [], "screen": []}
    sentence_levels: list[float] = []

    async def send_out() -> None:
        while True:
            kind, payload = await outbox.get()
            message = None
            if kind == "cue":
                message = _cue_json(payload["cue"], payload["latency_ms"], payload["source"])
            elif isinstance(payload, FrameResult):
                if calibrating and payload.reading.gaze is not None and phase in samples:
                    samples[phase].append(payload.reading.gaze)
                if payload.cue is not None:
                    message = _cue_json(payload.cue, payload.latency_ms, "face")
                elif telemetry:
                    message = {"type": "frame", "seq": payload.seq,
                               "latency_ms": round(payload.latency_ms, 2),
                               "face": payload.reading.face_found, "eye_contact": payload.eye_contact}
            if message is None:
                continue
            if message["type"] == "cue" and calibrating:
                continue  # no nudges while calibrating
            with contextlib.suppress(Exception):  # the socket may be gone; the cue is stored anyway
                await websocket.send_json(message)

    sender = asyncio.create_task(send_out())
    ended = False
    await websocket.send_json({"type": "ready", "answer_id": answer.id if answer else None,
                               "camera": session.camera, "mode": mode})
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            if message.get("bytes") is not None:
                try:
                    item = parse(message["bytes"])
                except ValueError as exc:
                    await websocket.send_json({"type": "error", "detail": str(exc)})
                    continue
                if item.kind == FRAME:
                    if not session.camera:
                        continue  # no camera consent: frames are neither kept nor read
                    if recording is not None:
                        recording.add_frame(item.t, item.payload)
                    worker.offer_frame(item)
                elif item.kind == AUDIO:
                    if recording is not None:
                        recording.add_audio(item.payload)
                    if calibrating and phase == "sentence":
                        pcm = np.frombuffer(item.payload[: len(item.payload) // 2 * 2], "<i2") / 32768.0
                        if len(pcm):
                            sentence_levels.append(float(np.mean(pcm**2)))
                    worker.offer_audio(item)
            elif message.get("text"):
                data = json.loads(message["text"])
                if data.get("type") == "end":
                    ended = True
                    break
                if data.get("type") == "phase":
                    phase = str(data.get("phase", ""))
    except WebSocketDisconnect:
        pass
    finally:
        # Finish in a thread of its own: if the connection was dropped, this coroutine may be
        # cancelled, but what arrived must still be written out and analysed.
        def finish() -> dict[str, Any]:
            worker.stop()
            worker.join(5.0)
            return _finish(services, session.id, answer, recording, cues, calibrating, samples,
                           sentence_levels)

        result = await asyncio.shield(loop.run_in_executor(None, finish))
        sender.cancel()
    if ended:
        with contextlib.suppress(Exception):
            await websocket.send_json(result)
            await websocket.close()


def _finish(services, session_id, answer, recording, cues, calibrating, samples, sentence_levels):
    store = services.store
    if calibrating:
        level = 10 * np.log10(np.mean(sentence_levels) + 1e-12) if sentence_levels else None
        contact = EyeContactCalibration.from_samples(
            samples["camera"], samples["screen"], max_deg=services.settings.face.eye_contact_max_deg
        )
        value = {
            "camera_yaw": contact.camera_yaw, "camera_pitch": contact.camera_pitch,
            "max_deg": contact.max_deg, "screen_yaw": contact.screen_yaw,
            "screen_pitch": contact.screen_pitch, "calibrated": contact.calibrated,
            "speech_dbfs": None if level is None else round(float(level), 1),
            "samples": {k: len(v) for k, v in samples.items()},
        }
        store.update_session(session_id, calibration=value)
        store.put_setting("calibration", value)
        path = recording.finish()
        job_id = services.submit_calibration(session_id, path) if path is not None else None
        return {"type": "calibrated", **value, "baseline_job_id": job_id}
    path = recording.finish()
    if path is None:  # nothing arrived: no answer to analyse
        store.delete_answer(answer.id)
        return {"type": "ended", "answer_id": None, "job_id": None, "detail": "nothing was recorded"}
    store.update_answer(answer.id, recording_path=store.files.relative(path), cues=cues,
                        duration_s=recording.duration_s, status=AnswerStatus.QUEUED)
    job_id = services.submit_analysis(answer.id)
    return {"type": "ended", "answer_id": answer.id, "job_id": job_id, "cues": len(cues)}
