"""The live answer's real-time path: frames and audio in, nudges out, without blocking the socket.

The socket handler only stores what arrives (``LiveRecording``) and hands it to a ``LiveWorker``
thread. The worker keeps only the newest frame it has not read yet (older unread frames are
skipped for cues, never for the recording), reads the face on it, runs the cue rules and posts
each result back to the event loop. Wire format (binary messages): 1 byte kind (1 = JPEG frame,
2 = PCM s16le 16 kHz mono), uint32 sequence number, float64 answer time in seconds, payload.
"""

from __future__ import annotations

import queue
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from mockmirror.face import geometry
from mockmirror.face.calibration import EyeContactCalibration
from mockmirror.face.landmarks import FaceLandmarker, Mode
from mockmirror.models import ModelStore
from mockmirror.settings import Settings
from mockmirror.web.cues import CueEngine, Nudge, VisualSample

HEADER = struct.Struct("<BId")
FRAME, AUDIO = 1, 2


@dataclass(frozen=True, slots=True)
class Incoming:
    kind: int
    seq: int
    t: float
    payload: bytes
    received: float = field(default_factory=time.perf_counter)


def parse(message: bytes) -> Incoming:
    if len(message) < HEADER.size:
        raise ValueError("message shorter than its header")
    kind, seq, t = HEADER.unpack_from(message)
    if kind not in (FRAME, AUDIO):
        raise ValueError(f"unknown message kind {kind}")
    return Incoming(kind, seq, t, message[HEADER.size :])


def pack(kind: int, seq: int, t: float, payload: bytes) -> bytes:
    return HEADER.pack(kind, seq, t) + payload


@dataclass(frozen=True, slots=True)
class GazeReading:
    face_found: bool
    gaze: tuple[float, float] | None  # (yaw, pitch) in degrees
    eyes_closed: bool = False


class FaceReader:
    """Face, gaze and eye state on one small frame (MediaPipe VIDEO mode, one face)."""

    def __init__(self, settings: Settings, store: ModelStore) -> None:
        self.settings = settings
        self._landmarker = FaceLandmarker.from_store(
            store, Mode.VIDEO, min_confidence=settings.face.min_face_confidence, max_faces=1
        )

    def read(self, jpeg: bytes, t: float) -> GazeReading:
        import cv2

        bgr = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
        if bgr is None:
            return GazeReading(False, None)
        rgb = np.ascontiguousarray(bgr[:, :, ::-1], dtype=np.uint8)  # IMREAD_COLOR gives uint8
        face = self._landmarker.detect_video(rgb, t).main
        if face is None:
            return GazeReading(False, None)
        pose = geometry.pose_towards_camera(
            geometry.head_pose_from_matrix(face.matrix), geometry.camera_direction(face.matrix)
        )
        if abs(pose.roll) > self.settings.face.max_face_roll_deg:
            return GazeReading(False, None)
        closed = geometry.eye_closure(face.blendshapes) > 0.6
        gaze = geometry.estimate_gaze(face.points, pose)
        return GazeReading(True, (gaze.yaw, gaze.pitch), closed)

    def close(self) -> None:
        self._landmarker.close()


@dataclass(slots=True)
class FrameResult:
    seq: int
    t: float
    reading: GazeReading
    eye_contact: bool | None
    latency_ms: float  # frame received → cue rules done
    nudge: Nudge | None


@dataclass(frozen=True, slots=True)
class NudgeMessage:
    """A nudge from the worker to the candidate, with how long the rules took to reach it."""

    nudge: Nudge
    seq: int
    latency_ms: float
    source: Literal["audio", "face"]

    def to_json(self) -> dict[str, object]:
        return {"type": "cue", "kind": self.nudge.kind, "message": self.nudge.message, "t": self.nudge.t,
                "latency_ms": round(self.latency_ms, 2), "source": self.source}


# What the live worker posts to the socket: every face reading, and audio nudges.
WorkerMessage = FrameResult | NudgeMessage


class LiveWorker(threading.Thread):
    """Reads faces and runs the cue rules off the event loop; ``post`` is called from this thread."""

    def __init__(
        self,
        engine: CueEngine,
        reader: FaceReader | None,
        calibration: EyeContactCalibration,
        post: Callable[[WorkerMessage], None],
        sample_rate: int = 16_000,
    ) -> None:
        super().__init__(name="mockmirror-live", daemon=True)
        self.engine = engine
        self.reader = reader
        self.calibration = calibration
        self.post = post
        self.sample_rate = sample_rate
        self._frame: Incoming | None = None
        self._audio: queue.SimpleQueue[Incoming] = queue.SimpleQueue()
        self._wake = threading.Event()
        self._halt = threading.Event()
        self._lock = threading.Lock()
        self.frames_read = 0
        self.frames_skipped = 0
        self.frames_failed = 0
        self.readings: list[tuple[float, GazeReading]] = []  # for calibration

    def offer_frame(self, item: Incoming) -> None:
        with self._lock:
            if self._frame is not None:
                self.frames_skipped += 1  # the worker is behind: newest frame wins
            self._frame = item
        self._wake.set()

    def offer_audio(self, item: Incoming) -> None:
        self._audio.put(item)
        self._wake.set()

    def stop(self) -> None:
        self._halt.set()
        self._wake.set()

    def run(self) -> None:
        try:
            while not self._halt.is_set():
                self._wake.wait(0.5)
                self._wake.clear()
                self._drain_audio()
                with self._lock:
                    frame, self._frame = self._frame, None
                if frame is not None and self.reader is not None:
                    try:
                        self._on_frame(frame, self.reader)
                    except Exception:  # one unreadable frame must not end the live cues
                        self.frames_failed += 1
            self._drain_audio()
        finally:
            if self.reader is not None:
                self.reader.close()

    def _drain_audio(self) -> None:
        while True:
            try:
                item = self._audio.get_nowait()
            except queue.Empty:
                return
            pcm = np.frombuffer(item.payload[: len(item.payload) // 2 * 2], dtype="<i2")
            nudge = self.engine.on_audio(pcm.astype(np.float32) / 32768.0)
            if nudge is not None:
                latency = (time.perf_counter() - item.received) * 1000
                self.post(NudgeMessage(nudge, item.seq, latency, "audio"))

    def _on_frame(self, frame: Incoming, reader: FaceReader) -> None:
        reading = reader.read(frame.payload, frame.t)
        self.frames_read += 1
        self.readings.append((frame.t, reading))
        contact: bool | None = None
        if reading.face_found and reading.gaze is not None and not reading.eyes_closed:
            contact = self.calibration.is_contact(*reading.gaze)
        nudge = self.engine.on_visual(VisualSample(frame.t, reading.face_found, contact))
        latency = (time.perf_counter() - frame.received) * 1000
        self.post(FrameResult(frame.seq, frame.t, reading, contact, latency, nudge))
