"""The user's data as a whole: export it, or delete all of it."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from fastapi.responses import Response

from mockmirror.web.deps import ServicesDep
from mockmirror.web.schemas import Message

router = APIRouter(prefix="/api/data", tags=["my data"])


@router.get("/export", summary="Download all my data (data.json + kept recordings) as a zip",
            response_class=Response, responses={200: {"content": {"application/zip": {}}}})
def export_data(services: ServicesDep) -> Response:
    name = f"mockmirror-export-{datetime.now(UTC):%Y%m%d-%H%M%S}.zip"
    return Response(services.store.export_zip(), media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/export.json", summary="All my data as JSON (recordings referenced by path)")
def export_json(services: ServicesDep) -> dict:
    return services.store.export()


@router.delete("", response_model=Message,
               summary="Delete all my data: sessions, answers, recordings, settings")
def delete_all(services: ServicesDep) -> Message:
    services.interviews.forget_all()
    services.store.delete_all()
    return Message(detail="all your sessions, answers, recordings and settings were deleted")
