"""The user's data as a whole: export it, or delete all of it."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from mockmirror.store.db import private_dir
from mockmirror.web.auth import audit
from mockmirror.web.deps import PrincipalDep, ServicesDep
from mockmirror.web.schemas import Message

router = APIRouter(prefix="/api/data", tags=["my data"])


@router.get("/export", summary="Download all my data (data.json + kept recordings) as a zip",
            response_class=FileResponse, responses={200: {"content": {"application/zip": {}}}})
def export_data(services: ServicesDep, principal: PrincipalDep, request: Request) -> FileResponse:
    audit(request, "export", "zip")
    name = f"mockmirror-export-{datetime.now(UTC):%Y%m%d-%H%M%S}.zip"
    # Built on disk beside the data (never in memory), streamed, then deleted.
    folder = private_dir(services.store.files.root / "exports")
    handle, path = tempfile.mkstemp(suffix=".zip", dir=folder)
    target = Path(path)
    try:
        services.store.export_zip(target, principal.owner_id)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        os.close(handle)
    return FileResponse(target, media_type="application/zip", filename=name,
                        background=BackgroundTask(target.unlink, missing_ok=True))


@router.get("/export.json", summary="All my data as JSON (recordings referenced by path)")
def export_json(services: ServicesDep, principal: PrincipalDep, request: Request) -> dict:
    audit(request, "export", "json")
    return services.store.export(principal.owner_id)


@router.delete("", response_model=Message,
               summary="Delete all my data: sessions, answers, recordings, settings")
def delete_all(services: ServicesDep, principal: PrincipalDep, request: Request) -> Message:
    audit(request, "deleted all my data")
    for session in services.store.list_sessions(principal.owner_id):
        services.interviews.forget(session.id)
    services.store.delete_all(principal.owner_id)
    return Message(detail="all your sessions, answers, recordings and settings were deleted")
