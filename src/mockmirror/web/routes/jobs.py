"""Background jobs (answer analysis): state, stage and progress."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from mockmirror.web.deps import ServicesDep
from mockmirror.web.schemas import JobOut

router = APIRouter(prefix="/api/jobs", tags=["jobs"])


@router.get("/{job_id}", response_model=JobOut, summary="A job's state and progress")
def job_status(job_id: str, services: ServicesDep) -> JobOut:
    status = services.runner.status(job_id)
    if status is None:
        raise HTTPException(404, f"no job {job_id} (finished jobs are forgotten after a restart)")
    return JobOut(id=status.id, kind=status.kind, state=status.state.value, stage=status.stage,
                  progress=status.progress, error=status.error, subject=status.subject)
