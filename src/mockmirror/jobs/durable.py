"""Durable answer analysis: every job is a row in the store (state, attempts, last error), so a
restart, a killed worker or a bad recording always ends in an answer state that says what happened.

``AnswerJobs`` is the one place that decides what happens to a job: it claims it (one conditional
UPDATE, so two deliveries never both run it), runs the analysis with a heartbeat, writes the
report and "done" in one transaction, and on failure either retries with backoff (a passing
reason: out of memory, the worker died) or gives up with the user's one-line reason (a problem
with the recording) — and then deletes the recording unless the user chose to keep it.
Where jobs run is a ``JobQueue``: threads in this process (``ThreadJobQueue``), or Celery workers
(``jobs.celery_app``).
"""

from __future__ import annotations

import errno
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from mockmirror.core.types import MockmirrorError, ProgressFn
from mockmirror.settings import JobsSettings
from mockmirror.store import AnalysisJob, AnswerStatus, JobState, Store
from mockmirror.store.repository import NotFound

log = logging.getLogger(__name__)


class AnalysisWork(Protocol):
    """The analysis itself: reads the answer, returns the answer fields to store with "done"."""

    def __call__(self, answer_id: str, progress: ProgressFn) -> dict[str, Any]: ...


class JobQueue(Protocol):
    """Where jobs run: ``enqueue`` makes ``AnswerJobs.execute(job_id)`` happen, after ``delay_s``."""

    def enqueue(self, job_id: str, delay_s: float = 0.0) -> None: ...

    def shutdown(self) -> None: ...


class Failure(StrEnum):
    INPUT = "input"  # the recording: never retried
    TRANSIENT = "transient"  # the machine: retried with backoff
    BUG = "bug"  # our code: not retried (it would fail the same way), logged with its trace


_TRANSIENT_ERRNOS = {errno.ENOMEM, errno.ENOSPC, errno.EAGAIN, errno.EINTR}


def classify(exc: BaseException) -> Failure:
    if isinstance(exc, MockmirrorError | FileNotFoundError | NotFound):
        return Failure.INPUT
    if isinstance(exc, MemoryError | TimeoutError | ConnectionError):
        return Failure.TRANSIENT
    if isinstance(exc, OSError) and exc.errno in _TRANSIENT_ERRNOS:
        return Failure.TRANSIENT
    if type(exc).__module__.startswith("av."):  # FFmpeg could not read the recording
        return Failure.INPUT
    return Failure.BUG


def user_reason(exc: BaseException, failure: Failure) -> str:
    """The one line the user reads under a failed answer."""
    if isinstance(exc, FileNotFoundError):
        return "The recording of this answer is missing, so it could not be analysed."
    if failure is Failure.INPUT:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return text if isinstance(exc, MockmirrorError) else f"The recording could not be read ({text})."
    if isinstance(exc, MemoryError):
        return "The computer ran out of memory while analysing this answer."
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"The analysis stopped because of an internal error ({first[:200]})."


# --- who runs a job --------------------------------------------------------------------------

_STARTED: dict[int, float] = {}  # pid → when this process first named itself (tells restarts apart)


def worker_id() -> str:
    """host:pid:start of this process; a forked Celery child gets a name of its own."""
    pid = os.getpid()
    started = _STARTED.setdefault(pid, time.time())
    return f"{socket.gethostname()}:{pid}:{started:.3f}"


def worker_is_gone(worker: str | None) -> bool:
    """True when ``worker`` was a process on this machine that no longer runs (killed, restarted);
    False when it may still run (alive here, or on another machine: its heartbeat decides)."""
    if not worker:
        return True
    host, _, rest = worker.partition(":")
    pid_text, _, _started = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return worker != worker_id()  # this pid, an earlier life (a container restarted)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without their zone; they were written in UTC."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


