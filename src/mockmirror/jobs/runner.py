"""An in-process job runner with progress reporting (a thread pool, oldest job first)."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, Protocol

from mockmirror.core.types import MockmirrorError, ProgressFn
from mockmirror.store.repository import JobState  # one set of job states, in memory and stored

log = logging.getLogger(__name__)

JobFn = Callable[[ProgressFn], Any]


@dataclass(frozen=True, slots=True)
class JobStatus:
    id: str
    kind: str
    state: JobState
    stage: str = ""
    progress: float = 0.0  # 0..1
    error: str | None = None  # one line the user can read
    submitted_at: float = 0.0
    finished_at: float | None = None
    subject: str = ""  # what the job is about (an answer id)


class JobRunner(Protocol):
    def submit(self, kind: str, fn: JobFn, subject: str = "") -> JobStatus: ...

    def status(self, job_id: str) -> JobStatus | None: ...

    def wait(self, job_id: str, timeout: float | None = None) -> JobStatus | None: ...

    def shutdown(self) -> None: ...


class ThreadJobRunner:
    """Runs jobs on ``workers`` threads; analysis holds the GIL little (ONNX, CTranslate2), so the
    web server's event loop keeps answering while a job runs."""

    def __init__(self, workers: int = 1, keep: int = 200) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mockmirror-job")
        self._lock = threading.Lock()
        self._jobs: dict[str, JobStatus] = {}
        self._futures: dict[str, Future] = {}
        self._keep = keep

    def _set(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            self._jobs[job_id] = replace(self._jobs[job_id], **changes)

    def submit(self, kind: str, fn: JobFn, subject: str = "") -> JobStatus:
        job_id = uuid.uuid4().hex
        status = JobStatus(job_id, kind, JobState.QUEUED, "waiting", 0.0, submitted_at=time.time(),
                           subject=subject)
        with self._lock:
            self._jobs[job_id] = status
            self._forget_old()
        self._futures[job_id] = self._pool.submit(self._run, job_id, fn)
        return status

    def _run(self, job_id: str, fn: JobFn) -> None:
        self._set(job_id, state=JobState.RUNNING, stage="starting")

        def progress(stage: str, fraction: float) -> None:
            self._set(job_id, stage=stage, progress=max(0.0, min(1.0, float(fraction))))

        try:
            fn(progress)
        except MockmirrorError as exc:  # a problem with the input: say it plainly
            self._set(job_id, state=JobState.FAILED, error=str(exc), finished_at=time.time())
        except Exception as exc:  # a bug: keep the server up, log the trace, show one line
            log.error("job %s failed:\n%s", job_id, traceback.format_exc())
            self._set(job_id, state=JobState.FAILED, error=f"internal error: {exc}", finished_at=time.time())
        else:
            self._set(job_id, state=JobState.DONE, stage="done", progress=1.0, finished_at=time.time())

    def status(self, job_id: str) -> JobStatus | None:
        with self._lock:
            return self._jobs.get(job_id)

    def wait(self, job_id: str, timeout: float | None = None) -> JobStatus | None:
        future = self._futures.get(job_id)
        if future is not None:
            with contextlib.suppress(TimeoutError):
                future.result(timeout=timeout)
        return self.status(job_id)

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if j.finished_at is not None]
        for job in sorted(finished, key=lambda j: j.finished_at or 0)[: max(0, len(finished) - self._keep)]:
            self._jobs.pop(job.id, None)
            self._futures.pop(job.id, None)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
