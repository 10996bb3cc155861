"""Interview sessions: create (with consent), list, get, delete; the dialogue's next step."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, HTTPException, Request

from mockmirror.face.calibration import EyeContactCalibration
from mockmirror.interview.dialogue import InvalidTransition
from mockmirror.web.auth import audit
from mockmirror.web.deps import PrincipalDep, ServicesDep, SessionDep
from mockmirror.web.schemas import Calibration, Message, Prompt, SessionCreate, SessionOut

router = APIRouter(prefix="/api/sessions", tags=["sessions"])

RECENT_LIMIT = 60  # question ids remembered across sessions, so plans do not repeat themselves


@router.post("", status_code=201, response_model=SessionOut, summary="Start an interview session")
def create_session(body: SessionCreate, services: ServicesDep, principal: PrincipalDep) -> SessionOut:
    store = services.store
    if not body.consent.microphone and body.kind == "interview":
        raise HTTPException(422, "a spoken interview needs the microphone; allow it or upload a recording")
    recent: list[str] = []
    for past in reversed(store.list_sessions(principal.owner_id)):  # oldest first
        recent.extend(past.question_ids or [])
    title = ""
    if body.job_description.strip():
        title = body.job_description.strip().splitlines()[0][:200]
    record = store.create_session(
        owner_id=principal.owner_id,
        kind=body.kind, role=body.role.value, job_title=title, job_description=body.job_description,
        core_questions=body.core_questions, difficulty=body.difficulty,
        max_follow_ups=body.max_follow_ups, warm_up=body.warm_up, closing=body.closing,
        seed=body.seed if body.seed is not None else secrets.randbelow(1_000_000),
        recent_ids=recent[-RECENT_LIMIT:], camera=body.consent.camera,
        microphone=body.consent.microphone, keep_recording=body.consent.keep_recording,
        # Institution mode never names emotions, whatever a client sends.
        emotion_inference=body.consent.emotion_inference and not services.settings.institution,
        state="asking" if body.kind == "interview" else "upload",
    )
    if body.kind == "interview":
        services.interviews.handle(record.id, {"event": "start"})
    return SessionOut.of(store.get_session(record.id))


@router.get("", response_model=list[SessionOut], summary="All sessions, newest first")
def list_sessions(services: ServicesDep, principal: PrincipalDep) -> list[SessionOut]:
    return [SessionOut.of(s) for s in services.store.list_sessions(principal.owner_id)]


@router.get("/{session_id}", response_model=SessionOut, summary="One session with its answers")
def get_session(session: SessionDep) -> SessionOut:
    return SessionOut.of(session)


@router.delete("/{session_id}", response_model=Message, summary="Delete a session and its recordings")
def delete_session(session: SessionDep, services: ServicesDep, request: Request) -> Message:
    audit(request, "deleted a session", session.id)
    services.interviews.forget(session.id)
    services.store.delete_session(session.id)
    return Message(detail=f"session {session.id} and its recordings were deleted")


@router.get("/{session_id}/prompt", response_model=Prompt | None, summary="What the recruiter asks now")
def current_prompt(session: SessionDep) -> Prompt | None:
    return Prompt(**session.prompt) if session.prompt else None


def _step(services: ServicesDep, session: SessionDep, event: str) -> SessionOut:
    if session.kind != "interview":
        raise HTTPException(409, "this session is an upload, not an interview")
    try:
        services.interviews.handle(session.id, {"event": event})
    except InvalidTransition as exc:
        raise HTTPException(409, str(exc)) from None
    return SessionOut.of(services.store.get_session(session.id))


@router.post("/{session_id}/skip", response_model=SessionOut, summary="Skip the current question")
def skip_question(session: SessionDep, services: ServicesDep) -> SessionOut:
    return _step(services, session, "skip")


@router.post("/{session_id}/stop", response_model=SessionOut, summary="End the interview now")
def stop_interview(session: SessionDep, services: ServicesDep) -> SessionOut:
    return _step(services, session, "stop")


@router.post("/{session_id}/answers/text", response_model=SessionOut, summary="Answer in text (scripts, LMS)")
def answer_in_text(session: SessionDep, services: ServicesDep, body: dict[str, str]) -> SessionOut:
    text = body.get("text", "")
    if session.kind != "interview":
        raise HTTPException(409, "this session is an upload, not an interview")
    try:
        services.interviews.handle(session.id, {"event": "answer", "text": text})
    except InvalidTransition as exc:
        raise HTTPException(409, str(exc)) from None
    return SessionOut.of(services.store.get_session(session.id))


@router.put("/{session_id}/calibration", response_model=SessionOut, summary="Store the gaze calibration")
def put_calibration(session: SessionDep, services: ServicesDep, body: Calibration) -> SessionOut:
    max_deg = services.settings.face.eye_contact_max_deg
    contact = EyeContactCalibration.from_samples(body.camera, body.screen_centre, max_deg=max_deg)
    value = {
        "camera_yaw": contact.camera_yaw, "camera_pitch": contact.camera_pitch, "max_deg": contact.max_deg,
        "screen_yaw": contact.screen_yaw, "screen_pitch": contact.screen_pitch,
        "calibrated": contact.calibrated, "speech_dbfs": body.speech_dbfs,
        "samples": {"camera": len(body.camera), "screen_centre": len(body.screen_centre)},
    }
    services.store.update_session(session.id, calibration=value)
    # the newest baseline, for the owner's next session
    services.store.put_setting("calibration", value, owner_id=session.owner_id)
    return SessionOut.of(services.store.get_session(session.id))
