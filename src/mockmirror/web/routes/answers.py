"""Answers: upload a recording (size cap, media check), status, per-answer report and replay."""

from __future__ import annotations

import logging

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

from mockmirror.media import MediaError, probe
from mockmirror.store import AnswerStatus
from mockmirror.web.deps import AnswerDep, ServicesDep, SessionDep
from mockmirror.web.schemas import AnswerOut
from mockmirror.web.security import mb, recording_too_large, report_page
from mockmirror.web.upload import UploadTooLarge, multipart_boundary, receive_upload

router = APIRouter(tags=["answers"])
log = logging.getLogger(__name__)

SAFE_SUFFIXES = {".mp4", ".webm", ".mov", ".mkv", ".mpg", ".mpeg", ".avi", ".m4v", ".wav", ".mp3",
                 ".m4a", ".flac", ".ogg", ".opus", ".aac", ".y4m"}


def too_large(size: float | None, cap_bytes: float) -> HTTPException:
    return HTTPException(413, recording_too_large(size, cap_bytes))


UPLOAD_FORM = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary", "description": "Audio or video of one answer"},
        "question": {"type": "string", "description": "The question answered (default: the one asked now)"},
    },
}}}}}


def too_large_response(size: float | None, cap_bytes: float) -> JSONResponse:
    """413, and the connection closed: the rest of an oversized body is never read."""
    return JSONResponse({"detail": too_large(size, cap_bytes).detail}, status_code=413,
                        headers={"Connection": "close"})


@router.post(
    "/api/sessions/{session_id}/answers", status_code=202, response_model=AnswerOut,
    summary="Upload a recorded answer; its analysis starts in the background",
    responses={413: {"description": "over the size cap"}, 415: {"description": "not audio or video"}},
    openapi_extra=UPLOAD_FORM,
)
async def upload_answer(request: Request, session: SessionDep, services: ServicesDep):
    """The body is streamed to disk as it arrives (``web/upload.py``) and refused with 413 as soon
    as it passes ``web.max_upload_mb``: a declared Content-Length over the cap before any of it is
    read, a chunked or lying one at the cap."""
    cap = services.settings.web.max_upload_mb * 1e6
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > cap + 64_000:  # multipart overhead
        return too_large_response(int(declared), cap)
    boundary = multipart_boundary(request)  # 422 before anything is stored
    prompt = session.prompt or {}
    asks = session.kind == "interview" and session.state in ("listening", "follow_up", "wrap_up")
    answer = services.store.add_answer(
        session.id, source="upload", status=AnswerStatus.QUEUED,
        prompt_kind=prompt.get("kind", "question") if asks else "upload",
        question_id=prompt.get("question_id") if asks else None,
        question=prompt.get("text", "") if asks else "",
    )
    folder = services.store.files.answer_dir(session.id, answer.id)
    staging = folder / "upload.part"
    try:
        upload = await receive_upload(
            request, boundary, staging, cap, max_fields=services.settings.web.max_form_fields
        )
    except UploadTooLarge:
        services.store.delete_answer(answer.id)
        log.info("refused an upload over %s", mb(cap))
        return too_large_response(None, cap)
    except BaseException:  # 422, a dropped connection, a cancelled request: nothing is kept
        services.store.delete_answer(answer.id)
        raise
    name = upload.filename
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    target = staging.rename(folder / ("upload" + (suffix if suffix in SAFE_SUFFIXES else ".bin")))
    try:
        try:
            info = probe(target)
        except MediaError as exc:
            log.info("refused upload %s: %s", name or "the file", exc)
            raise HTTPException(
                415, f"{name or 'the file'} is not an audio or video recording that can be read. "
                "Upload a video (mp4, webm, mov, mkv…) or audio file (wav, mp3, m4a…)."
            ) from None
        if not info.has_audio and not info.has_video:
            raise HTTPException(415, f"{name} has neither sound nor picture")
    except HTTPException:
        services.store.delete_answer(answer.id)
        raise
    fields = {"recording_path": services.store.files.relative(target), "duration_s": info.duration}
    if upload.fields.get("question"):
        fields["question"] = upload.fields["question"]
    services.store.update_answer(answer.id, **fields)
    services.submit_analysis(answer.id)
    return AnswerOut.of(services.store.get_answer(answer.id))


@router.get("/api/answers/{answer_id}", response_model=AnswerOut,
            summary="An answer: status, progress, results")
def get_answer(answer: AnswerDep, services: ServicesDep) -> AnswerOut:
    out = AnswerOut.of(answer)
    if answer.job_id and answer.status in (AnswerStatus.QUEUED, AnswerStatus.ANALYSING):
        live = services.jobs.progress(answer.job_id)  # finer-grained than the stored progress
        if live is not None:
            out.stage, out.progress = live
    return out


@router.get("/api/answers/{answer_id}/report", summary="The answer's JSON report (docs/report-schema.md)")
def answer_report(answer: AnswerDep) -> dict:
    if answer.report is None or answer.status != AnswerStatus.DONE:
        raise HTTPException(409, f"the answer is {answer.status}; its report is not ready")
    return answer.report


@router.get("/api/answers/{answer_id}/report.html", response_class=HTMLResponse,
            summary="The answer's self-contained HTML report, with replay when the recording was kept")
def answer_report_html(answer: AnswerDep) -> HTMLResponse:
    from mockmirror.report.document import AnswerReport
    from mockmirror.report.html import render_answer_html

    if answer.report is None or answer.status != AnswerStatus.DONE:
        raise HTTPException(409, f"the answer is {answer.status}; its report is not ready")
    report = AnswerReport.model_validate(answer.report)
    media = f"/api/answers/{answer.id}/recording" if answer.recording_path else None
    return report_page(render_answer_html(report, media))


@router.get("/api/answers/{answer_id}/recording", summary="The kept recording (for replay)")
def answer_recording(answer: AnswerDep, services: ServicesDep) -> FileResponse:
    path = services.store.files.absolute(answer.recording_path)
    if path is None or not path.is_file():
        raise HTTPException(404, "no recording kept for this answer")
    media_type = {".webm": "video/webm", ".wav": "audio/wav", ".mp4": "video/mp4"}.get(path.suffix)
    return FileResponse(path, media_type=media_type)
