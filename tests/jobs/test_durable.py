"""Durable analysis jobs on a real store (SQLite; PostgreSQL too when CI sets its URL): the job's
state, tries and reason survive, a finished job never runs twice, media go unless kept."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import UTC, datetime

from mockmirror.jobs.durable import AnswerJobs, ThreadJobQueue, worker_is_gone
from mockmirror.settings import JobsSettings
from mockmirror.store import AnswerStatus, JobState, Store
from mockmirror.web.services import Services


def recorded_answer(store: Store, keep: bool, content: bytes = b"not media") -> str:
    session = store.create_session(kind="upload", keep_recording=keep)
    answer = store.add_answer(session.id, source="upload", status=AnswerStatus.QUEUED)
    path = store.files.answer_dir(session.id, answer.id) / "upload.mp4"
    path.write_bytes(content)
    store.update_answer(answer.id, recording_path=store.files.relative(path))
    return answer.id


def jobs_with(store: Store, work, **settings) -> AnswerJobs:
    jobs = AnswerJobs(store, JobsSettings(retry_backoff_s=0.05, heartbeat_s=0.05, **settings), work)
    jobs.queue = ThreadJobQueue(1, jobs.execute)
    return jobs


def wait_state(store: Store, answer_id: str, states=("done", "failed"), timeout=20.0) -> str:
    deadline = threading.Event()
    for _ in range(int(timeout / 0.05)):
        status = store.get_answer(answer_id).status
        if status in states:
            return status
        deadline.wait(0.05)
    answer = store.get_answer(answer_id)
    raise AssertionError(f"answer {answer_id} still {answer.status} ({answer.stage}) after {timeout} s")


def test_a_finished_job_stores_its_results_with_done_and_never_runs_again(store):
    runs = []

    def work(answer_id, progress):
        runs.append(answer_id)
        progress("voice", 0.5)
        return {"transcript": "hello", "report": {"ok": True}}

    answer_id = recorded_answer(store, keep=False)
    jobs = jobs_with(store, work)
    job = jobs.submit(answer_id)
    assert wait_state(store, answer_id) == "done"
    jobs.queue.shutdown()
    answer = store.get_answer(answer_id)
    assert (answer.transcript, answer.report, answer.progress) == ("hello", {"ok": True}, 1.0)
    assert answer.recording_path is None  # not kept: the recording went with the outcome
    assert not store.files.session_dir(answer.session_id).exists()
    assert jobs.execute(job.id) is None and jobs.recover() == 0  # done: never again
    assert runs == [answer_id] and store.get_job(job.id).attempts == 1


def test_an_unreadable_recording_fails_with_one_line_and_no_media_left(store_settings, store):
    services = Services.open(store_settings)  # the same database and folder as ``store``
    services.start_jobs()
    try:
        answer_id = recorded_answer(services.store, keep=False)
        job_id = services.submit_analysis(answer_id)
        assert wait_state(services.store, answer_id, timeout=180) == "failed"
        answer = services.store.get_answer(answer_id)
        job = services.store.get_job(job_id)
        # The input's fault: not retried.
        assert job.state == JobState.FAILED and job.attempts == 1, (job.state, job.attempts, job.last_error)
        assert answer.error and "\n" not in answer.error and "not" in answer.error.lower(), answer.error
        assert answer.recording_path is None
        assert not services.store.files.session_dir(answer.session_id).exists()
        # Kept by choice: the recording stays, with the same reason.
        kept_id = recorded_answer(services.store, keep=True)
        services.submit_analysis(kept_id)
        assert wait_state(services.store, kept_id, timeout=180) == "failed"
        kept = services.store.get_answer(kept_id)
        assert kept.recording_path and services.store.files.absolute(kept.recording_path).is_file()
    finally:
        services.close()


def test_a_passing_failure_is_retried_with_backoff_then_gives_up_after_max_attempts(store):
    tries = []

    def flaky(answer_id, progress):
        tries.append(datetime.now(UTC))
        if len(tries) < 2:
            raise MemoryError
        return {"transcript": "second time"}

    answer_id = recorded_answer(store, keep=True)
    jobs = jobs_with(store, flaky)
    job = jobs.submit(answer_id)
    assert wait_state(store, answer_id) == "done"
    assert store.get_job(job.id).attempts == 2 and store.get_answer(answer_id).transcript == "second time"
    assert (tries[1] - tries[0]).total_seconds() >= 0.05  # backed off

    def always_out_of_memory(answer_id, progress):
        raise MemoryError

    other = recorded_answer(store, keep=False)
    jobs2 = jobs_with(store, always_out_of_memory, max_attempts=3)
    job2 = jobs2.submit(other)
    assert wait_state(store, other) == "failed"
    jobs.queue.shutdown()
    jobs2.queue.shutdown()
    failed = store.get_job(job2.id)
    assert failed.attempts == 3 and "3 tries" in store.get_answer(other).error
    assert "memory" in store.get_answer(other).error and store.get_answer(other).recording_path is None


def test_two_deliveries_of_one_job_run_it_once(store):
    started, release, runs = threading.Event(), threading.Event(), []

    def slow(answer_id, progress):
        runs.append(1)
        started.set()
        release.wait(10)
        return {}

    answer_id = recorded_answer(store, keep=True)
    jobs = jobs_with(store, slow)
    job = jobs.submit(answer_id)
    assert started.wait(10)
    jobs.queue.shutdown()  # keep the second delivery off the queue: run it here, in parallel
    jobs.queue = ThreadJobQueue(1, lambda job_id: None)
    assert jobs.execute(job.id) is None  # running on a live worker: not taken
    release.set()
    assert wait_state(store, answer_id) == "done"
    assert runs == [1] and store.get_job(job.id).attempts == 1


def test_a_job_whose_worker_was_killed_runs_again_and_finishes_once(store):
    """A real process claims the job and is killed -9 mid-job; the job is taken over at once."""
    answer_id = recorded_answer(store, keep=False)
    jobs = jobs_with(store, lambda a, p: {"transcript": "after the crash"})
    job = store.create_job(answer_id)
    url = store.db.engine.url.render_as_string(hide_password=False)
    script = (
        "import sys, time; from datetime import UTC, datetime, timedelta\n"
        "from mockmirror.jobs.durable import worker_id\n"
        "from mockmirror.settings import Settings\n"
        "from mockmirror.store import RecordingFiles, Store, open_database\n"
        "s = Settings(); s.web.database_url = sys.argv[1]\n"
        "store = Store(open_database(s, migrate=False), RecordingFiles(s.data_dir))\n"
        "assert store.claim_job(sys.argv[2], worker_id(), datetime.now(UTC) - timedelta(hours=1))\n"
        "print('claimed', flush=True); time.sleep(600)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script, url, job.id], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert child.stdout.readline().strip() == "claimed"
    running = store.get_job(job.id)
    assert running.state == JobState.RUNNING and not worker_is_gone(running.worker)
    child.kill()
    child.wait()
    assert worker_is_gone(store.get_job(job.id).worker)
    assert jobs.recover() == 1
    assert wait_state(store, answer_id) == "done"
    jobs.queue.shutdown()
    final = store.get_job(job.id)
    assert final.state == JobState.DONE and final.attempts == 2
    assert store.get_answer(answer_id).transcript == "after the crash"
    assert store.get_answer(answer_id).recording_path is None


def test_answers_left_waiting_without_a_job_get_one_at_start_up(store):
    answer_id = recorded_answer(store, keep=True)
    store.update_answer(answer_id, job_id="an-in-memory-job-that-died")  # as before durable jobs
    jobs = jobs_with(store, lambda a, p: {"transcript": "recovered"})
    assert jobs.recover() == 1
    assert wait_state(store, answer_id) == "done"
    jobs.queue.shutdown()
    assert store.get_answer(answer_id).transcript == "recovered"


class _BrokerDown:
    def enqueue(self, job_id, delay_s=0.0):
        raise ConnectionError("broker unreachable")

    def shutdown(self):
        pass


def test_an_answer_submitted_while_the_broker_is_down_waits_in_the_store_then_finishes(store):
    answer_id = recorded_answer(store, keep=True)
    jobs = AnswerJobs(store, JobsSettings(), lambda a, p: {"transcript": "sent later"})
    jobs.queue = _BrokerDown()
    job = jobs.submit(answer_id)  # does not raise: the job is durable already
    assert store.get_job(job.id).state == JobState.QUEUED and store.get_answer(answer_id).status == "queued"
    jobs.queue = ThreadJobQueue(1, jobs.execute)  # the broker is back (next start-up)
    assert jobs.recover() == 1
    assert wait_state(store, answer_id) == "done"
    jobs.queue.shutdown()
    assert store.get_answer(answer_id).transcript == "sent later"
