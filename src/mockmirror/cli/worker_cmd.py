"""`mockmirror worker`: a Celery worker that analyses answers queued by the web app
(``MOCKMIRROR_JOBS__BACKEND=celery``; docs/jobs.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from mockmirror.core.types import MockmirrorError


def worker(
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Answers analysed at once on this "
                                                                 "machine (one process each).")] = 1,
    loglevel: Annotated[str, typer.Option(help="Celery's log level.")] = "INFO",
) -> None:
    """Start a worker that takes answers from the broker and writes their reports to the store.
    Models load once per worker process; each process takes one answer at a time."""
    from mockmirror.settings import Settings

    settings = Settings()
    if settings.jobs.backend != "celery":
        raise MockmirrorError("the worker needs MOCKMIRROR_JOBS__BACKEND=celery (and the broker URL in "
                              "MOCKMIRROR_JOBS__BROKER_URL); the default runs analyses inside the web app")
    try:
        from mockmirror.jobs.celery_app import worker_app
    except ImportError as exc:
        raise MockmirrorError("Celery is not installed: pip install 'mockmirror[scale]'") from exc
    app = worker_app(settings)
    app.worker_main(["worker", f"--loglevel={loglevel}", f"--concurrency={concurrency}", "--pool=prefork",
                     "--prefetch-multiplier=1", "--without-gossip", "--without-mingle"])
