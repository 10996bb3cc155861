from __future__ import annotations

import threading

from mockmirror.core.types import MockmirrorError
from mockmirror.jobs import JobState, ThreadJobRunner


def test_a_job_reports_progress_then_done():
    runner = ThreadJobRunner(workers=1)
    seen_midway = threading.Event()
    release = threading.Event()
    results = []

    def job(progress):
        progress("voice: transcribing", 0.4)
        seen_midway.set()
        release.wait(5)
        results.append("ran")

    status = runner.submit("analyse", job, subject="answer-1")
    assert seen_midway.wait(5)
    midway = runner.status(status.id)
    assert midway.state is JobState.RUNNING
    assert (midway.stage, midway.progress, midway.subject) == ("voice: transcribing", 0.4, "answer-1")
    release.set()
    final = runner.wait(status.id, timeout=5)
    assert final.state is JobState.DONE and final.progress == 1.0 and results == ["ran"]
    runner.shutdown()


def test_jobs_queue_behind_a_busy_worker():
    runner = ThreadJobRunner(workers=1)
    release = threading.Event()
    first = runner.submit("analyse", lambda p: release.wait(5))
    second = runner.submit("analyse", lambda p: None)
    assert runner.status(second.id).state is JobState.QUEUED
    release.set()
    assert runner.wait(first.id, 5).state is JobState.DONE
    assert runner.wait(second.id, 5).state is JobState.DONE
    runner.shutdown()


def test_failures_are_reported_not_raised():
    runner = ThreadJobRunner()

    def bad_input(progress):
        raise MockmirrorError("answer.txt: not a readable audio/video file")

    def bug(progress):
        raise KeyError("oops")

    a = runner.wait(runner.submit("analyse", bad_input).id, 5)
    b = runner.wait(runner.submit("analyse", bug).id, 5)
    assert a.state is JobState.FAILED and a.error == "answer.txt: not a readable audio/video file"
    assert b.state is JobState.FAILED and b.error.startswith("internal error")
    assert runner.status("no-such-job") is None
    runner.shutdown()