@dataclass
class AnswerJobs:
    """Submit, run, retry and recover answers' analyses (see the module docstring)."""

    store: Store
    settings: JobsSettings
    work: AnalysisWork
    queue: JobQueue | None = None  # set once built (a ThreadJobQueue calls back into execute)
    _progress: dict[str, tuple[str, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def submit(self, answer_id: str) -> AnalysisJob:
        job = self.store.create_job(answer_id)
        self._send(job.id)
        return job

    def _send(self, job_id: str, delay_s: float = 0.0) -> None:
        """Hand the job to the queue; if the broker is away, the job waits in the store and the
        next start-up of the app or of a worker sends it (``recover``)."""
        try:
            self._queue().enqueue(job_id, delay_s)
        except Exception:
            log.warning("job %s is stored but could not be queued now", job_id, exc_info=True)

    def _queue(self) -> JobQueue:
        if self.queue is None:
            raise RuntimeError("AnswerJobs has no queue")
        return self.queue

    def progress(self, job_id: str) -> tuple[str, float] | None:
        """Finer progress than the store holds, for jobs running in this process."""
        with self._lock:
            return self._progress.get(job_id)

    # --- running one job ----------------------------------------------------------------------
    def execute(self, job_id: str) -> JobState | None:
        """Run the job if it is still to do; returns the state it ended in (None: not run here)."""
        try:
            job = self.store.get_job(job_id)
        except NotFound:
            return None  # the answer was deleted meanwhile
        if job.state in (JobState.DONE, JobState.FAILED):
            return None  # finished: never run twice
        now = datetime.now(UTC)
        not_before = _aware(job.not_before)
        waiting = job.state == JobState.QUEUED and not_before is not None
        if waiting and not_before is not None and not_before > now + timedelta(seconds=1):
            self._queue().enqueue(job_id, (not_before - now).total_seconds())
            return None
        me = worker_id()
        stale_before = now - timedelta(seconds=self.settings.stale_after_s)
        gone = job.worker if job.state == JobState.RUNNING and worker_is_gone(job.worker) else None
        if not self.store.claim_job(job_id, me, stale_before, gone):
            if self.store.get_job(job_id).state == JobState.RUNNING:
                # Running elsewhere, alive as far as we know: look again once it could be stale.
                self._queue().enqueue(job_id, self.settings.stale_after_s)
            return None
        job = self.store.get_job(job_id)
        if job.attempts > self.settings.max_attempts:
            reason = job.last_error or "the analysis was stopped before it finished"
            return self._give_up(job, f"This answer could not be analysed after {job.attempts - 1} tries "
                                      f"(last: {reason.rstrip('.')}).")
        return self._run(job, me)

    def _run(self, job: AnalysisJob, me: str) -> JobState:
        alive = threading.Event()
        beat = threading.Thread(target=self._heartbeat, args=(job.id, me, alive), daemon=True,
                                name=f"mockmirror-heartbeat-{job.id[:8]}")
        beat.start()

        def progress(stage: str, fraction: float) -> None:
            with self._lock:
                self._progress[job.id] = (stage, max(0.0, min(1.0, float(fraction))))

        try:
            fields = self.work(job.answer_id, progress)
        except Exception as exc:
            return self._failed(job, exc)
        finally:
            alive.set()
            beat.join(5.0)
            with self._lock:
                self._progress.pop(job.id, None)
        kept = self._kept(job.answer_id)
        if not kept:
            fields["recording_path"] = None  # with "done", so no one sees a done answer with its media
        if not self.store.finish_job(job.id, me, **fields):
            log.warning("job %s was taken over by another worker; its result is not stored twice", job.id)
            return JobState.RUNNING
        log.info("job %s done (answer %s, try %d)", job.id, job.answer_id, job.attempts)
        if not kept:
            self._discard_unless_kept(job.answer_id)
        return JobState.DONE

    def _heartbeat(self, job_id: str, me: str, stop: threading.Event) -> None:
        while not stop.wait(self.settings.heartbeat_s):
            try:
                self.store.job_heartbeat(job_id, me)
            except Exception:  # the database is briefly away: the next beat tries again
                log.warning("heartbeat of job %s failed", job_id, exc_info=True)

    def _failed(self, job: AnalysisJob, exc: Exception) -> JobState:
        failure = classify(exc)
        reason = user_reason(exc, failure)
        if failure is Failure.BUG:
            log.error("job %s (answer %s) failed", job.id, job.answer_id, exc_info=exc)
        if failure is Failure.TRANSIENT and job.attempts < self.settings.max_attempts:
            delay = self.settings.retry_backoff_s * 2 ** (job.attempts - 1)
            log.warning("job %s: %s; trying again in %.0f s", job.id, reason, delay)
            try:
                self.store.retry_job(job.id, reason, datetime.now(UTC) + timedelta(seconds=delay))
            except NotFound:
                return JobState.FAILED
            self._queue().enqueue(job.id, delay)
            return JobState.QUEUED
        if failure is Failure.TRANSIENT:
            reason = (f"This answer could not be analysed after {job.attempts} tries "
                      f"(last: {reason.rstrip('.')}).")
        return self._give_up(job, reason)

    def _give_up(self, job: AnalysisJob, reason: str) -> JobState:
        log.info("job %s failed: %s", job.id, reason)
        try:
            self.store.fail_job(job.id, reason, discard=not self._kept(job.answer_id))
        except NotFound:
            return JobState.FAILED
        self._discard_unless_kept(job.answer_id)
        return JobState.FAILED

    def _kept(self, answer_id: str) -> bool:
        """Whether the user chose to keep this answer's recording."""
        try:
            return bool(self.store.get_session(self.store.get_answer(answer_id).session_id).keep_recording)
        except NotFound:
            return False

    def fail_answer(self, answer_id: str, reason: str) -> None:
        """An answer that cannot reach analysis (its recording could not be saved): failed, with
        the reason, and its media go unless kept."""
        try:
            fields: dict[str, Any] = {"status": AnswerStatus.FAILED, "stage": "failed", "error": reason}
            if not self._kept(answer_id):
                fields["recording_path"] = None
            self.store.update_answer(answer_id, **fields)
        except NotFound:
            return
        self._discard_unless_kept(answer_id)

    def _discard_unless_kept(self, answer_id: str) -> None:
        """The raw recording goes once the answer has an outcome, unless the user chose to keep it."""
        try:
            answer = self.store.get_answer(answer_id)
            if not self.store.get_session(answer.session_id).keep_recording:
                self.store.discard_recording(answer_id)
        except NotFound:
            pass

    # --- after a restart -----------------------------------------------------------------------
    def recover(self) -> int:
        """Queue again every job that was queued or running when the app or a worker stopped, give
        a job to answers left waiting without one, and delete media an earlier run left behind.
        Safe to call from every process at start-up: ``execute`` runs each job once."""
        unfinished = self.store.unfinished_jobs()
        waiting = self.store.answers_waiting_without_job()
        for job in unfinished:
            self._send(job.id)
        for answer_id in waiting:
            self.submit(answer_id)
        count = len(unfinished) + len(waiting)
        for answer_id in self.store.answers_with_media_to_discard():
            self._discard_unless_kept(answer_id)
        if count:
            log.info("re-queued %d unfinished analyses", count)
        return count


class ThreadJobQueue:
    """Jobs on ``workers`` threads of this process (the laptop default). A delayed job waits on a
    timer; if the process stops first, the job is still queued in the store for ``recover``."""

    def __init__(self, workers: int, execute: Callable[[str], Any]) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mockmirror-analysis")
        self._execute = execute
        self._timers: set[threading.Timer] = set()
        self._lock = threading.Lock()
        self._closed = False

    def enqueue(self, job_id: str, delay_s: float = 0.0) -> None:
        with self._lock:
            if self._closed:
                return
            if delay_s <= 0:
                self._pool.submit(self._run, job_id)
                return
            timer = threading.Timer(delay_s, self._later, args=(job_id,))
            timer.daemon = True
            self._timers.add(timer)
            timer.start()

    def _later(self, job_id: str) -> None:
        with self._lock:
            self._timers = {t for t in self._timers if t.is_alive() and t is not threading.current_thread()}
        self.enqueue(job_id)

    def _run(self, job_id: str) -> None:
        try:
            self._execute(job_id)
        except Exception:  # the store itself failed: the job stays in it for the next recover
            log.exception("job %s could not be run", job_id)

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
            for timer in self._timers:
                timer.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)
