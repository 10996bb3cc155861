"""Face analysis in child processes, beside speech on the other core.

Two children, each loading its models once and serving requests in order over a pipe: one runs
the face loop (landmarks, rows, expression), the other the hand and pose models on the body-rate
frames. The caller transcribes meanwhile; ``FaceJob.result`` joins the two readings into the
FaceTrack the one-process path gives (tests/analysis/test_parallel.py compares them).

Processes rather than threads: MediaPipe and the Python glue around it hold the GIL for a good
share of each frame, so threads would not use the second core. ``spawn`` rather than ``fork``:
the web server forks from a process with threads.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from mockmirror.core.types import MockmirrorError, ProgressFn
from mockmirror.face.analyzer import BodyReadings, FaceAnalyzer, FrameRecord, read_body, sampling
from mockmirror.face.calibration import EyeContactCalibration
from mockmirror.face.track import FaceTrack
from mockmirror.media import probe
from mockmirror.models import ModelStore
from mockmirror.settings import Settings

# A child reports progress in steps of at least this much (the pipe is not read while the
# parent transcribes: a message per frame would fill it and stall the child).
PROGRESS_STEP = 0.02
CLOSE_WAIT_S = 5.0


class WorkerError(MockmirrorError):
    """A child process failed or died; the message says how."""


def _send_result(conn: Connection, work: Callable[[], Any]) -> None:
    try:
        conn.send(("ok", work()))
    except Exception as exc:  # the parent re-raises it; its message reaches the user
        try:
            conn.send(("error", exc))
        except Exception:  # an exception that does not pickle: keep its words
            conn.send(("error", WorkerError(f"{type(exc).__name__}: {exc}")))


@dataclass
class _Throttled:
    """Progress down the pipe in steps of PROGRESS_STEP."""

    conn: Connection
    sent: float = -1.0

    def __call__(self, stage: str, fraction: float) -> None:
        if fraction - self.sent >= PROGRESS_STEP or fraction >= 1.0:
            self.sent = fraction
            self.conn.send(("progress", stage, fraction))


def _nicer(settings: Settings) -> None:
    # Speech (in the parent) is on the path to the quick feedback and the next question.
    with contextlib.suppress(OSError):
        os.nice(settings.analysis.face_niceness)


def _serve_face(conn: Connection, settings: Settings) -> None:
    _nicer(settings)
    analyzer = FaceAnalyzer(settings)
    for path, duration in iter(conn.recv, None):
        progress = _Throttled(conn)
        _send_result(conn, lambda: analyzer.read_file(path, duration, progress))  # noqa: B023


def _serve_body(conn: Connection, settings: Settings) -> None:
    _nicer(settings)
    store = ModelStore(settings.model_dir)
    for path in iter(conn.recv, None):
        _send_result(conn, lambda: read_body(settings, store, path))  # noqa: B023


class _Worker:
    """One child process: requests go down a pipe, progress and the result come back."""

    def __init__(self, target: Callable[[Connection, Settings], None], settings: Settings,
                 name: str) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=target, args=(child, settings), name=name,
                                        daemon=True)
        self._process.start()
        child.close()
        self._lock = threading.Lock()

    def call(self, request: object, progress: ProgressFn) -> Any:
        with self._lock:
            self._conn.send(request)
            while True:
                try:
                    kind, *payload = self._conn.recv()
                except (EOFError, OSError) as exc:
                    raise WorkerError(f"the {self._process.name} process stopped "
                                      f"(exit code {self._process.exitcode})") from exc
                if kind == "progress":
                    progress(*payload)
                elif kind == "ok":
                    return payload[0]
                else:
                    raise payload[0]

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._conn.send(None)
        self._process.join(CLOSE_WAIT_S)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(CLOSE_WAIT_S)
        self._conn.close()


@dataclass
class FaceJob:
    """Face analysis of one recording under way in the children."""

    settings: Settings
    duration: float
    video_fps: float
    record: Future[FrameRecord]
    body: Future[BodyReadings]
    fraction: list[float] = field(default_factory=lambda: [0.0])  # the face loop's progress
    timings_s: dict[str, float] = field(default_factory=dict)  # each child's wall time

    @property
    def progress(self) -> float:
        return self.fraction[0]

    def result(self, calibration: EyeContactCalibration | None = None,
               timeout: float | None = None) -> FaceTrack:
        record, readings = self.record.result(timeout), self.body.result(timeout)
        rates = sampling(self.settings, self.video_fps)
        # Building the track needs no model: the parent's analyzer does it.
        return FaceAnalyzer(self.settings).build_track(
            record, readings, rates.row_fps, rates.dense_step, self.duration, calibration)


class FaceWorkers:
    """The two face children, started on first use and kept for later answers; ``close`` ends
    them (they are daemons too, so they never outlive the parent)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._face: _Worker | None = None
        self._body: _Worker | None = None
        self._threads: ThreadPoolExecutor | None = None  # waits on the children's pipes
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the children now (their imports and models load beside the caller's)."""
        with self._lock:
            if self._threads is None:
                self._threads = ThreadPoolExecutor(2, thread_name_prefix="mockmirror-face")
            if self._face is None:
                self._face = _Worker(_serve_face, self.settings, "face analysis")
            if self._body is None:
                self._body = _Worker(_serve_body, self.settings, "hand and pose analysis")

    def submit(self, path: Path | str, duration: float) -> FaceJob:
        self.start()
        face, body, threads = self._face, self._body, self._threads
        assert face is not None and body is not None and threads is not None
        path = str(path)
        fraction = [0.0]

        def progress(_stage: str, value: float) -> None:
            fraction[0] = value

        job = FaceJob(
            settings=self.settings, duration=duration, video_fps=probe(path).video_fps,
            record=threads.submit(face.call, (path, duration), progress),
            body=threads.submit(body.call, path, lambda _s, _f: None),
            fraction=fraction,
        )
        started = time.perf_counter()

        def timed(name: str) -> Callable[[Future[Any]], None]:
            return lambda _done: job.timings_s.__setitem__(name, time.perf_counter() - started)

        job.record.add_done_callback(timed("face"))
        job.body.add_done_callback(timed("hands_body"))
        return job

    def close(self) -> None:
        with self._lock:
            for worker in (self._face, self._body):
                if worker is not None:
                    worker.close()
            self._face = self._body = None
            if self._threads is not None:
                self._threads.shutdown(wait=False, cancel_futures=True)
                self._threads = None
