"""Celery + Redis as the scale-out engine (``MOCKMIRROR_JOBS__BACKEND=celery``): the web app
enqueues one task per answer; ``mockmirror worker`` runs them. The task only names the durable job:
what it does, retries and gives up on stays in ``AnswerJobs`` (jobs/durable.py), so a message
delivered twice (a worker killed mid-job, acks late) still finishes the job once.
"""

from __future__ import annotations

import logging
from typing import Any

from mockmirror.settings import Settings

log = logging.getLogger(__name__)

TASK = "mockmirror.analyse_answer"


def make_celery(settings: Settings) -> Any:
    from celery import Celery

    app = Celery("mockmirror", broker=settings.jobs.broker_url)
    app.conf.update(
        task_acks_late=True,  # a task is acknowledged when done: a killed worker's task comes back
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # one answer at a time per worker process
        task_ignore_result=True,  # results go to the store, not to a result backend
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": settings.jobs.visibility_timeout_s},
        worker_hijack_root_logger=False,
    )
    return app


class CeleryJobQueue:
    """The web app's side: enqueue a job id for the workers."""

    def __init__(self, settings: Settings) -> None:
        self._app = make_celery(settings)

    def enqueue(self, job_id: str, delay_s: float = 0.0) -> None:
        self._app.send_task(TASK, args=[job_id], countdown=max(0.0, delay_s) or None)

    def shutdown(self) -> None:
        self._app.close()


class WorkerJobs:
    """One per worker process: the services (models loaded once, on first use), and the task."""

    def __init__(self, settings: Settings) -> None:
        from mockmirror.web.services import Services

        self.services = Services.open(settings)
        self.services.jobs.queue = CeleryJobQueue(settings)

    def run(self, job_id: str) -> str | None:
        state = self.services.jobs.execute(job_id)
        return None if state is None else state.value


def worker_app(settings: Settings) -> Any:
    """The Celery app with the task registered; ``mockmirror worker`` starts it."""
    from celery.signals import worker_process_init, worker_ready

    app = make_celery(settings)
    holder: dict[str, WorkerJobs] = {}  # per worker process (filled after the fork)

    def jobs() -> WorkerJobs:
        if "jobs" not in holder:
            holder["jobs"] = WorkerJobs(settings)
        return holder["jobs"]

    @worker_process_init.connect(weak=False)
    def load(**_: Any) -> None:
        worker = jobs()
        _ = worker.services.analyzer

    @worker_ready.connect(weak=False)
    def recover(**_: Any) -> None:
        # What a stopped web app or worker left queued or running goes to the queue again (each
        # job still runs once: AnswerJobs.execute claims it first).
        from mockmirror.web.services import Services

        services = Services.open(settings)
        try:
            services.jobs.queue = CeleryJobQueue(settings)
            count = services.jobs.recover()
            if count:
                log.info("re-queued %d unfinished analyses", count)
        finally:
            services.close()

    @app.task(name=TASK)
    def analyse_answer(job_id: str) -> str | None:
        return jobs().run(job_id)

    return app
