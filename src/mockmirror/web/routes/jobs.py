"""Background jobs (answer analysis): state, stage and progress."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from mockmirror.store.repository import NotFound
from mockmirror.web.deps import PrincipalDep, ServicesDep
from mockmirror.web.schemas import JobOut
from mockmirror.web.services import Services

router = APIRouter(prefix="/api/jobs", tags=["jobs"])


def _owns(services: Services, owner_id: str, subject: str | None) -> bool:
    """A job is about an answer or a session (its subject): only their owner may follow it."""
    if not subject:
        return False
    for lookup in (services.store.get_answer, services.store.get_session):
        try:
            lookup(subject, owner_id=owner_id)
            return True
        except NotFound:
            continue
    return False


@router.get("/{job_id}", response_model=JobOut, summary="A job's state and progress")
def job_status(job_id: str, services: ServicesDep, principal: PrincipalDep) -> JobOut:
    try:  # an answer's analysis: durable, in the store
        job = services.store.get_job(job_id)
    except NotFound:
        pass
    else:
        try:
            answer = services.store.get_answer(job.answer_id, owner_id=principal.owner_id)
        except NotFound:
            raise HTTPException(404, f"no job {job_id}") from None
        stage, progress = services.jobs.progress(job_id) or (answer.stage, answer.progress)
        error = answer.error if job.state == "failed" else None
        return JobOut(id=job.id, kind="analyse_answer", state=job.state, stage=stage, progress=progress,
                      error=error, subject=job.answer_id, attempts=job.attempts, last_error=job.last_error)
    status = services.runner.status(job_id)
    if status is None or not _owns(services, principal.owner_id, status.subject):
        raise HTTPException(404, f"no job {job_id} (finished jobs are forgotten after a restart)")
    return JobOut(id=status.id, kind=status.kind, state=status.state.value, stage=status.stage,
                  progress=status.progress, error=status.error, subject=status.subject)
