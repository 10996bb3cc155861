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
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from mockmirror.face.calibration import EyeContactCalibration
from mockmirror.store import AnswerRecord, AnswerStatus, SessionRecord
from mockmirror.store.repository import NotFound
from mockmirror.web.cues import CueEngine
from mockmirror.web.guard import allowed_origins, same_origin
from mockmirror.web.live import (
    AUDIO,
    FRAME,
    FaceReader,
    FrameResult,
    Incoming,
    LiveWorker,
    NudgeMessage,
    WorkerMessage,
    parse,
)
from mockmirror.web.recording import LiveRecording
from mockmirror.web.security import LiveGate, SocketLimits
from mockmirror.web.services import Services

router = APIRouter(tags=["live"])
log = logging.getLogger(__name__)


@dataclass
class LiveSession:
    """One live answer or calibration: what arrives is recorded and read; what the rules find is
    kept (nudges for the report, gaze samples and speech level for the calibration)."""

    services: Services
    session: SessionRecord
    recording: LiveRecording
    answer: AnswerRecord | None  # None while calibrating
    nudges: list[dict[str, Any]] = field(default_factory=list)
    phase: str = "camera"  # calibration: camera, screen, neutral, sentence
    samples: dict[str, list[tuple[float, float]]] = field(
        default_factory=lambda: {"camera": [], "screen": []}
    )
    sentence_levels: list[float] = field(default_factory=list)
    # Messages dropped and why (a broken frame, malformed JSON): the answer goes on without them.
    dropped: dict[str, int] = field(default_factory=dict)

    def drop(self, what: str) -> None:
        self.dropped[what] = self.dropped.get(what, 0) + 1

    @property
    def calibrating(self) -> bool:
        return self.answer is None

    @classmethod
    def open(cls, services: Services, session: SessionRecord, calibrating: bool) -> LiveSession:
        store, rate = services.store, services.settings.media.audio_sample_rate
        if calibrating:
            # The calibration is recorded too: its analysis sets the user's own baseline (then deleted).
            folder = store.files.session_dir(session.id) / "calibration"
            return cls(services, session, LiveRecording(folder, rate), None)
        prompt = session.prompt or {}
        answer = store.add_answer(
            session.id, source="live", status=AnswerStatus.RECORDING,
            prompt_kind=prompt.get("kind", "question") if session.state != "done" else "extra",
            question_id=prompt.get("question_id"), question=prompt.get("text", ""),
        )
        folder = store.files.answer_dir(session.id, answer.id)
        return cls(services, session, LiveRecording(folder, rate), answer)

    def outgoing(self, message: WorkerMessage, telemetry: bool) -> dict[str, Any] | None:
        """What to send the browser for a worker message (None: nothing); keeps nudges and samples."""
        if isinstance(message, FrameResult):
            if self.calibrating and message.reading.gaze is not None and self.phase in self.samples:
                self.samples[self.phase].append(message.reading.gaze)
            if message.nudge is None:
                if not telemetry:
                    return None
                return {"type": "frame", "seq": message.seq, "latency_ms": round(message.latency_ms, 2),
                        "face": message.reading.face_found, "eye_contact": message.eye_contact}
            message = NudgeMessage(message.nudge, message.seq, message.latency_ms, "face")
        if self.calibrating:
            return None  # no nudges while calibrating
        return message.to_json()

    def keep(self, message: WorkerMessage) -> None:
        """Called on the worker thread: a nudge is stored even if the socket is gone."""
        nudge = message if isinstance(message, NudgeMessage) else None
        if isinstance(message, FrameResult) and message.nudge is not None:
            nudge = NudgeMessage(message.nudge, message.seq, message.latency_ms, "face")
        if nudge is not None and not self.calibrating:
            self.nudges.append(nudge.to_json())

    def on_item(self, item: Incoming, worker: LiveWorker) -> None:
        if item.kind == FRAME:
            if not self.session.camera:
                return  # no camera consent: frames are neither kept nor read
            self.recording.add_frame(item.t, item.payload)
            worker.offer_frame(item)
        elif item.kind == AUDIO:
            self.recording.add_audio(item.payload)
            if self.calibrating and self.phase == "sentence":
                pcm = np.frombuffer(item.payload[: len(item.payload) // 2 * 2], "<i2") / 32768.0
                if len(pcm):
                    self.sentence_levels.append(float(np.mean(pcm**2)))
            worker.offer_audio(item)

    def finish(self) -> dict[str, Any]:
        """Write out what arrived and queue its analysis; the message the browser gets at the end.
        Never leaves the answer "recording": if the recording cannot be written, it fails with a
        plain reason and its media go (unless kept)."""
        try:
            return self._finish()
        except Exception as exc:
            log.exception("could not finish the live recording")
            if self.answer is None:
                return {"type": "error", "detail": "the calibration could not be saved"}
            reason = f"What was recorded of this answer could not be saved ({exc})."
            self.services.jobs.fail_answer(self.answer.id, reason)
            return {"type": "ended", "answer_id": self.answer.id, "job_id": None, "detail": reason}

    def _finish(self) -> dict[str, Any]:
        services, store = self.services, self.services.store
        path = self.recording.finish()
        if self.recording.frames_dropped:
            self.dropped["frame"] = self.dropped.get("frame", 0) + self.recording.frames_dropped
        if self.calibrating:
            value = self._calibration()
            store.update_session(self.session.id, calibration=value)
            store.put_setting("calibration", value, owner_id=self.session.owner_id)
            job_id = services.submit_calibration(self.session.id, path) if path is not None else None
            return {"type": "calibrated", **value, "baseline_job_id": job_id}
        assert self.answer is not None
        if path is None:  # nothing arrived: no answer to analyse
            store.delete_answer(self.answer.id)
            return {"type": "ended", "answer_id": None, "job_id": None, "detail": "nothing was recorded"}
        store.update_answer(self.answer.id, recording_path=store.files.relative(path), cues=self.nudges,
                            duration_s=self.recording.duration_s, status=AnswerStatus.QUEUED)
        job_id = services.submit_analysis(self.answer.id)
        if self.dropped:
            log.info("live answer %s: dropped %s", self.answer.id, self.dropped)
        return {"type": "ended", "answer_id": self.answer.id, "job_id": job_id, "cues": len(self.nudges),
                "dropped": dict(self.dropped)}

    def _calibration(self) -> dict[str, Any]:
        levels = self.sentence_levels
        level = 10 * np.log10(np.mean(levels) + 1e-12) if levels else None
        max_deg = self.services.settings.face.eye_contact_max_deg
        camera, screen = self.samples["camera"], self.samples["screen"]
        contact = EyeContactCalibration.from_samples(camera, screen, max_deg=max_deg)
        return {
            "camera_yaw": contact.camera_yaw, "camera_pitch": contact.camera_pitch,
            "max_deg": contact.max_deg, "screen_yaw": contact.screen_yaw,
            "screen_pitch": contact.screen_pitch, "calibrated": contact.calibrated,
            "speech_dbfs": None if level is None else round(float(level), 1),
            "samples": {k: len(v) for k, v in self.samples.items()},
        }


@router.websocket("/api/sessions/{session_id}/live")
async def live_answer(
    websocket: WebSocket, session_id: str, mode: str = "answer", telemetry: int = 0
) -> None:
    services: Services = websocket.app.state.services
    settings = services.settings
    if not same_origin(websocket.headers.get("origin"), websocket.headers.get("host"),
                       allowed_origins(settings)):
        await websocket.close(code=4403)  # another site's page may not stream into this app
        return
    gate: LiveGate = websocket.app.state.live_gate
    if not gate.enter():  # each socket holds a worker thread and buffers: a bounded number
        await websocket.close(code=1013, reason="too many live answers at once; try again shortly")
        return
    try:
        await _live_answer(websocket, services, session_id, mode, telemetry)
    finally:
        gate.leave()


async def _live_answer(
    websocket: WebSocket, services: Services, session_id: str, mode: str, telemetry: int
) -> None:
    settings = services.settings
    limits = SocketLimits.of(settings.web)
    await websocket.accept()
    try:
        principal = websocket.scope.get("state", {}).get("principal")
        if principal is None:
            raise NotFound(session_id)
        session = services.store.get_session(session_id, owner_id=principal.owner_id)
    except NotFound:
        await websocket.send_json({"type": "error", "detail": f"no interview session {session_id}"})
        await websocket.close(code=4404)
        return
    live = LiveSession.open(services, session, calibrating=mode == "calibration")
    loop = asyncio.get_running_loop()
    outbox: asyncio.Queue[WorkerMessage] = asyncio.Queue()

    def post(message: WorkerMessage) -> None:  # called from the worker thread
        live.keep(message)
        with contextlib.suppress(RuntimeError):  # the loop is closed after a dropped connection
            loop.call_soon_threadsafe(outbox.put_nowait, message)

    reader = await asyncio.to_thread(FaceReader, settings, services.models) if session.camera else None
    worker = LiveWorker(
        CueEngine(settings.web, settings.media.audio_sample_rate), reader,
        EyeContactCalibration.from_stored(session.calibration, settings.face.eye_contact_max_deg), post,
        settings.media.audio_sample_rate,
    )
    worker.start()

    async def send_out() -> None:
        while True:
            outgoing = live.outgoing(await outbox.get(), bool(telemetry))
            if outgoing is not None:
                with contextlib.suppress(Exception):  # the socket may be gone; the nudge is stored anyway
                    await websocket.send_json(outgoing)

    sender = asyncio.create_task(send_out())
    ended = False
    await websocket.send_json({"type": "ready", "answer_id": live.answer.id if live.answer else None,
                               "camera": session.camera, "mode": mode})
    refused: tuple[int, str] | None = None
    try:
        while True:
            try:
                message = await asyncio.wait_for(websocket.receive(), max(0.0, limits.remaining_s()))
            except TimeoutError:  # the answer is over its time: what arrived is analysed
                refused = (1000, "the answer reached the longest a live answer may last")
                break
            if message["type"] == "websocket.disconnect":
                break
            refused = limits.refuse(len(message.get("bytes") or message.get("text") or ""))
            if refused is not None:
                break
            if message.get("bytes") is not None:
                try:
                    item = parse(message["bytes"])
                except ValueError as exc:
                    live.drop("message")
                    await websocket.send_json({"type": "error", "detail": str(exc)})
                    continue
                live.on_item(item, worker)
            elif message.get("text"):
                try:
                    data = json.loads(message["text"])
                    if not isinstance(data, dict):
                        raise ValueError("not a JSON object")
                except ValueError:  # a broken message costs only itself, never the answer
                    live.drop("json")
                    await websocket.send_json({"type": "error", "detail": "a message was not valid JSON; "
                                               "it was ignored and the answer goes on"})
                    continue
                if data.get("type") == "end":
                    ended = True
                    break
                if data.get("type") == "phase":
                    live.phase = str(data.get("phase", ""))
    except WebSocketDisconnect:
        pass
    finally:
        # Finish in a thread of its own: if the connection was dropped, this coroutine may be
        # cancelled, but what arrived must still be written out and analysed.
        def finish() -> dict[str, Any]:
            worker.stop()
            worker.join(5.0)
            return live.finish()

        result = await asyncio.shield(loop.run_in_executor(None, finish))
        sender.cancel()
    if ended:
        with contextlib.suppress(Exception):
            await websocket.send_json(result)
            await websocket.close()
    elif refused is not None:
        with contextlib.suppress(Exception):
            await websocket.send_json({**result, "detail": refused[1]})
            await websocket.close(code=refused[0], reason=refused[1][:120])
