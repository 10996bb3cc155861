"""The Celery + Redis engine with real processes: a real redis-server on 127.0.0.1, a real
`mockmirror worker`, real GRID recordings. An answer is analysed by the worker and its progress
and report reach the store; a worker process killed -9 mid-job gets the job delivered again and
it finishes once."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mockmirror.settings import Settings
from mockmirror.store import AnswerStatus, JobState
from mockmirror.web.services import Services

pytest.importorskip("celery")
REDIS = shutil.which("redis-server")
REDIS_URL = os.environ.get("MOCKMIRROR_TEST_REDIS_URL")  # .ci/run starts one; else one of our own
pytestmark = pytest.mark.skipif(REDIS is None and not REDIS_URL,
                                reason="redis-server is not installed (.ci/run installs it)")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def broker(tmp_path):
    import redis

    if REDIS_URL:
        redis.Redis.from_url(REDIS_URL).flushdb()
        yield REDIS_URL
        return
    assert REDIS is not None
    port = _free_port()
    process = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


@pytest.fixture
def celery_env(tmp_path, broker):
    env = {"MOCKMIRROR_JOBS__BACKEND": "celery", "MOCKMIRROR_JOBS__BROKER_URL": broker,
           "MOCKMIRROR_WEB__DATA_DIR": str(tmp_path / "data"), "MOCKMIRROR_JOBS__HEARTBEAT_S": "1",
           "OMP_WAIT_POLICY": "PASSIVE"}
    return env


def _services(env: dict[str, str]) -> Services:
    settings = Settings()
    settings.jobs.backend = "celery"
    settings.jobs.broker_url = env["MOCKMIRROR_JOBS__BROKER_URL"]
    settings.web.data_dir = Path(env["MOCKMIRROR_WEB__DATA_DIR"])
    services = Services.open(settings)
    services.start_jobs()
    return services


def _upload(services: Services, clip: Path, keep: bool = False) -> str:
    session = services.store.create_session(kind="upload", keep_recording=keep)
    answer = services.store.add_answer(session.id, source="upload", status=AnswerStatus.QUEUED,
                                       question="Tell me about a project you are proud of.")
    target = services.store.files.answer_dir(session.id, answer.id) / "upload.mpg"
    target.write_bytes(clip.read_bytes())
    services.store.update_answer(answer.id, recording_path=services.store.files.relative(target))
    return answer.id


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mockmirror.cli.main", "worker", "--concurrency", "1"],
                            env={**os.environ, **env, "PYTHONPATH": os.pathsep.join(sys.path)},
                            stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def _wait(services: Services, answer_id: str, until, timeout: float = 300.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = services.store.get_answer(answer_id)
        if until(answer):
            return answer
        time.sleep(0.2)
    raise AssertionError(f"answer {answer_id}: still {services.store.get_answer(answer_id).status}")


def test_a_worker_analyses_queued_answers_and_survives_a_kill_9_mid_job(tmp_path, celery_env, fixtures_dir):
    services = _services(celery_env)
    worker = _worker(celery_env, tmp_path / "worker.log")
    try:
        # Queued before any worker ran: the broker holds it.
        first = _upload(services, fixtures_dir / "grid_av" / "sbwe5n.mpg")
        job_id = services.submit_analysis(first)
        progress_seen = _wait(services, first, lambda a: a.status == "analysing" and a.progress > 0)
        assert progress_seen.stage  # progress written by the worker, visible to the web app
        done = _wait(services, first, lambda a: a.status in ("done", "failed"))
        assert done.status == "done", done.error
        assert done.report is not None and "blue" in done.transcript.lower()
        assert done.recording_path is None  # not kept: gone with the outcome
        assert services.store.get_job(job_id).attempts == 1

        # Kill -9 the process running the second answer, mid-analysis.
        second = _upload(services, fixtures_dir / "grid_av" / "lbax4n.mpg", keep=True)
        job2 = services.submit_analysis(second)
        _wait(services, second, lambda a: a.status == "analysing")
        running = services.store.get_job(job2)
        pid = int(running.worker.split(":")[1])
        assert pid != worker.pid  # a pool process, not the worker's main process
        os.kill(pid, signal.SIGKILL)
        finished = _wait(services, second, lambda a: a.status in ("done", "failed"))
        assert finished.status == "done", finished.error
        job = services.store.get_job(job2)
        assert job.state == JobState.DONE and job.attempts == 2  # delivered again, finished once
        assert services.store.get_answer(second).recording_path  # kept by choice
        assert services.jobs.execute(job2) is None  # a late duplicate never runs it again
    finally:
        _stop(worker)
        services.close()
    assert worker.returncode is not None  # the worker itself shut down when asked
