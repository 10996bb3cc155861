"""Background work (answer analysis) behind a small interface.

``JobRunner`` is what the web app uses: ``submit(kind, fn)`` runs ``fn(progress)`` somewhere else
and ``status(job_id)`` says how far it got. ``ThreadJobRunner`` (the default) runs jobs in this
process on a bounded thread pool; a Celery/Redis runner could implement the same protocol.
"""

from mockmirror.jobs.runner import JobFn, JobRunner, JobState, JobStatus, ThreadJobRunner

__all__ = ["JobFn", "JobRunner", "JobState", "JobStatus", "ThreadJobRunner"]
